package authz

import "github.com/gatehouse-dev/gatehouse"

// Tx is the part of gatehouse.Tx the authz package uses: the store
// transactions it runs see only these methods (gatehouse.Narrow[authz.Tx]
// of the server's store).
type Tx interface {
	// AccountSettings returns the account's settings (the zero value
	// when none were put); CodeNotFound for an unknown account.
	AccountSettings(accountID string) (*gatehouse.AccountSettings, error)
	// GroupsForUser lists the user's groups sorted by name.
	GroupsForUser(accountID, user string) ([]*gatehouse.Group, error)
	Policy(arn string) (*gatehouse.ManagedPolicy, error)
	PolicyVersion(arn, versionID string) (*gatehouse.PolicyVersion, error)
	// AttachedPolicies lists the ARNs attached to an entity, sorted.
	AttachedPolicies(accountID string, e gatehouse.EntityRef) ([]string, error)
	// InlinePolicies lists an entity's inline policies sorted by name.
	InlinePolicies(accountID string, owner gatehouse.EntityRef) ([]*gatehouse.InlinePolicy, error)
	Role(accountID, name string) (*gatehouse.Role, error)
	// MFADevices lists an account's devices sorted by serial number.
	MFADevices(accountID string) ([]*gatehouse.MFADevice, error)
}
