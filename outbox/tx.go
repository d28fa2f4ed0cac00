package outbox

import (
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// Tx is the part of gatehouse.Tx the outbox package uses: the store
// transactions it runs see only these methods (gatehouse.Narrow[outbox.Tx]
// of the server's store).
type Tx interface {
	// DueOutboxMessages lists up to limit pending messages whose next
	// attempt is due at now, oldest first.
	DueOutboxMessages(now time.Time, limit int) ([]*gatehouse.OutboxMessage, error)
	// SetOutboxDelivery records a message's delivery state
	// (CodeNotFound for an unknown ID).
	SetOutboxDelivery(id string, d gatehouse.OutboxDelivery) error
}
