package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// TestBatchedUpdates: updates queued behind a running one commit as one
// batch in which each keeps its own outcome: one that fails, panics or
// whose context ended is rolled back alone, its panic raised on its own
// goroutine; the others commit with their audit records, and the
// revision grows by one per update that changed something.
func TestBatchedUpdates(t *testing.T) {
	for _, path := range []string{MemoryPath, filepath.Join(t.TempDir(), "g.db")} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			ctx := context.Background()
			s, err := Open(ctx, path, Options{SecretKey: make([]byte, 32)})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			const acct = "123456789012"
			if err := s.Update(ctx, func(tx gatehouse.Tx) error {
				return tx.CreateAccount(&gatehouse.Account{ID: acct, Email: "root@example.com"})
			}); err != nil {
				t.Fatal(err)
			}
			rev0, _ := s.Revision(ctx)
			user := func(name string) *gatehouse.User {
				return &gatehouse.User{AccountID: acct, Name: name, ID: "AIDA" + name, Path: "/"}
			}

			// The first update holds the write lock until released.
			started, release := make(chan struct{}), make(chan struct{})
			var wg sync.WaitGroup
			wg.Go(func() {
				if err := s.Update(ctx, func(tx gatehouse.Tx) error {
					close(started)
					<-release
					return tx.CreateUser(user("FIRST"))
				}); err != nil {
					t.Errorf("first update: %v", err)
				}
			})
			<-started

			failure := errors.New("refused")
			canceled, cancel := context.WithCancel(ctx)
			cancel()
			rec := &gatehouse.AuditRecord{Time: time.Unix(1700000000, 0), RequestID: "req-batched", AccountID: acct, Action: "iam:CreateUser"}
			type outcome struct {
				err      error
				panicked any
			}
			cases := []struct {
				name string
				ctx  context.Context
				fn   func(tx gatehouse.Tx) error
				want outcome
			}{
				{"OK1", ctx, func(tx gatehouse.Tx) error { return tx.CreateUser(user("OK1")) }, outcome{}},
				{"FAILS", ctx, func(tx gatehouse.Tx) error { tx.CreateUser(user("FAILS")); return failure }, outcome{err: failure}},
				{"PANICS", ctx, func(tx gatehouse.Tx) error { tx.CreateUser(user("PANICS")); panic("boom") }, outcome{panicked: "boom"}},
				{"CANCELED", canceled, func(tx gatehouse.Tx) error { return tx.CreateUser(user("CANCELED")) }, outcome{err: context.Canceled}},
				{"AUDITED", gatehouse.WithAudit(ctx, rec), func(tx gatehouse.Tx) error { return tx.CreateUser(user("AUDITED")) }, outcome{}},
				{"OK2", ctx, func(tx gatehouse.Tx) error { return tx.CreateUser(user("OK2")) }, outcome{}},
			}
			got := make([]outcome, len(cases))
			for i, c := range cases {
				wg.Go(func() {
					defer func() { got[i].panicked = recover() }()
					got[i].err = s.Update(c.ctx, c.fn)
				})
			}
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
				s.batch.mu.Lock()
				n := len(s.batch.queue)
				s.batch.mu.Unlock()
				if n == len(cases) {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%d updates queued, want %d", n, len(cases))
				}
			}
			close(release)
			wg.Wait()

			for i, c := range cases {
				if !errors.Is(got[i].err, c.want.err) || got[i].panicked != c.want.panicked {
					t.Errorf("%s: error %v, panic %v; want %v, %v", c.name, got[i].err, got[i].panicked, c.want.err, c.want.panicked)
				}
			}
			err = s.View(ctx, func(tx gatehouse.Tx) error {
				for _, c := range append(cases, struct {
					name string
					ctx  context.Context
					fn   func(tx gatehouse.Tx) error
					want outcome
				}{name: "FIRST"}) {
					_, err := tx.User(acct, c.name)
					committed := c.want == outcome{}
					if (err == nil) != committed {
						t.Errorf("user %s: %v, want committed %v", c.name, err, committed)
					}
				}
				recs, err := tx.AuditRecords(gatehouse.AuditFilter{AccountID: acct})
				found := false
				for _, r := range recs {
					found = found || r.RequestID == rec.RequestID
				}
				if !found {
					t.Error("the audited update's record is not in the store")
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if !rec.Written() {
				t.Error("the audited update's record is not marked written")
			}
			if rev, _ := s.Revision(ctx); rev-rev0 != 4 {
				t.Errorf("revision grew by %d, want 4 (one per committed update)", rev-rev0)
			}
			// The store takes updates as before.
			if err := s.Update(ctx, func(tx gatehouse.Tx) error { return tx.CreateUser(user("AFTER")) }); err != nil {
				t.Errorf("update after the batch: %v", err)
			}
		})
	}
}
