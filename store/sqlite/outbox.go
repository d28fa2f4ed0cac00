package sqlite

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"

	"github.com/gatehouse-dev/gatehouse"
)

const outboxColumns = `id, account_id, to_address, subject, body, created_at`

func scanOutboxMessage(row scanner) (*gatehouse.OutboxMessage, error) {
	var m gatehouse.OutboxMessage
	var created sql.NullInt64
	if err := row.Scan(&m.ID, &m.AccountID, &m.To, &m.Subject, &m.Body, &created); err != nil {
		return nil, err
	}
	m.CreatedAt = decodeTime(created)
	return &m, nil
}

// AddOutboxMessage stores a message; a zero CreatedAt is set to the
// transaction's time and an empty ID is generated.
func (t *tx) AddOutboxMessage(m *gatehouse.OutboxMessage) error {
	m.CreatedAt = t.stamp(m.CreatedAt)
	if m.ID == "" {
		var b [16]byte
		if _, err := rand.Read(b[:]); err != nil {
			return fmt.Errorf("outbox message id: %w", err)
		}
		m.ID = hex.EncodeToString(b[:])
	}
	_, err := t.exec(`INSERT INTO outbox (`+outboxColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		m.ID, m.AccountID, m.To, m.Subject, m.Body, encodeTime(m.CreatedAt))
	if constraintOf(err) != noConstraint {
		return gatehouse.Errorf(gatehouse.EEntityAlreadyExists, "Outbox message %s already exists.", m.ID)
	}
	if err != nil {
		return fmt.Errorf("add outbox message: %w", err)
	}
	return nil
}

// OutboxMessages lists the messages of an account ("" for all), oldest
// first.
func (t *tx) OutboxMessages(accountID string) ([]*gatehouse.OutboxMessage, error) {
	rows, err := t.query(`SELECT `+outboxColumns+` FROM outbox WHERE ? = '' OR account_id = ? ORDER BY seq`, accountID, accountID)
	msgs, err := collect(rows, err, scanOutboxMessage)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return msgs, nil
}
