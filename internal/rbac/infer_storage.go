package rbac

import "strings"

// Azure Storage's data actions by REST operation, from "Permissions for
// calling data operations":
// https://learn.microsoft.com/rest/api/storageservices/authorize-with-azure-active-directory#permissions-for-calling-data-operations
const (
	blobPrefix  = "Microsoft.Storage/storageAccounts/blobServices/containers/"
	queuePrefix = "Microsoft.Storage/storageAccounts/queueServices/queues/"
	tablePrefix = "Microsoft.Storage/storageAccounts/tableServices/tables/"
	filePrefix  = "Microsoft.Storage/storageAccounts/fileServices/fileshares/files/"
	// Over REST with OAuth a file request declares the backup intent
	// (x-ms-file-request-intent: backup) and needs the privileged data
	// action of that intent besides its own, whatever the file's ACLs.
	// https://learn.microsoft.com/azure/storage/files/authorize-oauth-rest
	fileServicesPrefix = "Microsoft.Storage/storageAccounts/fileServices/"
)

// inferred is an operation read from a request, with the scope it needs.
type inferred struct {
	action string
	// also lists the other data actions the request needs.
	also  []string
	scope scopeArg
	note  string
}

// storageScope is the account's ID, with the child the path names when it
// has its shape.
func storageScope(account, child string, name string, rule nameRule) scopeArg {
	s := scopeArg{resolve: showID("Microsoft.Storage/storageAccounts", account)}
	if rule.ok(name) {
		s.suffix = child + name
	}
	return s
}

// inferBlob reads Blob Storage and Data Lake Storage (dfs) requests.
func inferBlob(r request) (inferred, bool) {
	container := r.seg(0)
	scope := storageScope(r.resource, "/blobServices/default/containers/", container, containerName)
	comp, restype := r.query.Get("comp"), r.query.Get("restype")
	if r.service == svcDFS && r.query.Get("resource") == "filesystem" {
		restype = "container"
	}
	var op string
	switch {
	case container == "" && comp == "userdelegationkey":
		op = "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"
		scope.suffix = ""
	case container == "":
		// Account operations (List Containers, service properties)
		// are not data operations.
		return inferred{}, false
	case restype == "container" && len(r.segs) == 1:
		switch {
		case r.reads() && comp == "list", r.reads() && r.service == svcDFS:
			op = blobPrefix + "blobs/read"
		case r.reads():
			op = blobPrefix[:len(blobPrefix)-1] + "/read"
		case r.method == "PUT":
			op = blobPrefix[:len(blobPrefix)-1] + "/write"
		case r.method == "DELETE":
			op = blobPrefix[:len(blobPrefix)-1] + "/delete"
		}
	case len(r.segs) == 1 && r.service == svcDFS && r.reads():
		op = blobPrefix + "blobs/read" // List Paths
	case len(r.segs) < 2:
		return inferred{}, false
	case comp == "tags" && r.reads():
		op = blobPrefix + "blobs/tags/read"
	case comp == "tags" && r.method == "PUT":
		op = blobPrefix + "blobs/tags/write"
	case r.reads(), r.method == "POST" && comp == "query":
		op = blobPrefix + "blobs/read"
	case r.method == "PATCH" && r.service == svcDFS && strings.EqualFold(r.query.Get("action"), "setAccessControl"),
		r.method == "PATCH" && r.service == svcDFS && strings.EqualFold(r.query.Get("action"), "setAccessControlRecursive"):
		op = blobPrefix + "blobs/modifyPermissions/action"
	case r.method == "PUT", r.method == "PATCH":
		op = blobPrefix + "blobs/write"
	case r.method == "DELETE":
		op = blobPrefix + "blobs/delete"
	}
	if op == "" {
		return inferred{}, false
	}
	return inferred{action: op, scope: scope}, true
}

// inferQueue reads Queue Storage requests.
func inferQueue(r request) (inferred, bool) {
	queue := r.seg(0)
	if queue == "" || len(r.segs) < 2 || !strings.EqualFold(r.seg(1), "messages") {
		return inferred{}, false // queue and account operations are not data operations
	}
	var op string
	switch {
	case r.method == "POST":
		op = "messages/add/action"
	case r.reads() && strings.EqualFold(r.query.Get("peekonly"), "true"):
		op = "messages/read"
	case r.reads():
		op = "messages/process/action" // Get Messages dequeues
	case r.method == "PUT":
		op = "messages/write"
	case r.method == "DELETE":
		op = "messages/delete"
	default:
		return inferred{}, false
	}
	return inferred{action: queuePrefix + op, scope: storageScope(r.resource, "/queueServices/default/queues/", queue, queueName)}, true
}

// inferTable reads Table Storage requests: /Tables is the table list,
// /<table>(...) or /<table>() its entities.
func inferTable(r request) (inferred, bool) {
	if len(r.segs) != 1 {
		return inferred{}, false
	}
	name, _, _ := strings.Cut(r.segs[0], "(")
	if strings.EqualFold(name, "Tables") {
		return inferred{}, false // table operations are not data operations
	}
	var op string
	switch r.method {
	case "GET", "HEAD":
		op = "entities/read"
	case "POST":
		op = "entities/add/action"
	case "PUT", "MERGE", "PATCH":
		op = "entities/update/action"
	case "DELETE":
		op = "entities/delete"
	default:
		return inferred{}, false
	}
	return inferred{action: tablePrefix + op, scope: storageScope(r.resource, "/tableServices/default/tables/", name, tableName)}, true
}

// inferFile reads Azure Files REST requests made with OAuth.
// https://learn.microsoft.com/azure/storage/files/authorize-oauth-rest
func inferFile(r request) (inferred, bool) {
	share := r.seg(0)
	if len(r.segs) < 2 || r.query.Get("restype") == "share" {
		return inferred{}, false // share and account operations are not data operations
	}
	var op, semantics string
	switch {
	case r.reads():
		op, semantics = "read", "readFileBackupSemantics"
	case r.method == "PUT" && r.query.Get("comp") == "",
		r.method == "PUT" && r.query.Get("comp") != "acl":
		op, semantics = "write", "writeFileBackupSemantics"
	case r.method == "DELETE":
		op, semantics = "delete", "writeFileBackupSemantics"
	default:
		return inferred{}, false
	}
	return inferred{
		action: filePrefix + op,
		also:   []string{fileServicesPrefix + semantics + "/action"},
		scope:  storageScope(r.resource, "/fileServices/default/fileshares/", share, containerName),
	}, true
}
