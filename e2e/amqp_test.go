package e2e_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/messaging/azservicebus"
	amqp "github.com/Azure/go-amqp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"

	"github.com/azauthtrace/azauthtrace"
	"github.com/azauthtrace/azauthtrace/internal/testing/oteltest"
	"github.com/azauthtrace/azauthtrace/otelx"
	"github.com/azauthtrace/azauthtrace/record"
)

// amqpLinkCases are the corpus cases whose text holds go-amqp's *Error, a
// link attach or detach the service refused, with the claims and the
// entity the service named in it.
var amqpLinkCases = []struct {
	name, action, scope, service string
}{
	{"servicebus_amqp_send_claim_missing_listen_only_sas", "Send", "sb://contoso-sb.servicebus.windows.net/orders", "Azure Service Bus"},
	{"servicebus_amqp_send_claim_missing_entra_msi", "Send", "sb://xxx-d-xx-ns.servicebus.windows.net/xxx-d-xx-queue", "Azure Service Bus"},
	{"servicebus_amqp_listen_claim_missing_receiver", "Listen", "sb://simhub-servicebus-temp.servicebus.windows.net/create-replica", "Azure Service Bus"},
	{"servicebus_amqp_management_link_manage_claims", "Listen,Manage,SubscriptionRuleRead", "sb://sbn-xxx-dev-001.servicebus.windows.net/xxxtopic/subscriptions/xxxsubscription/$management", "Azure Service Bus"},
	{"eventhubs_amqp_listen_claim_missing_partition", "Listen", "sb://edgeeventhub.servicebus.windows.net/edgeeventhub/consumergroups/$default/partitions/30", "Azure Event Hubs"},
	// The service detached the link because its token was not renewed:
	// the claims it then lists are no permission failure.
	{"servicebus_legacy_detach_forced_renewtoken", "", "", "Azure Service Bus"},
}

// amqpCBSCases are the corpus cases of put-token requests to the claims
// based security node that the service refused.
var amqpCBSCases = []string{
	"servicebus_cbs_expired_entra_token",
	"servicebus_cbs_expired_sas_token",
	"servicebus_cbs_invalid_audience_entra",
	"servicebus_cbs_invalid_audience_sas",
	"servicebus_cbs_invalid_issuer_entra",
	"servicebus_cbs_local_auth_disabled",
	"eventhubs_cbs_invalid_signature_sas",
	"eventhubs_cbs_local_auth_disabled",
}

// amqpErrorOf returns the go-amqp error the text shows, "*Error{Condition:
// c, Description: d, Info: map[]}", and checks that go-amqp prints it so.
func amqpErrorOf(t *testing.T, text string) *amqp.Error {
	t.Helper()
	_, rest, ok := strings.Cut(text, "*Error{Condition: ")
	if !ok {
		t.Fatalf("no go-amqp error in %q", text)
	}
	cond, rest, _ := strings.Cut(rest, ", Description: ")
	desc, ok := strings.CutSuffix(rest, ", Info: map[]}")
	if !ok {
		t.Fatalf("no go-amqp error in %q", text)
	}
	e := &amqp.Error{Condition: amqp.ErrCond(cond), Description: desc}
	if !strings.HasSuffix(text, e.Error()) {
		t.Fatalf("go-amqp prints %q, the case has %q", e.Error(), text)
	}
	return e
}

// namedError is an error value and what it stands for.
type namedError struct {
	name string
	err  error
}

// amqpLinkErrors returns the errors a client meets for a refused link, as
// go-amqp and azservicebus build them: the *amqp.Error, the *LinkError
// that carries it, that wrapped by the caller, and azservicebus's text of
// it (its *Error has no Unwrap: the text is what crosses it).
func amqpLinkErrors(t *testing.T, text string) []namedError {
	t.Helper()
	e := amqpErrorOf(t, text)
	link := &amqp.LinkError{RemoteErr: e}
	return []namedError{
		{"*amqp.Error", e},
		{"*amqp.LinkError", link},
		{"wrapped *amqp.LinkError", fmt.Errorf("sending message: %w", link)},
		{"the SDK's text", errors.New(text)},
	}
}

// wantFailure is what a diagnosis must say; empty fields must be empty.
type wantFailure struct {
	class, code, requestID, action, scope, service string
}

