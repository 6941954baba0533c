package rbac

// CopyFile is the format of the repository's copy of the role facts,
// data/builtin-roles.json: what gen writes and [Encode] reads.
type CopyFile struct {
	Source    string            `json:"source"`
	Commits   map[string]string `json:"commits"`
	Extracted string            `json:"extracted"`
	// Date is the day Azure listed the definitions.
	Date  string     `json:"date"`
	Roles []CopyRole `json:"roles"`
}

// CopyRole is one role definition of the copy.
type CopyRole struct {
	Name           string   `json:"name"`
	ID             string   `json:"id"`
	Category       string   `json:"category,omitempty"`
	Actions        []string `json:"actions"`
	NotActions     []string `json:"notActions"`
	DataActions    []string `json:"dataActions"`
	NotDataActions []string `json:"notDataActions"`
	// Conditioned lists the patterns granted only when an ABAC condition
	// holds.
	Conditioned []string `json:"conditioned,omitempty"`
	// AssignableScopes lists where a role assignable only at some scopes
	// (not at "/") may be assigned.
	AssignableScopes []string `json:"assignableScopes,omitempty"`
}
