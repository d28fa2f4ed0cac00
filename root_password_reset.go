package gatehouse

import "time"

// RootPasswordReset is a pending "forgot password" reset of an account's
// root password (docs/root-tasks.md, "Lost root credentials"): a one-time
// code was sent to the root email address. Only a hash of the code is
// kept. An account has at most one: a new request replaces the old one,
// so the old code stops working.
type RootPasswordReset struct {
	AccountID string
	// CodeHash is the SHA-256 (hex) of the code, bound to the account and
	// the address it was sent to; never the code.
	CodeHash  string
	CreatedAt time.Time
	ExpiresAt time.Time
	// Attempts counts the wrong codes tried against this reset.
	Attempts int
}

// RootPasswordResetTx covers pending root password resets. Their writes
// change nothing a cache holds, so an Update whose only writes are these
// (with audit records and outbox messages) does not move the revision.
type RootPasswordResetTx interface {
	// PutRootPasswordReset stores r as its account's pending reset,
	// replacing any earlier one; a zero CreatedAt is set to the
	// transaction's time. CodeNotFound for an unknown account.
	PutRootPasswordReset(r *RootPasswordReset) error
	// RootPasswordReset returns the account's pending reset
	// (CodeNotFound when it has none).
	RootPasswordReset(accountID string) (*RootPasswordReset, error)
	// DeleteRootPasswordReset deletes the account's pending reset, if
	// any.
	DeleteRootPasswordReset(accountID string) error
}