func checkFailure(t *testing.T, what string, f azauthtrace.Failure, ok bool, w wantFailure) {
	t.Helper()
	if !ok {
		t.Errorf("%s: not recognised", what)
		return
	}
	got := wantFailure{string(f.Class), f.ErrorCode, f.RequestID, f.Action, f.Scope, f.Service}
	if w.service == "" {
		got.service = "" // not asserted
	}
	if got != w {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, w)
	}
	if f.Source != azauthtrace.SourceService || f.StatusCode != http.StatusUnauthorized {
		t.Errorf("%s: source %q status %d; want the service's 401", what, f.Source, f.StatusCode)
	}
}

// TestAMQPFromError diagnoses the errors of Service Bus and Event Hubs
// clients, built as go-amqp and azservicebus build them from the corpus's
// texts: the class, the error code (the AMQP condition, or the put-token
// code), the TrackingId as the request ID, and for a missing claim the
// claims as the denied action and the entity as the scope.
func TestAMQPFromError(t *testing.T) {
	for _, lc := range amqpLinkCases {
		c := testdataCase(t, lc.name)
		want := c.Expected.Values()
		for _, ne := range amqpLinkErrors(t, c.ErrorText) {
			f, ok := azauthtrace.FromError(ne.err)
			checkFailure(t, lc.name+": "+ne.name, f, ok, wantFailure{want.Class, want.ErrorCode, want.RequestID, lc.action, lc.scope, lc.service})
		}
	}
	for _, name := range amqpCBSCases {
		c := testdataCase(t, name)
		want := c.Expected.Values()
		if !strings.Contains(c.ErrorText, "rpc: failed, status code 401 and description: ") {
			t.Fatalf("%s is not a put-token failure: %q", name, c.ErrorText)
		}
		// azservicebus's RPCError is internal: its text is what a caller
		// can reach.
		for _, ne := range []namedError{
			{"the SDK's text", errors.New(c.ErrorText)},
			{"wrapped", fmt.Errorf("creating sender: %w", errors.New(c.ErrorText))},
		} {
			f, ok := azauthtrace.FromError(ne.err)
			checkFailure(t, name+": "+ne.name, f, ok, wantFailure{class: want.Class, code: want.ErrorCode, requestID: want.RequestID})
		}
	}

	// azservicebus's *Error, by its Code.
	unauthorized := &azservicebus.Error{Code: azservicebus.CodeUnauthorizedAccess}
	for _, ne := range []namedError{{"*azservicebus.Error", unauthorized}, {"wrapped", fmt.Errorf("receiving: %w", unauthorized)}} {
		f, ok := azauthtrace.FromError(ne.err)
		if !ok || f.Class != azauthtrace.ClassPermission || f.Service != "Azure Service Bus" ||
			f.Source != azauthtrace.SourceService || f.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s (%v): %v, %+v", ne.name, ne.err, ok, f)
		}
	}

	// Event Hubs' text without go-amqp's error in it.
	c := testdataCase(t, "eventhubs_amqp_listen_claim_text")
	f, ok := azauthtrace.FromError(errors.New(c.ErrorText))
	checkFailure(t, c.Name, f, ok, wantFailure{class: c.Expected.Class, requestID: *c.Expected.RequestID, service: "Azure Event Hubs",
		action: "Listen", scope: "sb://ns.servicebus.windows.net/hub/consumergroups/$default/partitions/0"})

	// Errors that say nothing about authentication.
	for _, err := range []error{
		&azservicebus.Error{Code: azservicebus.CodeConnectionLost},
		&amqp.LinkError{RemoteErr: &amqp.Error{Condition: amqp.ErrCondInternalError, Description: "The service was unable to process the request; please retry the operation. TrackingId:0a1b2c3d4e5f60718293a4b5c6d7e8f9_G3"}},
		&amqp.Error{Condition: amqp.ErrCondNotFound, Description: "The messaging entity 'sb://contoso-sb.servicebus.windows.net/orders' could not be found."},
	} {
		if f, ok := azauthtrace.FromError(err); ok {
			t.Errorf("%v: recognised as %s", err, f.Class)
		}
	}
}

