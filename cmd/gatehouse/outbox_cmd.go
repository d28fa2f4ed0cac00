package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// runOutbox handles "gatehouse outbox", which reads the data directory
// directly, whether the server runs or not.
func runOutbox(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "list" {
		fmt.Fprint(stderr, groupUsage("outbox"))
		return exitUsage
	}
	fs := newFlagSet("outbox list", stderr)
	var sc storeConfig
	sc.register(fs)
	account := fs.String("account", "", "only the messages of this account")
	asJSON := fs.Bool("json", false, "print the messages as a JSON array")
	if code, ok := parseFlags(fs, args[1:], stdout); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gatehouse outbox list: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	st, err := sc.open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse outbox list: %v\n", err)
		return 1
	}
	defer st.Close()
	var msgs []*gatehouse.OutboxMessage
	if err := st.View(ctx, func(tx gatehouse.Tx) error {
		var err error
		msgs, err = tx.OutboxMessages(*account)
		return err
	}); err != nil {
		fmt.Fprintf(stderr, "gatehouse outbox list: %v\n", err)
		return 1
	}
	if *asJSON {
		type msgJSON struct {
			ID        string    `json:"id"`
			AccountID string    `json:"accountId"`
			To        string    `json:"to"`
			Subject   string    `json:"subject"`
			Body      string    `json:"body"`
			CreatedAt time.Time `json:"createdAt"`
			Delivery  struct {
				Status      string     `json:"status"`
				Attempts    int        `json:"attempts"`
				LastError   string     `json:"lastError,omitempty"`
				NextAttempt *time.Time `json:"nextAttempt,omitempty"`
				DeliveredAt *time.Time `json:"deliveredAt,omitempty"`
			} `json:"delivery"`
		}
		opt := func(t time.Time) *time.Time {
			if t.IsZero() {
				return nil
			}
			t = t.UTC()
			return &t
		}
		out := make([]msgJSON, len(msgs))
		for i, m := range msgs {
			out[i] = msgJSON{ID: m.ID, AccountID: m.AccountID, To: m.To, Subject: m.Subject, Body: m.Body.Reveal(), CreatedAt: m.CreatedAt.UTC()}
			d := &out[i].Delivery
			d.Status, d.Attempts, d.LastError = m.Delivery.Status, m.Delivery.Attempts, m.Delivery.LastError
			d.NextAttempt, d.DeliveredAt = opt(m.Delivery.NextAttempt), opt(m.Delivery.DeliveredAt)
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return 1
		}
		return exitOK
	}
	for _, m := range msgs {
		fmt.Fprintf(stdout, "Date:    %s\nAccount: %s\nTo:      %s\nSubject: %s\nSMTP:    %s\n\n%s\n", m.CreatedAt.UTC().Format(time.RFC3339),
			m.AccountID, m.To, m.Subject, deliveryState(m.Delivery), m.Body.Reveal())
	}
	return exitOK
}

// deliveryState describes a message's SMTP delivery for outbox list.
func deliveryState(d gatehouse.OutboxDelivery) string {
	switch d.Status {
	case gatehouse.DeliveryDelivered:
		return fmt.Sprintf("DELIVERED %s (attempt %d)", d.DeliveredAt.UTC().Format(time.RFC3339), d.Attempts)
	case gatehouse.DeliveryFailed:
		return fmt.Sprintf("FAILED after %d attempts: %s", d.Attempts, d.LastError)
	}
	if d.Attempts == 0 {
		return "PENDING"
	}
	return fmt.Sprintf("PENDING, attempt %d failed (%s), retry at %s", d.Attempts, d.LastError, d.NextAttempt.UTC().Format(time.RFC3339))
}
