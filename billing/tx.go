package billing

import "github.com/gatehouse-dev/gatehouse"

// Tx is the part of gatehouse.Tx the billing package uses: the store
// transactions it runs see only these methods (gatehouse.Narrow[billing.Tx]
// of the server's store).
type Tx interface {
	// Account returns CodeNotFound for an unknown ID.
	Account(id string) (*gatehouse.Account, error)
	// Users lists an account's users sorted by name.
	Users(accountID string) ([]*gatehouse.User, error)
	Groups(accountID string) ([]*gatehouse.Group, error)
	// Policies lists an account's customer managed policies sorted by name.
	Policies(accountID string) ([]*gatehouse.ManagedPolicy, error)
	UpdatePolicy(p *gatehouse.ManagedPolicy) error
	CreatePolicyVersion(v *gatehouse.PolicyVersion) error
	PolicyVersion(arn, versionID string) (*gatehouse.PolicyVersion, error)
	// PolicyVersions lists a policy's versions, newest first.
	PolicyVersions(arn string) ([]*gatehouse.PolicyVersion, error)
	DeletePolicyVersion(arn, versionID string) error
	// PutInlinePolicy creates or replaces an inline policy.
	PutInlinePolicy(p *gatehouse.InlinePolicy) error
	// InlinePolicies lists an entity's inline policies sorted by name.
	InlinePolicies(accountID string, owner gatehouse.EntityRef) ([]*gatehouse.InlinePolicy, error)
	// Roles lists an account's roles sorted by name.
	Roles(accountID string) ([]*gatehouse.Role, error)
}
