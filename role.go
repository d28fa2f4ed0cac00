package gatehouse

import "time"

// DefaultMaxSessionDuration is a role's maximum session duration unless
// set (seconds).
const DefaultMaxSessionDuration = 3600

// Role is an IAM role.
type Role struct {
	AccountID string
	Name      string
	ID        string // "AROA..."
	Path      string
	// AssumeRolePolicy is the trust policy document. TrustBindings maps
	// each IAM user and role ARN it names as a principal to that entity's
	// unique ID when the policy was written: like AWS, a principal is the
	// entity, not its name, so a user or role deleted and created again
	// (or another one renamed into the name) is not trusted.
	AssumeRolePolicy string
	TrustBindings    map[string]string
	Description      string
	// MaxSessionDuration is in seconds, 3600 to 43200.
	MaxSessionDuration  int
	PermissionsBoundary string
	CreatedAt           time.Time
	Tags                []Tag
	// LastUsed is when a session of the role was last created, if ever.
	LastUsed *time.Time
	// Partition is the partition of the role's account, as for
	// Account.Partition; stores set it on every read.
	Partition string
}

// ARN returns the role's ARN.
func (r *Role) ARN() string { return EntityARN(r.Partition, r.AccountID, "role", r.Path, r.Name) }

// SessionKind says what created a set of temporary credentials.
type SessionKind string

// Session kinds.
const (
	// SessionRole is an assumed-role session (sts:AssumeRole).
	SessionRole SessionKind = "role"
	// SessionUser is an IAM user's or the root user's GetSessionToken session.
	SessionUser SessionKind = "user"
)

// Session is a set of temporary credentials issued by STS. Its access
// key ID starts with "ASIA"; the session token is never stored, only its
// SHA-256 hash.
type Session struct {
	AccessKeyID string
	Secret      Secret
	// TokenHash is the SHA-256 of the session token.
	TokenHash []byte
	AccountID string
	Kind      SessionKind
	// RoleName names the assumed role (SessionRole), and RoleID is that
	// role's unique ID: a role created again under the same name is
	// another role, and the old sessions do not work for it.
	RoleName    string
	RoleID      string
	SessionName string
	// UserName is the IAM user of a SessionUser session; "" for root.
	// UserID is that user's unique ID: a user deleted and created again
	// under the same name is another user, and the old sessions do not
	// work for it.
	UserName string
	UserID   string
	// SignIn marks the root user's console sign-in session (POST
	// /_gatehouse/signin), as against a GetSessionToken session: the
	// console may use IAM without MFA, GetSessionToken credentials may not.
	SignIn bool
	// Tags are the session tags passed to AssumeRole (aws:PrincipalTag
	// keys that override the role's tags of the same key).
	Tags []Tag
	// SessionPolicy is the inline session policy passed at creation, and
	// PolicyARNs the managed session policies.
	SessionPolicy string
	PolicyARNs    []string
	// MFAAuthenticated reports that the caller proved an MFA code when
	// the session was created, at MFAAuthTime.
	MFAAuthenticated bool
	MFAAuthTime      time.Time
	IssuedAt         time.Time
	Expiration       time.Time
	// Chained reports a role session created with another role session's
	// credentials (role chaining, capped at one hour).
	Chained        bool
	SourceIdentity string
}
