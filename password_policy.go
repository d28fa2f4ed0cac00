package gatehouse

import "time"

// PasswordPolicy is an account's IAM password policy. It governs the
// console passwords of IAM users (login profiles) and never the root
// user's password.
type PasswordPolicy struct {
	// MinimumPasswordLength is 6 to 128.
	MinimumPasswordLength      int
	RequireSymbols             bool
	RequireNumbers             bool
	RequireUppercaseCharacters bool
	RequireLowercaseCharacters bool
	// AllowUsersToChangePassword lets every IAM user change its own
	// password (iam:ChangePassword on itself, and read this policy)
	// without a policy that allows it.
	AllowUsersToChangePassword bool
	// MaxPasswordAge is in days, 1 to 1095; 0 means passwords never
	// expire.
	MaxPasswordAge int
	// PasswordReusePrevention is how many previous passwords a user may
	// not reuse, 1 to 24; 0 means no prevention.
	PasswordReusePrevention int
	// HardExpiry stops users from setting a new password once theirs
	// expired (an administrator must reset it).
	HardExpiry bool
}

// MaxPasswordHistory is the most previous passwords a login profile
// remembers (the largest PasswordReusePrevention).
const MaxPasswordHistory = 24

// LoginProfile is an IAM user's console password. Only hashes are
// stored.
type LoginProfile struct {
	AccountID string
	UserName  string
	// PasswordHash is the current password's hash (PHC string format).
	PasswordHash string
	// PasswordResetRequired makes the user set a new password at next
	// sign-in.
	PasswordResetRequired bool
	CreatedAt             time.Time
	// PasswordChangedAt is when the current password was set.
	PasswordChangedAt time.Time
	// History holds the hashes of earlier passwords, newest first, at
	// most MaxPasswordHistory.
	History []string
}

// LoginProfileTx covers IAM users' login profiles. A user's profile is
// deleted with the user and follows it through a rename.
type LoginProfileTx interface {
	// CreateLoginProfile stores p; CodeAlreadyExists when the user
	// has one, CodeNotFound for an unknown user.
	CreateLoginProfile(p *LoginProfile) error
	// LoginProfile returns CodeNotFound when the user has none.
	LoginProfile(accountID, userName string) (*LoginProfile, error)
	// UpdateLoginProfile replaces the profile of p.UserName.
	UpdateLoginProfile(p *LoginProfile) error
	// DeleteLoginProfile returns CodeNotFound when the user has none.
	DeleteLoginProfile(accountID, userName string) error
}

// CredentialReport is an account's credential report
// (GenerateCredentialReport): a CSV of every user's credentials, root's
// included. An account keeps its newest report only.
type CredentialReport struct {
	AccountID   string
	GeneratedAt time.Time
	// Content is the CSV text.
	Content []byte
}

// CredentialReportTx covers credential reports.
type CredentialReportTx interface {
	// PutCredentialReport replaces the account's report; CodeNotFound
	// for an unknown account.
	PutCredentialReport(r *CredentialReport) error
	// CredentialReport returns the account's report; CodeNotFound when
	// it has none.
	CredentialReport(accountID string) (*CredentialReport, error)
}