// TestAMQPRecordError records the errors of Service Bus and Event Hubs
// clients on the caller's span with record.Error: the diagnosis's
// attributes, one azauth.failure event with them, status Error, and one
// count in azauth.failures with the entity's host.
func TestAMQPRecordError(t *testing.T) {
	type recordCase struct {
		name string
		err  error
		want wantFailure
	}
	var cases []recordCase
	for _, lc := range amqpLinkCases {
		c := testdataCase(t, lc.name)
		v := c.Expected.Values()
		for _, ne := range amqpLinkErrors(t, c.ErrorText) {
			cases = append(cases, recordCase{lc.name + "/" + ne.name, ne.err, wantFailure{v.Class, v.ErrorCode, v.RequestID, lc.action, lc.scope, lc.service}})
		}
	}
	for _, name := range amqpCBSCases {
		c := testdataCase(t, name)
		v := c.Expected.Values()
		cases = append(cases, recordCase{name, errors.New(c.ErrorText), wantFailure{class: v.Class, code: v.ErrorCode, requestID: v.RequestID}})
	}
	cases = append(cases, recordCase{"*azservicebus.Error", &azservicebus.Error{Code: azservicebus.CodeUnauthorizedAccess},
		wantFailure{class: "permission", service: "Azure Service Bus"}})

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tel := oteltest.New(t)
			rec := record.New(&record.Options{MeterProvider: tel.MeterProvider})
			ctx, span := tel.TracerProvider.Tracer("test").Start(t.Context(), "Sender.SendMessage")
			f, ok := rec.Error(ctx, tc.err)
			span.End()
			checkFailure(t, "record.Error", f, ok, tc.want)

			s := tel.Recorder.Ended()[0]
			wantStatus := "401 " + tc.want.class
			if tc.want.code != "" {
				wantStatus += ": " + tc.want.code
			}
			if s.Status().Code != codes.Error || s.Status().Description != wantStatus {
				t.Errorf("span status %+v; want Error %q", s.Status(), wantStatus)
			}
			want := map[attribute.Key]any{
				otelx.ClassKey:            tc.want.class,
				otelx.HTTPStatusCodeKey:   int64(http.StatusUnauthorized),
				otelx.SourceKey:           "service",
				otelx.ErrorCodeKey:        orAbsent(tc.want.code),
				otelx.ServiceRequestIDKey: orAbsent(tc.want.requestID),
				otelx.DeniedActionKey:     orAbsent(tc.want.action),
				otelx.DeniedScopeKey:      orAbsent(tc.want.scope),
			}
			if tc.want.service != "" {
				want[otelx.ServiceKey] = tc.want.service
			}
			oteltest.CheckAttrs(t, "span", s.Attributes(), want)
			if ev := s.Events(); len(ev) != 1 || ev[0].Name != otelx.FailureEvent {
				t.Errorf("events %v; want one %s", ev, otelx.FailureEvent)
			} else {
				oteltest.CheckAttrs(t, "event", ev[0].Attributes, want)
			}

			// An error's text is hostile: the counter takes no host from
			// it, only the class and the 401.
			point := fmt.Sprintf("azauth.class=%s http.response.status_code=401", tc.want.class)
			if got := tel.Counts(t, otelx.FailuresMetric); fmt.Sprint(got) != fmt.Sprint(map[string]int64{point: 1}) {
				t.Errorf("%s = %v; want {%s: 1}", otelx.FailuresMetric, got, point)
			}
		})
	}

	t.Run("no auth failure", func(t *testing.T) {
		tel := oteltest.New(t)
		rec := record.New(&record.Options{MeterProvider: tel.MeterProvider})
		ctx, span := tel.TracerProvider.Tracer("test").Start(t.Context(), "Receiver.ReceiveMessages")
		_, ok := rec.Error(ctx, &azservicebus.Error{Code: azservicebus.CodeConnectionLost})
		span.End()
		s := tel.Recorder.Ended()[0]
		if ok || s.Status().Code != codes.Unset || len(s.Events()) != 0 || len(s.Attributes()) != 0 {
			t.Errorf("recorded %v: status %+v, events %v, attributes %v", ok, s.Status(), s.Events(), s.Attributes())
		}
		if got := tel.Counts(t, otelx.FailuresMetric); len(got) != 0 {
			t.Errorf("%s = %v; want none", otelx.FailuresMetric, got)
		}
	})
}

// orAbsent is v, or nil (the attribute must be absent) when v is empty.
func orAbsent(v string) any {
	if v == "" {
		return nil
	}
	return v
}

