package sqlite

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

const outboxColumns = `id, account_id, to_address, subject, body, body_sealed, created_at, delivery_status, delivery_attempts, delivery_error, next_attempt_at, delivered_at`

// outboxAAD binds a sealed outbox body to its message (migration 0016).
func outboxAAD(id string) string { return "outbox/" + id + "/body" }

func (t *tx) scanOutboxMessage(row scanner) (*gatehouse.OutboxMessage, error) {
	var m gatehouse.OutboxMessage
	var plain string
	var sealed []byte
	var created, next, delivered sql.NullInt64
	d := &m.Delivery
	if err := row.Scan(&m.ID, &m.AccountID, &m.To, &m.Subject, &plain, &sealed, &created,
		&d.Status, &d.Attempts, &d.LastError, &next, &delivered); err != nil {
		return nil, err
	}
	m.Body = gatehouse.Secret(plain)
	if sealed != nil {
		var err error
		if m.Body, err = t.open(outboxAAD(m.ID), sealed); err != nil {
			return nil, fmt.Errorf("outbox message %s: %w", m.ID, err)
		}
	}
	m.CreatedAt, d.NextAttempt, d.DeliveredAt = decodeTime(created), decodeTime(next), decodeTime(delivered)
	return &m, nil
}

// AddOutboxMessage stores a message; a zero CreatedAt is set to the
// transaction's time, an empty ID is generated and an empty delivery
// status is DeliveryPending.
func (t *tx) AddOutboxMessage(m *gatehouse.OutboxMessage) error {
	m.CreatedAt = t.stamp(m.CreatedAt)
	if m.ID == "" {
		var b [16]byte
		if _, err := rand.Read(b[:]); err != nil {
			return fmt.Errorf("outbox message id: %w", err)
		}
		m.ID = hex.EncodeToString(b[:])
	}
	if m.Delivery.Status == "" {
		m.Delivery.Status = gatehouse.DeliveryPending
	}
	sealed, err := t.seal(outboxAAD(m.ID), m.Body)
	if err != nil {
		return fmt.Errorf("seal outbox message: %w", err)
	}
	d := m.Delivery
	_, err = t.execAppend(`INSERT INTO outbox (`+outboxColumns+`) VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.AccountID, m.To, m.Subject, sealed, encodeTime(m.CreatedAt),
		d.Status, d.Attempts, d.LastError, encodeTime(d.NextAttempt), encodeTime(d.DeliveredAt))
	if constraintOf(err) != noConstraint {
		return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "Outbox message %s already exists.", m.ID)
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
	msgs, err := collect(rows, err, t.scanOutboxMessage)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return msgs, nil
}

// DueOutboxMessages lists up to limit pending messages whose next attempt
// is due at now, oldest first.
func (t *tx) DueOutboxMessages(now time.Time, limit int) ([]*gatehouse.OutboxMessage, error) {
	rows, err := t.query(`SELECT `+outboxColumns+` FROM outbox WHERE delivery_status = ?
		AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY seq LIMIT ?`,
		gatehouse.DeliveryPending, encodeTime(now), limit)
	msgs, err := collect(rows, err, t.scanOutboxMessage)
	if err != nil {
		return nil, fmt.Errorf("due outbox messages: %w", err)
	}
	return msgs, nil
}

// SetOutboxDelivery records a message's delivery state.
func (t *tx) SetOutboxDelivery(id string, d gatehouse.OutboxDelivery) error {
	res, err := t.exec(`UPDATE outbox SET delivery_status = ?, delivery_attempts = ?, delivery_error = ?,
		next_attempt_at = ?, delivered_at = ? WHERE id = ?`,
		d.Status, d.Attempts, d.LastError, encodeTime(d.NextAttempt), encodeTime(d.DeliveredAt), id)
	if err != nil {
		return fmt.Errorf("set outbox delivery: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("set outbox delivery: %w", err)
	} else if n == 0 {
		return noSuch("outbox message", id)
	}
	return nil
}

// sealOutboxBodies seals the bodies of the outbox messages written before
// migration 0016 and blanks their plain text, in the transaction that
// applies the migration, and returns how many it sealed. The old plain
// text may survive in the file's free space: migrate vacuums the file
// when this sealed any.
func sealOutboxBodies(ctx context.Context, sqlTx *sql.Tx, aead cipher.AEAD) (int, error) {
	rows, err := sqlTx.QueryContext(ctx, `SELECT id, body FROM outbox WHERE body_sealed IS NULL`)
	type plainBody struct{ id, body string }
	plain, err := collect(rows, err, func(row scanner) (plainBody, error) {
		var p plainBody
		err := row.Scan(&p.id, &p.body)
		return p, err
	})
	if err != nil {
		return 0, fmt.Errorf("seal outbox bodies: %w", err)
	}
	for _, p := range plain {
		sealed, err := sealWith(aead, outboxAAD(p.id), gatehouse.Secret(p.body))
		if err != nil {
			return 0, fmt.Errorf("seal outbox bodies: %w", err)
		}
		if _, err := sqlTx.ExecContext(ctx, `UPDATE outbox SET body = '', body_sealed = ? WHERE id = ?`, sealed, p.id); err != nil {
			return 0, fmt.Errorf("seal outbox bodies: %w", err)
		}
	}
	return len(plain), nil
}
