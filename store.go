package gatehouse

import (
	"context"
	"time"
)

// Store is the persistence contract the services run on. Every method of
// Tx runs inside one transaction: [Store.Update] commits when fn returns
// nil (the write is durable before Update returns) and rolls back
// otherwise; [Store.View] is read-only.
//
// Names of users, groups, roles and policies are unique per account
// ignoring case, and lookups by name ignore case, as in AWS.
//
// Errors: methods return an *Error with code CodeNotFound when the named
// thing does not exist and CodeAlreadyExists when a create collides;
// any other error is internal.
type Store interface {
	Update(ctx context.Context, fn func(tx Tx) error) error
	View(ctx context.Context, fn func(tx Tx) error) error
	// Revision returns a number that grows with every committed Update
	// that changes something a cache may hold, so caches can tell whether
	// anything changed. An Update whose only writes add new rows that no
	// cache holds (audit records, sessions, outbox messages) or change
	// pending root password resets does not move it: issuing a session
	// does not empty every cache.
	Revision(ctx context.Context) (int64, error)
	Close() error
}

// Tx is the set of reads and writes available inside a transaction.
//
// Every User, Group, Role and ManagedPolicy a Tx returns carries the
// partition of its account (Partition, "" for a standard account or an
// account the store does not hold), and the Create methods set it on the
// entity they are given, so that its ARN names the right partition.
type Tx interface {
	AccountTx
	UserTx
	GroupTx
	PolicyTx
	AccessKeyTx
	RoleTx
	SessionTx
	MFATx
	AuditTx
	AccountSettingsTx
	OutboxTx
	SellerGovCloudTx
	InvoiceTx
	PaymentPreferencesTx
	LoginProfileTx
	CredentialReportTx
	RootPasswordResetTx
	BucketTx
	ObjectTx
	UploadTx
}

// AccountTx covers accounts and their aliases.
type AccountTx interface {
	CreateAccount(a *Account) error
	// Account returns CodeNotFound for an unknown ID.
	Account(id string) (*Account, error)
	Accounts() ([]*Account, error)
	UpdateAccount(a *Account) error
	// SetAccountAlias replaces the account's alias; aliases are unique
	// across all accounts (CodeAlreadyExists).
	SetAccountAlias(accountID, alias string) error
	DeleteAccountAlias(accountID string) error
	// AccountAlias returns "" when the account has none.
	AccountAlias(accountID string) (string, error)
}

// UserTx covers IAM users.
type UserTx interface {
	CreateUser(u *User) error
	User(accountID, name string) (*User, error)
	// Users lists an account's users sorted by name.
	Users(accountID string) ([]*User, error)
	// UpdateUser replaces the user stored under oldName (renaming it
	// everywhere it is referenced when u.Name differs).
	UpdateUser(oldName string, u *User) error
	DeleteUser(accountID, name string) error
}

// GroupTx covers IAM groups and their members.
type GroupTx interface {
	CreateGroup(g *Group) error
	Group(accountID, name string) (*Group, error)
	Groups(accountID string) ([]*Group, error)
	UpdateGroup(oldName string, g *Group) error
	DeleteGroup(accountID, name string) error
	// AddUserToGroup is idempotent.
	AddUserToGroup(accountID, group, user string) error
	RemoveUserFromGroup(accountID, group, user string) error
	// GroupMembers lists the group's users sorted by name.
	GroupMembers(accountID, group string) ([]*User, error)
	// GroupsForUser lists the user's groups sorted by name.
	GroupsForUser(accountID, user string) ([]*Group, error)
}

// PolicyTx covers customer managed policies and their versions, policy
// attachments, and inline policies.
//
// A database store holds no AWS managed policy (account AWSManagedAccount):
// they are global, read-only data served in front of it (package
// awsmanaged). It keeps only their attachments, by the policy's ARN in
// the standard partition (either partition's spelling is accepted), and
// does not check that such a policy exists; it refuses to create one.
type PolicyTx interface {
	// CreatePolicy stores a policy with its first version.
	CreatePolicy(p *ManagedPolicy, v *PolicyVersion) error
	Policy(arn string) (*ManagedPolicy, error)
	// Policies lists an account's customer managed policies sorted by name.
	Policies(accountID string) ([]*ManagedPolicy, error)
	UpdatePolicy(p *ManagedPolicy) error
	// DeletePolicy deletes a policy and all its versions.
	DeletePolicy(arn string) error
	CreatePolicyVersion(v *PolicyVersion) error
	PolicyVersion(arn, versionID string) (*PolicyVersion, error)
	// PolicyVersions lists a policy's versions, newest first.
	PolicyVersions(arn string) ([]*PolicyVersion, error)
	DeletePolicyVersion(arn, versionID string) error

	// AttachPolicy is idempotent.
	AttachPolicy(accountID string, e EntityRef, policyARN string) error
	DetachPolicy(accountID string, e EntityRef, policyARN string) error
	// AttachedPolicies lists the ARNs attached to an entity, sorted.
	AttachedPolicies(accountID string, e EntityRef) ([]string, error)
	// PolicyAttachments lists the entities of an account a policy is
	// attached to, sorted by kind then name.
	PolicyAttachments(accountID, policyARN string) ([]EntityRef, error)
	// AttachmentCounts maps the ARN (as AttachedPolicies lists it) of
	// every policy attached to one of the account's users, groups or roles
	// to the number of them it is attached to.
	AttachmentCounts(accountID string) (map[string]int, error)

	// PutInlinePolicy creates or replaces an inline policy.
	PutInlinePolicy(p *InlinePolicy) error
	InlinePolicy(accountID string, owner EntityRef, name string) (*InlinePolicy, error)
	// InlinePolicies lists an entity's inline policies sorted by name.
	InlinePolicies(accountID string, owner EntityRef) ([]*InlinePolicy, error)
	DeleteInlinePolicy(accountID string, owner EntityRef, name string) error
}

// AccessKeyTx covers access keys of IAM users and root users.
type AccessKeyTx interface {
	CreateAccessKey(k *AccessKey) error
	// AccessKey looks a key up by ID across all accounts.
	AccessKey(id string) (*AccessKey, error)
	// AccessKeys lists the keys of a user ("" for the root user), oldest
	// first.
	AccessKeys(accountID, userName string) ([]*AccessKey, error)
	UpdateAccessKey(k *AccessKey) error
	DeleteAccessKey(id string) error
}

// RoleTx covers IAM roles. Role policies use the PolicyTx methods with
// EntityRef{Kind: KindRole}.
type RoleTx interface {
	CreateRole(r *Role) error
	Role(accountID, name string) (*Role, error)
	// Roles lists an account's roles sorted by name.
	Roles(accountID string) ([]*Role, error)
	// UpdateRole replaces the role stored under oldName.
	UpdateRole(oldName string, r *Role) error
	// DeleteRole deletes a role and its policies' attachments.
	DeleteRole(accountID, name string) error
}

// SessionTx covers STS temporary credentials.
type SessionTx interface {
	CreateSession(s *Session) error
	// Session looks a session up by its access key ID (CodeNotFound
	// when unknown).
	Session(accessKeyID string) (*Session, error)
	// DeleteSessionsBefore deletes sessions that expired before t and
	// returns how many it deleted.
	DeleteSessionsBefore(t time.Time) (int, error)
	// DeleteRootSessions deletes the temporary credentials of the
	// account's root user (its sign-in sessions only, when signInOnly)
	// and returns how many it deleted. Unlike creating a session, this
	// moves the revision: caches must forget the deleted sessions.
	DeleteRootSessions(accountID string, signInOnly bool) (int, error)
}
