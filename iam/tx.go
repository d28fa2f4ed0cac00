package iam

import "github.com/gatehouse-dev/gatehouse"

// Tx is the part of gatehouse.Tx the iam package uses: the store
// transactions it runs see only these methods (gatehouse.Narrow[iam.Tx]
// of the server's store).
type Tx interface {
	// AccountSettings returns the account's settings (the zero value
	// when none were put); CodeNotFound for an unknown account.
	AccountSettings(accountID string) (*gatehouse.AccountSettings, error)
	// PutAccountSettings replaces the account's settings;
	// CodeNotFound for an unknown account.
	PutAccountSettings(accountID string, s *gatehouse.AccountSettings) error
	CreateAccount(a *gatehouse.Account) error
	// Account returns CodeNotFound for an unknown ID.
	Account(id string) (*gatehouse.Account, error)
	Accounts() ([]*gatehouse.Account, error)
	// SetAccountAlias replaces the account's alias; aliases are unique
	// across all accounts (CodeAlreadyExists).
	SetAccountAlias(accountID, alias string) error
	DeleteAccountAlias(accountID string) error
	// AccountAlias returns "" when the account has none.
	AccountAlias(accountID string) (string, error)
	CreateUser(u *gatehouse.User) error
	User(accountID, name string) (*gatehouse.User, error)
	// Users lists an account's users sorted by name.
	Users(accountID string) ([]*gatehouse.User, error)
	// UpdateUser replaces the user stored under oldName (renaming it
	// everywhere it is referenced when u.Name differs).
	UpdateUser(oldName string, u *gatehouse.User) error
	DeleteUser(accountID, name string) error
	CreateGroup(g *gatehouse.Group) error
	Group(accountID, name string) (*gatehouse.Group, error)
	Groups(accountID string) ([]*gatehouse.Group, error)
	UpdateGroup(oldName string, g *gatehouse.Group) error
	DeleteGroup(accountID, name string) error
	// AddUserToGroup is idempotent.
	AddUserToGroup(accountID, group, user string) error
	RemoveUserFromGroup(accountID, group, user string) error
	// GroupMembers lists the group's users sorted by name.
	GroupMembers(accountID, group string) ([]*gatehouse.User, error)
	// GroupsForUser lists the user's groups sorted by name.
	GroupsForUser(accountID, user string) ([]*gatehouse.Group, error)
	// CreatePolicy stores a policy with its first version.
	CreatePolicy(p *gatehouse.ManagedPolicy, v *gatehouse.PolicyVersion) error
	Policy(arn string) (*gatehouse.ManagedPolicy, error)
	// Policies lists an account's customer managed policies sorted by name.
	Policies(accountID string) ([]*gatehouse.ManagedPolicy, error)
	UpdatePolicy(p *gatehouse.ManagedPolicy) error
	// DeletePolicy deletes a policy and all its versions.
	DeletePolicy(arn string) error
	CreatePolicyVersion(v *gatehouse.PolicyVersion) error
	PolicyVersion(arn, versionID string) (*gatehouse.PolicyVersion, error)
	// PolicyVersions lists a policy's versions, newest first.
	PolicyVersions(arn string) ([]*gatehouse.PolicyVersion, error)
	DeletePolicyVersion(arn, versionID string) error
	// AttachPolicy is idempotent.
	AttachPolicy(accountID string, e gatehouse.EntityRef, policyARN string) error
	DetachPolicy(accountID string, e gatehouse.EntityRef, policyARN string) error
	// AttachedPolicies lists the ARNs attached to an entity, sorted.
	AttachedPolicies(accountID string, e gatehouse.EntityRef) ([]string, error)
	// PolicyAttachments lists the entities of an account a policy is
	// attached to, sorted by kind then name.
	PolicyAttachments(accountID, policyARN string) ([]gatehouse.EntityRef, error)
	// AttachmentCounts maps the ARN (as AttachedPolicies lists it) of
	// every policy attached to one of the account's users, groups or roles
	// to the number of them it is attached to.
	AttachmentCounts(accountID string) (map[string]int, error)
	// PutInlinePolicy creates or replaces an inline policy.
	PutInlinePolicy(p *gatehouse.InlinePolicy) error
	InlinePolicy(accountID string, owner gatehouse.EntityRef, name string) (*gatehouse.InlinePolicy, error)
	// InlinePolicies lists an entity's inline policies sorted by name.
	InlinePolicies(accountID string, owner gatehouse.EntityRef) ([]*gatehouse.InlinePolicy, error)
	DeleteInlinePolicy(accountID string, owner gatehouse.EntityRef, name string) error
	CreateAccessKey(k *gatehouse.AccessKey) error
	// AccessKey looks a key up by ID across all accounts.
	AccessKey(id string) (*gatehouse.AccessKey, error)
	// AccessKeys lists the keys of a user ("" for the root user), oldest
	// first.
	AccessKeys(accountID, userName string) ([]*gatehouse.AccessKey, error)
	UpdateAccessKey(k *gatehouse.AccessKey) error
	DeleteAccessKey(id string) error
	CreateRole(r *gatehouse.Role) error
	Role(accountID, name string) (*gatehouse.Role, error)
	// Roles lists an account's roles sorted by name.
	Roles(accountID string) ([]*gatehouse.Role, error)
	// UpdateRole replaces the role stored under oldName.
	UpdateRole(oldName string, r *gatehouse.Role) error
	// DeleteRole deletes a role and its policies' attachments.
	DeleteRole(accountID, name string) error
	// CreateMFADevice stores a new device; a zero CreatedAt is set to
	// the transaction's time. The seed is stored encrypted. It returns
	// CodeAlreadyExists when the serial number is taken, and
	// CodeNotFound when d.UserName names no user of the account.
	CreateMFADevice(d *gatehouse.MFADevice) error
	// MFADevice returns the device with the given serial number, of any
	// account (CodeNotFound when unknown).
	MFADevice(serialNumber string) (*gatehouse.MFADevice, error)
	// MFADevices lists an account's devices sorted by serial number.
	MFADevices(accountID string) ([]*gatehouse.MFADevice, error)
	// UpdateMFADevice replaces the device's assignment (UserName,
	// EnabledAt), LastStep and Tags. An unassigned device is stored with
	// a zero EnabledAt. Errors as CreateMFADevice, and CodeNotFound for
	// an unknown device.
	UpdateMFADevice(d *gatehouse.MFADevice) error
	// DeleteMFADevice deletes a device (CodeNotFound when unknown).
	DeleteMFADevice(serialNumber string) error
	// CreateLoginProfile stores p; CodeAlreadyExists when the user
	// has one, CodeNotFound for an unknown user.
	CreateLoginProfile(p *gatehouse.LoginProfile) error
	// LoginProfile returns CodeNotFound when the user has none.
	LoginProfile(accountID, userName string) (*gatehouse.LoginProfile, error)
	// UpdateLoginProfile replaces the profile of p.UserName.
	UpdateLoginProfile(p *gatehouse.LoginProfile) error
	// DeleteLoginProfile returns CodeNotFound when the user has none.
	DeleteLoginProfile(accountID, userName string) error
	// PutCredentialReport replaces the account's report; CodeNotFound
	// for an unknown account.
	PutCredentialReport(r *gatehouse.CredentialReport) error
	// CredentialReport returns the account's report; CodeNotFound when
	// it has none.
	CredentialReport(accountID string) (*gatehouse.CredentialReport, error)
}
