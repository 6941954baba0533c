package rbac

import "strings"

// Key Vault's data actions by REST operation, from the Key Vault RBAC
// guide and its REST reference:
// https://learn.microsoft.com/azure/key-vault/general/rbac-guide
// https://learn.microsoft.com/rest/api/keyvault/
const vaultPrefix = "Microsoft.KeyVault/vaults/"

// keyOperations are the cryptographic operations a key is POSTed for,
// each its own data action.
// The REST path's last segment names the operation, wrapkey and
// unwrapkey as wrap and unwrap.
func keyOperation(last string) string {
	switch last {
	case "encrypt", "decrypt", "sign", "verify", "create", "import", "backup", "restore", "rotate", "release":
		return last
	case "wrapkey", "unwrapkey":
		return strings.TrimSuffix(last, "key")
	}
	return ""
}

// inferKeyVault reads a Key Vault request: /secrets, /keys and
// /certificates and what follows.
func inferKeyVault(r request) (inferred, bool) {
	scope := scopeArg{resolve: showID("Microsoft.KeyVault/vaults", r.resource)}
	kind := strings.ToLower(r.seg(0))
	last := strings.ToLower(r.seg(len(r.segs) - 1))
	var op string
	switch kind {
	case "secrets":
		switch {
		case r.reads() && len(r.segs) == 1, r.reads() && last == "versions":
			op = "secrets/readMetadata/action"
		case r.reads():
			op = "secrets/getSecret/action"
		case r.method == "PUT":
			op = "secrets/setSecret/action"
		case r.method == "PATCH":
			op = "secrets/update/action"
		case r.method == "DELETE":
			op = "secrets/delete"
		case r.method == "POST" && last == "backup":
			op = "secrets/backup/action"
		case r.method == "POST" && last == "restore":
			op = "secrets/restore/action"
		}
	case "keys":
		switch {
		case r.reads() && last == "rotationpolicy":
			op = "keys/rotationpolicy/read"
		case r.reads():
			op = "keys/read"
		case r.method == "PUT" && last == "rotationpolicy":
			op = "keys/rotationpolicy/write"
		case r.method == "PUT":
			op = "keys/import/action"
		case r.method == "PATCH":
			op = "keys/update/action"
		case r.method == "DELETE":
			op = "keys/delete"
		case r.method == "POST":
			if name := keyOperation(last); name != "" {
				op = "keys/" + name + "/action"
			}
		}
	case "certificates":
		switch {
		case r.reads():
			op = "certificates/read"
		case r.method == "POST" && last == "create":
			op = "certificates/create/action"
		case r.method == "POST" && last == "import":
			op = "certificates/import/action"
		case r.method == "PATCH":
			op = "certificates/update/action"
		case r.method == "DELETE":
			op = "certificates/delete"
		}
	}
	if op == "" {
		return inferred{}, false
	}
	return inferred{action: vaultPrefix + op, scope: scope}, true
}
