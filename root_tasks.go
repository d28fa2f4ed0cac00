package gatehouse

import "time"

// Root-only account tasks (aws-reference §1): account state, root email
// change confirmations and the outbox of messages AWS would email.

// Account states, as GetAccountStatus reports them.
const (
	AccountActive = "ACTIVE"
	AccountClosed = "CLOSED"
)

// ReopenWindow is how long after closure root may reopen an account;
// after it the account is gone for good.
const ReopenWindow = 90 * 24 * time.Hour

// Closed reports whether the account is closed.
func (a *Account) Closed() bool { return !a.ClosedAt.IsZero() }

// State returns AccountActive or AccountClosed.
func (a *Account) State() string {
	if a.Closed() {
		return AccountClosed
	}
	return AccountActive
}

// PendingEmailUpdate is a root email change waiting for the code sent to
// the new address. Only a hash of the code is kept.
type PendingEmailUpdate struct {
	Email     string
	CodeHash  string
	ExpiresAt time.Time
}

// OutboxMessage is a message Gatehouse would email (a confirmation code,
// a notice of a root password change or of account closure).
type OutboxMessage struct {
	ID        string
	AccountID string
	To        string
	Subject   string
	// Body is the text of the message. It may carry a confirmation code,
	// so it is a Secret: stores seal it at rest, and only the SMTP
	// deliverer and `gatehouse outbox list` reveal it. The subject must
	// never carry one.
	Body      Secret
	CreatedAt time.Time
	// Delivery is the message's SMTP delivery state.
	Delivery OutboxDelivery
}

// Outbox delivery statuses.
const (
	DeliveryPending   = "PENDING"
	DeliveryDelivered = "DELIVERED"
	DeliveryFailed    = "FAILED"
)

// OutboxDelivery is the SMTP delivery state of an outbox message (sent by
// `gatehouse serve --smtp-addr`). A message stays DeliveryPending while no
// SMTP server is configured.
type OutboxDelivery struct {
	Status    string // DeliveryPending, DeliveryDelivered or DeliveryFailed
	Attempts  int
	LastError string
	// NextAttempt is when a pending message may be retried (zero: now).
	NextAttempt time.Time
	DeliveredAt time.Time
}

// OutboxTx covers the outbox.
type OutboxTx interface {
	// AddOutboxMessage stores a message; a zero CreatedAt is set to the
	// transaction's time, an empty ID is generated and an empty delivery
	// status is DeliveryPending.
	AddOutboxMessage(m *OutboxMessage) error
	// OutboxMessages lists the messages of an account ("" for every
	// account), oldest first.
	OutboxMessages(accountID string) ([]*OutboxMessage, error)
	// DueOutboxMessages lists up to limit pending messages whose next
	// attempt is due at now, oldest first.
	DueOutboxMessages(now time.Time, limit int) ([]*OutboxMessage, error)
	// SetOutboxDelivery records a message's delivery state
	// (CodeNotFound for an unknown ID).
	SetOutboxDelivery(id string, d OutboxDelivery) error
}
