package storetest

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// rootTaskTests cover the account fields of the root-only tasks (state,
// billing access switch, pending email change) and the outbox.
func rootTaskTests() []test {
	return []test{
		{"AccountStateRoundTrip", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			want := newAccount(acct1, 0)
			want.ClosedAt = at(10)
			want.IAMBillingAccess = true
			want.PendingEmail = &gatehouse.PendingEmailUpdate{Email: "new@example.com", CodeHash: "abc123", ExpiresAt: at(20)}
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.UpdateAccount(want) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.Account(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "account", normAccount(got), normAccount(want))
				if got.State() != gatehouse.AccountClosed {
					t.Errorf("state %s, want CLOSED", got.State())
				}
				other, err := tx.Account(acct2)
				if err != nil {
					return err
				}
				if other.Closed() || other.IAMBillingAccess || other.PendingEmail != nil {
					t.Errorf("other account changed: %+v", other)
				}
				return nil
			})
			want.ClosedAt, want.PendingEmail = gatehouse.Account{}.ClosedAt, nil
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.UpdateAccount(want) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.Account(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "reopened account", normAccount(got), normAccount(want))
				return nil
			})
		}},
		{"CreateWithBillingAccess", func(t *testing.T, s gatehouse.Store) {
			a := newAccount(acct1, 0)
			a.IAMBillingAccess = true
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreateAccount(a) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.Account(acct1)
				if err != nil {
					return err
				}
				if !got.IAMBillingAccess || got.Closed() {
					t.Errorf("got %+v", got)
				}
				return nil
			})
		}},
		{"OutboxAddList", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			msgs := []*gatehouse.OutboxMessage{
				{ID: "m1", AccountID: acct1, To: "a@example.com", Subject: "one", Body: "code 123456\n", CreatedAt: at(1)},
				{ID: "m2", AccountID: acct2, To: "b@example.com", Subject: "two", Body: "b", CreatedAt: at(2)},
				{ID: "m3", AccountID: acct1, To: "c@example.com", Subject: "three", Body: "c", CreatedAt: at(3)},
			}
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				for _, m := range msgs {
					if err := tx.AddOutboxMessage(m); err != nil {
						return err
					}
				}
				return nil
			})
			mustView(t, s, func(tx gatehouse.Tx) error {
				all, err := tx.OutboxMessages("")
				if err != nil {
					return err
				}
				wantEqual(t, "all messages", normMessages(all), normMessages(msgs))
				one, err := tx.OutboxMessages(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "account messages", normMessages(one), normMessages([]*gatehouse.OutboxMessage{msgs[0], msgs[2]}))
				none, err := tx.OutboxMessages("333333333333")
				if err != nil {
					return err
				}
				if len(none) != 0 {
					t.Errorf("%d messages for an account without any", len(none))
				}
				return nil
			})
			runErrorCases(t, s, []errorCase{
				{"DuplicateID", func(tx gatehouse.Tx) error {
					return tx.AddOutboxMessage(&gatehouse.OutboxMessage{ID: "m1", AccountID: acct1})
				},
					gatehouse.CodeAlreadyExists},
			})
		}},
		{"OutboxDefaults", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			m := &gatehouse.OutboxMessage{AccountID: acct1, To: "a@example.com", Subject: "s", Body: "b"}
			before := mustRevision(t, s)
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.AddOutboxMessage(m) })
			if after := mustRevision(t, s); after != before {
				t.Errorf("adding an outbox message moved the revision from %d to %d (no cache holds messages)", before, after)
			}
			if m.ID == "" || m.CreatedAt.IsZero() {
				t.Fatalf("ID %q, CreatedAt %v: want both set", m.ID, m.CreatedAt)
			}
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.OutboxMessages(acct1)
				if err != nil {
					return err
				}
				if len(got) != 1 || got[0].ID != m.ID {
					t.Errorf("got %s", show(got))
				}
				return nil
			})
		}},
		{"OutboxDelivery", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			m1 := &gatehouse.OutboxMessage{AccountID: acct1, To: "a@example.com", Subject: "s1", Body: "b", CreatedAt: at(1)}
			m2 := &gatehouse.OutboxMessage{AccountID: acct1, To: "b@example.com", Subject: "s2", Body: "b", CreatedAt: at(2)}
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				if err := tx.AddOutboxMessage(m1); err != nil {
					return err
				}
				return tx.AddOutboxMessage(m2)
			})
			if m1.Delivery.Status != gatehouse.DeliveryPending {
				t.Errorf("new message status %q", m1.Delivery.Status)
			}
			due := func(now int, want ...string) {
				t.Helper()
				mustView(t, s, func(tx gatehouse.Tx) error {
					got, err := tx.DueOutboxMessages(at(now), 10)
					if err != nil {
						return err
					}
					var ids []string
					for _, m := range got {
						ids = append(ids, m.ID)
					}
					wantEqual(t, "due messages", ids, want)
					return nil
				})
			}
			due(3, m1.ID, m2.ID)
			retry := gatehouse.OutboxDelivery{Status: gatehouse.DeliveryPending, Attempts: 1, LastError: "451 busy", NextAttempt: at(10)}
			done := gatehouse.OutboxDelivery{Status: gatehouse.DeliveryDelivered, Attempts: 1, DeliveredAt: at(4)}
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				if err := tx.SetOutboxDelivery(m1.ID, retry); err != nil {
					return err
				}
				return tx.SetOutboxDelivery(m2.ID, done)
			})
			due(5)
			due(10, m1.ID)
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.OutboxMessages(acct1)
				if err != nil {
					return err
				}
				if len(got) != 2 {
					t.Fatalf("got %s", show(got))
				}
				wantEqual(t, "retry state", got[0].Delivery, retry)
				wantEqual(t, "delivered state", got[1].Delivery, done)
				return nil
			})
			wantCode(t, s.Update(t.Context(), func(tx gatehouse.Tx) error { return tx.SetOutboxDelivery("nope", done) }),
				gatehouse.CodeNotFound)
		}},
		{"PaymentPreferences", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			wantCode(t, s.View(t.Context(), func(tx gatehouse.Tx) error {
				_, err := tx.PaymentPreferences(acct1)
				return err
			}), gatehouse.CodeNotFound)
			for _, p := range []*gatehouse.PaymentPreferences{
				{AccountID: acct1, Currency: "EUR", InvoiceByEmail: true, UpdatedAt: at(1)},
				{AccountID: acct1, Currency: "JPY", CreditSharing: true, UpdatedAt: at(2)},
			} {
				mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.PutPaymentPreferences(p) })
				mustView(t, s, func(tx gatehouse.Tx) error {
					got, err := tx.PaymentPreferences(acct1)
					if err != nil {
						return err
					}
					got.UpdatedAt = got.UpdatedAt.UTC()
					want := *p
					want.UpdatedAt = want.UpdatedAt.UTC()
					wantEqual(t, "preferences", *got, want)
					_, err = tx.PaymentPreferences(acct2)
					wantCode(t, err, gatehouse.CodeNotFound)
					return nil
				})
			}
		}},
		{"OutboxRollback", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			err := s.Update(t.Context(), func(tx gatehouse.Tx) error {
				if err := tx.AddOutboxMessage(&gatehouse.OutboxMessage{AccountID: acct1, To: "a", Subject: "s", Body: "b"}); err != nil {
					return err
				}
				return gatehouse.Errorf(gatehouse.CodeInvalid, "abort")
			})
			wantCode(t, err, gatehouse.CodeInvalid)
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.OutboxMessages("")
				if err != nil {
					return err
				}
				if len(got) != 0 {
					t.Errorf("%d messages after a rolled-back update", len(got))
				}
				return nil
			})
		}},
	}
}

func normMessages(ms []*gatehouse.OutboxMessage) []gatehouse.OutboxMessage {
	out := make([]gatehouse.OutboxMessage, len(ms))
	for i, m := range ms {
		out[i] = *m
		out[i].CreatedAt = m.CreatedAt.UTC()
	}
	return out
}
