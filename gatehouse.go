// Package gatehouse holds the domain vocabulary of Gatehouse, a
// self-hosted AWS-style account and access-control plane: accounts with
// a root user, IAM users, groups, managed and inline policies, access
// keys; the typed errors every layer returns; and the Store contract the
// services run on.
//
// The package imports no adapter and no service package; concrete stores
// live in store/..., services in iam/, sts/..., the HTTP edge in api/.
package gatehouse

import (
	"log/slog"
	"strings"
	"time"
)

// Partition is the ARN partition of standard accounts. Linked GovCloud
// (US) accounts are in PartitionGovCloud.
const Partition = "aws"

// PartitionName returns the partition an entity's Partition field names:
// Partition for "" (a standard account), else the field itself.
func PartitionName(partition string) string {
	if partition == "" {
		return Partition
	}
	return partition
}

// Account is an AWS-style account: a 12-digit ID with a root user.
type Account struct {
	ID        string
	Email     string
	Name      string
	CreatedAt time.Time
	// RootPasswordHash is the root user's password hash (PHC string
	// format); empty when root has no password.
	RootPasswordHash string
	// ClosedAt is when root closed the account; zero while it is active
	// (see root_tasks.go).
	ClosedAt time.Time
	// IAMBillingAccess is the "IAM user and role access to Billing
	// information" switch (aws-reference §2): off for new standalone
	// accounts.
	IAMBillingAccess bool
	// BillingPermissions pins the account's billing permission model
	// (billing.PermissionModel): "legacy" or "fine-grained"; "" (or
	// "auto") decides by CreatedAt as AWS did (aws-reference §3.1).
	BillingPermissions string
	// PendingEmail is root's email change awaiting its confirmation
	// code, or nil.
	PendingEmail *PendingEmailUpdate
	// Partition is the account's ARN partition: "" for Partition (a
	// standard account), PartitionGovCloud for a linked GovCloud account.
	Partition string
}

// MaxAccountNameLength is the longest account name the Account
// Management API accepts (AccountName: 1 to 50 characters).
const MaxAccountNameLength = 50

// DefaultAccountName is the name an account gets when it is created
// without one, since AWS accounts always have a name: the local part of
// the root email address (what precedes its last "@"), keeping only the
// characters the Account API's AccountName pattern allows ([ -;=?-~]:
// printable ASCII but "<" and ">"), trimmed, at most
// MaxAccountNameLength characters; the account ID when that leaves
// nothing (an account without an email, such as a GovCloud account).
func DefaultAccountName(email, accountID string) string {
	local := email
	if i := strings.LastIndexByte(local, '@'); i >= 0 {
		local = local[:i]
	}
	local = strings.Trim(local, `"`) // a quoted local part
	var b strings.Builder
	for _, r := range local {
		if r >= ' ' && r <= '~' && r != '<' && r != '>' && b.Len() < MaxAccountNameLength {
			b.WriteRune(r)
		}
	}
	if name := strings.TrimSpace(b.String()); name != "" {
		return name
	}
	return accountID
}

// AccountName returns the account's name, or DefaultAccountName for an
// account stored without one (created before names were defaulted).
func (a *Account) AccountName() string {
	if a.Name != "" {
		return a.Name
	}
	return DefaultAccountName(a.Email, a.ID)
}

// ARNPartition returns the partition the account's ARNs name.
func (a *Account) ARNPartition() string { return PartitionName(a.Partition) }

// RootARN returns the ARN of the account's root user.
func (a *Account) RootARN() string { return "arn:" + a.ARNPartition() + ":iam::" + a.ID + ":root" }

// Tag is a key-value pair attached to an IAM resource.
type Tag struct {
	Key   string
	Value string
}

// User is an IAM user.
type User struct {
	AccountID string
	Name      string
	// ID is the unique ID, "AIDA" followed by 17 base32 characters.
	ID        string
	Path      string
	CreatedAt time.Time
	// PermissionsBoundary is the ARN of the managed policy that caps the
	// user's permissions, or "".
	PermissionsBoundary string
	Tags                []Tag
	// Partition is the partition of the user's account, as for
	// Account.Partition; stores set it on every read.
	Partition string
}

