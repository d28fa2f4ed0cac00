package gatehouse

import (
	"context"
	"time"
	"unicode/utf8"
)

// Principal types of audit records: the words of CloudTrail's
// userIdentity.type.
const (
	PrincipalRoot        = "Root"
	PrincipalIAMUser     = "IAMUser"
	PrincipalAssumedRole = "AssumedRole"
	// PrincipalAnonymous is a caller that did not prove an identity: its
	// request failed authentication.
	PrincipalAnonymous = "Anonymous"
	// PrincipalOperator is whoever runs the server, acting on its data
	// directory with an operator command (gatehouse root
	// reset-credentials), as AWS Support acts on an account: no AWS
	// principal. Its records name the OS user and host.
	PrincipalOperator = "GatehouseOperator"
)

// Audit decisions: the policy engine's outcomes as they are stored.
const (
	DecisionAllowed      = "allowed"
	DecisionExplicitDeny = "explicitDeny"
	DecisionImplicitDeny = "implicitDeny"
	// DecisionRootException records a request the resource owner's root
	// user made although a resource-based policy denies it, which AWS
	// allows for the few actions that recover a locked-out resource
	// (S3's Get/Put/DeleteBucketPolicy): allowed, and marked as such
	// (policy.Decision.RootException).
	DecisionRootException = "allowedByRootException"
)

// AuditRecord is one API request in the audit trail: who asked, for
// what, what was decided and how it ended. Every request leaves one,
// allowed or denied, failed or not. A record carries no secret: no
// secret access key, session token, password or signature.
type AuditRecord struct {
	// Time is when the request arrived.
	Time      time.Time
	RequestID string
	// AccountID is the caller's account; for a request that failed
	// authentication, the account of the access key it named if that
	// key exists, else "".
	AccountID    string
	PrincipalARN string
	// PrincipalType is PrincipalRoot, PrincipalIAMUser,
	// PrincipalAssumedRole, PrincipalAnonymous or PrincipalOperator.
	PrincipalType string
	// Root flags the account's root user, with its long-term keys or a
	// root session.
	Root bool
	// AccessKeyID is the key the request was signed with; for a request
	// that failed authentication, the key its credential named.
	AccessKeyID string
	// SignIn flags a request made with the root user's console sign-in
	// session (and the sign-in itself), and MFA a request whose
	// temporary credentials were issued with an MFA code (or a sign-in
	// made with one).
	SignIn, MFA bool
	// Service is the service prefix ("iam", "sts") and Action the API
	// operation ("CreateUser").
	Service, Action string
	// Resource is the ARN the request was authorized against ("*" for
	// operations on no particular resource).
	Resource string
	// Decision is DecisionAllowed, DecisionExplicitDeny,
	// DecisionImplicitDeny or DecisionRootException; "" when no authorization decision was made
	// (the request failed before it, or the operation needs no
	// permission, as sts:GetCallerIdentity).
	Decision string
	// ErrorCode is the AWS error code the request ended with; "" on
	// success.
	ErrorCode string
	SourceIP  string
	UserAgent string
	// Seq numbers records in the order the store appended them; the
	// store assigns it.
	Seq int64
	// Speller spells domain error codes as the request's protocol does
	// (the edge sets it); SetError uses it.
	Speller Speller

	written bool
}

// Speller spells domain error codes as a wire protocol does.
type Speller interface {
	Spell(code Code) string
}

// SetError records the error code a request ends with, spelled as its
// protocol spells it: for failures a service commits with the record
// (a counted failed attempt), before the edge sees the error.
func (r *AuditRecord) SetError(code Code) {
	if code != "" && r.Speller != nil {
		r.ErrorCode = r.Speller.Spell(code)
		return
	}
	r.ErrorCode = string(code)
}

// Written reports whether a store has committed r (see [WithAudit]).
func (r *AuditRecord) Written() bool { return r.written }

// MarkWritten records that a store committed r. Stores call it once the
// transaction that appended r has committed, never before.
func (r *AuditRecord) MarkWritten() { r.written = true }

// AuditFilter selects audit records.
type AuditFilter struct {
	// AccountID, when set, keeps the records of that account.
	AccountID string
	// RootOnly keeps the records of requests made by root users.
	RootOnly bool
	// Since, when not zero, keeps the records of requests that arrived
	// at or after it.
	Since time.Time
	// Limit caps the number of records; 0 means no cap.
	Limit int
}

// AuditTx covers the audit trail. Records are only ever appended.
type AuditTx interface {
	// AppendAudit stores r and sets r.Seq.
	AppendAudit(r *AuditRecord) error
	// AuditRecords returns the records f selects, the newest first: by
	// Time (the request's), then by Seq. Records of reads are appended in
	// batches a little after the writes that follow them; Time keeps the
	// order in which the requests came.
	AuditRecords(f AuditFilter) ([]*AuditRecord, error)
}

// auditKey is the context key of the request's audit record.
type auditKey struct{}

// WithAudit returns a copy of ctx that carries rec, the audit record of
// the request ctx belongs to. A store's Update called with that context
// appends rec in its own transaction, after fn succeeded, unless rec is
// already [AuditRecord.Written]: the record of a change commits with the
// change. A nil rec hides the record of an outer context, for writes
// that are bookkeeping rather than the request's change.
func WithAudit(ctx context.Context, rec *AuditRecord) context.Context {
	return context.WithValue(ctx, auditKey{}, rec)
}

// AuditFrom returns the audit record ctx carries, or nil.
func AuditFrom(ctx context.Context) *AuditRecord {
	rec, _ := ctx.Value(auditKey{}).(*AuditRecord)
	return rec
}

// Bounds of the audit fields that come from the request as sent.
const (
	MaxAuditAction    = 128
	MaxAuditResource  = 2048 // the longest ARN AWS accepts
	MaxAuditUserAgent = 512
)

// ClipAudit cuts s to at most n bytes on a character boundary, for an
// audit field bounded by one of the MaxAudit limits.
func ClipAudit(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
