package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// Concurrency of the concurrent-update test: writers × updates each.
const (
	writers         = 8
	writesPerWriter = 25
)

func txTests() []test {
	return []test{
		{"RollbackOnError", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "keep")
			errFail := errors.New("fail on purpose")
			err := s.Update(t.Context(), func(tx gatehouse.Tx) error {
				if err := tx.CreateUser(newUser(acct1, "ghost")); err != nil {
					return err
				}
				if err := tx.CreateGroup(newGroup(acct1, "ghosts")); err != nil {
					return err
				}
				if err := tx.DeleteUser(acct1, "keep"); err != nil {
					return err
				}
				return fmt.Errorf("wrapped: %w", errFail)
			})
			if !errors.Is(err, errFail) {
				t.Fatalf("Update returned %v, want fn's error", err)
			}
			mustView(t, s, func(tx gatehouse.Tx) error {
				users, err := tx.Users(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "users after rollback", userNames(users), []string{"keep"})
				groups, err := tx.Groups(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "groups after rollback", groupNames(groups), []string{})
				return nil
			})
		}},
		{"ErrorCodePassesThrough", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice")
			err := s.Update(t.Context(), func(tx gatehouse.Tx) error {
				if err := tx.CreateUser(newUser(acct1, "bob")); err != nil {
					return err
				}
				return tx.CreateUser(newUser(acct1, "ALICE"))
			})
			wantCode(t, err, gatehouse.CodeAlreadyExists)
			err = s.View(t.Context(), func(tx gatehouse.Tx) error { _, err := tx.User(acct1, "bob"); return err })
			wantCode(t, err, gatehouse.CodeNotFound)
		}},
		{"ContinueAfterError", func(t *testing.T, s gatehouse.Store) {
			// fn may handle an error of one call and go on.
			seedUsers(t, s, acct1, "alice")
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				if err := tx.CreateUser(newUser(acct1, "alice")); gatehouse.ErrorCode(err) != gatehouse.CodeAlreadyExists {
					return fmt.Errorf("duplicate create returned %v", err)
				}
				return tx.CreateUser(newUser(acct1, "bob"))
			})
			mustView(t, s, func(tx gatehouse.Tx) error {
				users, err := tx.Users(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "users", userNames(users), []string{"alice", "bob"})
				return nil
			})
		}},
		{"ViewIsReadOnly", func(t *testing.T, s gatehouse.Store) {
			err := s.View(t.Context(), func(tx gatehouse.Tx) error { return tx.CreateUser(newUser(acct1, "alice")) })
			if err == nil {
				t.Fatal("CreateUser inside View succeeded")
			}
			err = s.View(t.Context(), func(tx gatehouse.Tx) error { _, err := tx.User(acct1, "alice"); return err })
			wantCode(t, err, gatehouse.CodeNotFound)
		}},
		{"ViewReturnsFnError", func(t *testing.T, s gatehouse.Store) {
			errFail := errors.New("fail on purpose")
			if err := s.View(t.Context(), func(gatehouse.Tx) error { return errFail }); !errors.Is(err, errFail) {
				t.Fatalf("View returned %v, want fn's error", err)
			}
		}},
		{"Revision", func(t *testing.T, s gatehouse.Store) {
			rev := mustRevision(t, s)
			for i := range 3 {
				seedUsers(t, s, acct1, fmt.Sprintf("user%d", i))
				next := mustRevision(t, s)
				if next <= rev {
					t.Fatalf("revision %d after a committed update, was %d", next, rev)
				}
				rev = next
			}
			_ = s.Update(t.Context(), func(tx gatehouse.Tx) error {
				if err := tx.CreateUser(newUser(acct1, "ghost")); err != nil {
					return err
				}
				return errors.New("roll back")
			})
			mustView(t, s, func(tx gatehouse.Tx) error { _, err := tx.Users(acct1); return err })
			if got := mustRevision(t, s); got != rev {
				t.Fatalf("revision went from %d to %d on a rollback and a view", rev, got)
			}
		}},
		{"TxUnusableAfterReturn", func(t *testing.T, s gatehouse.Store) {
			var leaked gatehouse.Tx
			mustUpdate(t, s, func(tx gatehouse.Tx) error { leaked = tx; return nil })
			if err := leaked.CreateUser(newUser(acct1, "late")); err == nil {
				t.Error("CreateUser on a transaction that had ended succeeded")
			}
			mustView(t, s, func(tx gatehouse.Tx) error { leaked = tx; return nil })
			if _, err := leaked.Users(acct1); err == nil {
				t.Error("Users on a view that had ended succeeded")
			}
		}},
		{"ConcurrentUpdates", func(t *testing.T, s gatehouse.Store) {
			before := mustRevision(t, s)
			var wg sync.WaitGroup
			errs := make(chan error, (writers+2)*writesPerWriter)
			for w := range writers {
				wg.Go(func() {
					for i := range writesPerWriter {
						errs <- s.Update(t.Context(), func(tx gatehouse.Tx) error {
							return tx.CreateUser(newUser(acct1, fmt.Sprintf("w%d-u%02d", w, i)))
						})
					}
				})
			}
			// Readers run alongside the writers.
			for range 2 {
				wg.Go(func() {
					for range writesPerWriter {
						errs <- s.View(t.Context(), func(tx gatehouse.Tx) error { _, err := tx.Users(acct1); return err })
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Errorf("concurrent call: %v", err)
				}
			}
			mustView(t, s, func(tx gatehouse.Tx) error {
				users, err := tx.Users(acct1)
				if err != nil {
					return err
				}
				if len(users) != writers*writesPerWriter {
					t.Errorf("%d users after %d concurrent creates", len(users), writers*writesPerWriter)
				}
				return nil
			})
			if after := mustRevision(t, s); after-before < writers*writesPerWriter {
				t.Errorf("revision grew by %d over %d committed updates", after-before, writers*writesPerWriter)
			}
		}},
	}
}
