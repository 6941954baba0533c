package rbac

import "strings"

// Service Bus and Event Hubs name the claim a token lacked (Send, Listen,
// Manage) rather than an action. Send and Listen are the data actions
// send and receive; Manage, which no data action names, is entity
// management with both, which only the Data Owner role holds.
// https://learn.microsoft.com/azure/service-bus-messaging/service-bus-managed-service-identity
// https://learn.microsoft.com/azure/event-hubs/authorize-access-azure-active-directory

// messagingProvider is the provider namespace of the messaging service a
// denial concerns: Event Hubs when its service is named so, else Service
// Bus (the two share the servicebus.windows.net host).
func messagingProvider(service string) string {
	s := strings.ToLower(service)
	if strings.Contains(s, "event hub") || strings.Contains(s, "eventhub") {
		return "Microsoft.EventHub"
	}
	return "Microsoft.ServiceBus"
}

// operation is one operation a grant needs.
type operation struct {
	name string
	data bool
}

// claimOperations are the operations a missing claim stands for.
func claimOperations(prov string, claims []string) (ops []operation, ok bool) {
	send := operation{prov + "/namespaces/messages/send/action", true}
	receive := operation{prov + "/namespaces/messages/receive/action", true}
	for _, c := range claims {
		switch strings.ToLower(strings.TrimSpace(c)) {
		case "send":
			ops = append(ops, send)
		case "listen":
			ops = append(ops, receive)
		case "manage":
			entity := "/namespaces/queues/write"
			if prov == "Microsoft.EventHub" {
				entity = "/namespaces/eventhubs/write"
			}
			ops = append(ops, send, receive, operation{prov + entity, false})
		}
	}
	return ops, len(ops) > 0
}

// messagingScope is the namespace, with the entity when its kind is
// known: an event hub, or a Service Bus topic (a path through
// /subscriptions/). A Service Bus entity path alone does not say whether
// it is a queue or a topic.
func messagingScope(prov string, r request, entity string) (scopeArg, string) {
	if r.resource == "" {
		return scopeArg{}, ""
	}
	s := scopeArg{resolve: showID(prov+"/namespaces", r.resource)}
	if entity == "" {
		entity = r.seg(0)
	}
	if !entityName.ok(entity) || strings.EqualFold(entity, "$management") {
		return s, ""
	}
	switch {
	case prov == "Microsoft.EventHub":
		s.suffix = "/eventhubs/" + entity
	case strings.EqualFold(r.seg(1), "subscriptions"):
		s.suffix = "/topics/" + entity
	default:
		return s, "To narrow the assignment to the entity, append /queues/" + entity + " or /topics/" + entity + " to the scope."
	}
	return s, ""
}