// ARN returns the user's ARN.
func (u *User) ARN() string { return EntityARN(u.Partition, u.AccountID, "user", u.Path, u.Name) }

// Group is an IAM group.
type Group struct {
	AccountID string
	Name      string
	ID        string // "AGPA..."
	Path      string
	CreatedAt time.Time
	// Partition is the partition of the group's account, as for
	// Account.Partition; stores set it on every read.
	Partition string
}

// ARN returns the group's ARN.
func (g *Group) ARN() string { return EntityARN(g.Partition, g.AccountID, "group", g.Path, g.Name) }

// EntityARN formats an IAM ARN such as arn:aws:iam::ACCT:user/path/name
// in the given partition ("" for Partition, see PartitionName).
func EntityARN(partition, account, kind, path, name string) string {
	if path == "" {
		path = "/"
	}
	return "arn:" + PartitionName(partition) + ":iam::" + account + ":" + kind + path + name
}

// AWSManagedAccount is the account component of AWS managed policy ARNs.
const AWSManagedAccount = "aws"

// ManagedPolicy is a customer managed policy (or, with AccountID "aws",
// an AWS managed one).
type ManagedPolicy struct {
	AccountID        string
	Name             string
	ID               string // "ANPA..."
	Path             string
	Description      string
	DefaultVersionID string // "v1", "v2", ...
	// NextVersion numbers the next version created ("v<NextVersion>").
	NextVersion int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Tags        []Tag
	// Partition is the partition of the policy's account, as for
	// Account.Partition; stores set it on every read. It is "" for AWS
	// managed policies, which are in every partition: their ARN() names
	// Partition.
	Partition string
}

// ARN returns the policy's ARN.
func (p *ManagedPolicy) ARN() string {
	return EntityARN(p.Partition, p.AccountID, "policy", p.Path, p.Name)
}

// PolicyVersion is one version of a managed policy's document.
type PolicyVersion struct {
	PolicyARN string
	VersionID string
	Document  string
	CreatedAt time.Time
}

// EntityKind is the kind of IAM identity a policy is attached to.
type EntityKind string

// Entity kinds that carry policies.
const (
	KindUser  EntityKind = "user"
	KindGroup EntityKind = "group"
	KindRole  EntityKind = "role"
)

// EntityRef names a user, group or role of an account.
type EntityRef struct {
	Kind EntityKind
	Name string
}

// InlinePolicy is a policy embedded in a user, group or role.
type InlinePolicy struct {
	AccountID string
	Owner     EntityRef
	Name      string
	Document  string
}

// AccessKeyStatus is Active or Inactive.
type AccessKeyStatus string

// Access key states.
const (
	KeyActive   AccessKeyStatus = "Active"
	KeyInactive AccessKeyStatus = "Inactive"
)

// AccessKey is a long-term access key of an IAM user or of the root user.
type AccessKey struct {
	ID        string // "AKIA..."
	AccountID string
	// UserName is the owning IAM user, or "" for the root user.
	UserName  string
	Status    AccessKeyStatus
	Secret    Secret
	CreatedAt time.Time
	LastUsed  *AccessKeyUse
}

// AccessKeyUse records the last use of an access key.
type AccessKeyUse struct {
	Time    time.Time
	Service string
	Region  string
}

// Secret is a credential secret (secret access key, password, session
// token). It prints and logs as "[REDACTED]"; use Reveal for the value.
type Secret string

// String redacts the secret.
func (Secret) String() string { return "[REDACTED]" }

// GoString redacts the secret in %#v.
func (Secret) GoString() string { return "[REDACTED]" }

// LogValue redacts the secret in structured logs.
func (Secret) LogValue() slog.Value { return slog.StringValue("[REDACTED]") }

// Reveal returns the secret's value, for signing or showing it once.
func (s Secret) Reveal() string { return string(s) }