// TestAMQPSecretsStayOut records Service Bus errors that carry secrets:
// a SAS token's signature in the entity's URL, a connection string's key
// and a SAS token in the caller's wrapping of the error, an Entra access
// token. None reaches the telemetry, and the diagnosis survives them.
func TestAMQPSecretsStayOut(t *testing.T) {
	const signature = canary + "SasSignature0aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT"
	sas := "SharedAccessSignature sr=sb%3A%2F%2Fcontoso-sb.servicebus.windows.net%2Forders&sig=" + signature + "&se=1767225600&skn=send"
	connStr := "Endpoint=sb://contoso-sb.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=" + canary + "Key0aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT="
	sendDenied := func(resource string) *amqp.Error {
		return &amqp.Error{Condition: amqp.ErrCondUnauthorizedAccess, Description: "Unauthorized access. 'Send' claim(s) are required to perform this operation. Resource: '" + resource + "'. TrackingId:0000aaaa11bb22cc33dd44ee55ff6677_G12, SystemTracker:gateway5, Timestamp:2026-03-02T10:15:42"}
	}
	cbsExpired := errors.New("(unauthorized): rpc: failed, status code 401 and description: ExpiredToken: The token is expired. TrackingId:73d93f10-867c-441e-a4c8-3fe390e34722, SystemTracker:NoSystemTracker, Timestamp:2022-03-19T19:01:58")
	for _, tc := range []struct {
		name string
		err  error
		want wantFailure
	}{
		{"SAS in the entity's URL", &amqp.LinkError{RemoteErr: sendDenied("sb://contoso-sb.servicebus.windows.net/orders?sig=" + signature + "&se=1767225600&skn=send")},
			wantFailure{class: "permission", code: "amqp:unauthorized-access", requestID: "0000aaaa11bb22cc33dd44ee55ff6677_G12", action: "Send"}},
		{"SAS in the SDK's text", errors.New("(unauthorized): " + sendDenied("sb://contoso-sb.servicebus.windows.net/orders?"+sas[len("SharedAccessSignature "):]).Error()),
			wantFailure{class: "permission", code: "amqp:unauthorized-access", requestID: "0000aaaa11bb22cc33dd44ee55ff6677_G12", action: "Send"}},
		{"connection string around a put-token failure", fmt.Errorf("connecting with %q: %w", connStr, cbsExpired),
			wantFailure{class: "token_rejected", code: "ExpiredToken", requestID: "73d93f10-867c-441e-a4c8-3fe390e34722"}},
		{"SAS token around a put-token failure", fmt.Errorf("put-token %s: %w", sas, cbsExpired),
			wantFailure{class: "token_rejected", code: "ExpiredToken", requestID: "73d93f10-867c-441e-a4c8-3fe390e34722"}},
		{"connection string around azservicebus's error", fmt.Errorf("sending with %s: %w", connStr, &azservicebus.Error{Code: azservicebus.CodeUnauthorizedAccess}),
			wantFailure{class: "permission"}},
		{"SAS token around azservicebus's error", fmt.Errorf("sending with Authorization: %s: %w", sas, &azservicebus.Error{Code: azservicebus.CodeUnauthorizedAccess}),
			wantFailure{class: "permission"}},
		{"Entra token around azservicebus's error", fmt.Errorf("sending with Bearer %s: %w", kvToken, &azservicebus.Error{Code: azservicebus.CodeUnauthorizedAccess}),
			wantFailure{class: "permission"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tel := oteltest.New(t)
			rec := record.New(&record.Options{MeterProvider: tel.MeterProvider})
			ctx, span := tel.TracerProvider.Tracer("test").Start(t.Context(), "Sender.SendMessage")
			f, ok := rec.Error(ctx, tc.err)
			span.End()
			// The entity's URL carried the signature: the scope may be
			// left out or redacted, but holds no secret.
			if strings.Contains(f.Scope, canary) {
				t.Errorf("scope %q", f.Scope)
			}
			tc.want.scope = f.Scope
			checkFailure(t, "record.Error", f, ok, tc.want)
			s := tel.Recorder.Ended()[0]
			if s.Status().Code != codes.Error || len(s.Events()) != 1 {
				t.Errorf("span status %+v, events %d; want Error and one event", s.Status(), len(s.Events()))
			}
			if len(tel.Counts(t, otelx.FailuresMetric)) != 1 {
				t.Errorf("%s = %v; want one count", otelx.FailuresMetric, tel.Counts(t, otelx.FailuresMetric))
			}
			tel.AssertNoneOf(t, append(tokenParts(kvToken), canary)...)
		})
	}
}
