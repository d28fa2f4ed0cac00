package storetest

import (
	"bytes"
	"crypto/sha256"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// newSession returns a minimal session of the root user of acct1 that
// expires at(expires).
func newSession(keyID string, expires int) *gatehouse.Session {
	token := sha256.Sum256([]byte("token/" + keyID))
	return &gatehouse.Session{
		AccessKeyID: keyID,
		Secret:      gatehouse.Secret("session-secret/" + keyID + "+wJalrXUtnFEMI/K7MDENG=="),
		TokenHash:   token[:],
		AccountID:   acct1,
		Kind:        gatehouse.SessionUser,
		IssuedAt:    at(expires - 3600),
		Expiration:  at(expires),
	}
}

// fullSession returns a role session with every field set.
func fullSession() *gatehouse.Session {
	token := sha256.Sum256([]byte("FwoGZXIvYXdzEJr//////////wEaDO0example"))
	return &gatehouse.Session{
		AccessKeyID:   "ASIAEXAMPLEDEPLOYER1",
		Secret:        gatehouse.Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYSESSIONKEY"),
		TokenHash:     token[:],
		AccountID:     acct1,
		Kind:          gatehouse.SessionRole,
		RoleName:      "Deployer",
		RoleID:        "AROAEXAMPLEDEPLOYER01",
		SessionName:   "ci-run-42@example.com",
		SessionPolicy: doc(9),
		PolicyARNs: []string{
			"arn:aws:iam::111111111111:policy/b",
			"arn:aws:iam::aws:policy/ReadOnlyAccess",
		},
		MFAAuthenticated: true,
		MFAAuthTime:      at(100),
		IssuedAt:         at(101),
		Expiration:       at(101 + 3600),
		Chained:          true,
		SourceIdentity:   "alice",
		Tags:             []gatehouse.Tag{{Key: "team", Value: "blue"}, {Key: "Project", Value: "x=y"}},
	}
}

func normSession(s *gatehouse.Session) gatehouse.Session {
	n := *s
	n.MFAAuthTime, n.IssuedAt, n.Expiration = n.MFAAuthTime.UTC(), n.IssuedAt.UTC(), n.Expiration.UTC()
	if len(n.TokenHash) == 0 {
		n.TokenHash = nil
	}
	if len(n.PolicyARNs) == 0 {
		n.PolicyARNs = nil
	}
	return n
}

// wantSession compares two sessions, secrets first: a Secret prints
// redacted.
func wantSession(t testing.TB, got, want *gatehouse.Session) {
	t.Helper()
	if got.Secret.Reveal() != want.Secret.Reveal() {
		t.Fatalf("session %s: secret %q, want %q", want.AccessKeyID, got.Secret.Reveal(), want.Secret.Reveal())
	}
	if !bytes.Equal(got.TokenHash, want.TokenHash) {
		t.Fatalf("session %s: token hash %x, want %x", want.AccessKeyID, got.TokenHash, want.TokenHash)
	}
	wantEqual(t, "session", normSession(got), normSession(want))
}

// seedSessions stores the sessions in one update.
func seedSessions(t testing.TB, s gatehouse.Store, sessions ...*gatehouse.Session) {
	t.Helper()
	mustUpdate(t, s, func(tx gatehouse.Tx) error {
		for _, sess := range sessions {
			if err := tx.CreateSession(sess); err != nil {
				return err
			}
		}
		return nil
	})
}

// wantSessionIDs fails t unless, of the sessions with the given IDs, just
// those in want exist.
func wantSessionIDs(t testing.TB, s gatehouse.Store, ids, want []string) {
	t.Helper()
	got := []string{}
	mustView(t, s, func(tx gatehouse.Tx) error {
		for _, keyID := range ids {
			_, err := tx.Session(keyID)
			switch gatehouse.ErrorCode(err) {
			case "":
				got = append(got, keyID)
			case gatehouse.CodeNotFound:
			default:
				return err
			}
		}
		return nil
	})
	wantEqual(t, "sessions", got, want)
}

// deleteSessionsBefore runs DeleteSessionsBefore(before) in an update and
// returns its count.
func deleteSessionsBefore(t testing.TB, s gatehouse.Store, before time.Time) int {
	t.Helper()
	var n int
	mustUpdate(t, s, func(tx gatehouse.Tx) error {
		var err error
		n, err = tx.DeleteSessionsBefore(before)
		return err
	})
	return n
}

func sessionTests() []test {
	return []test{
		{"CreateGetRoleSession", func(t *testing.T, s gatehouse.Store) {
			want := fullSession()
			seedSessions(t, s, want)
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.Session(want.AccessKeyID)
				if err != nil {
					return err
				}
				wantSession(t, got, want)
				return nil
			})
		}},
		{"CreateGetUserSessions", func(t *testing.T, s gatehouse.Store) {
			root := newSession("ASIAROOT", 3600)
			user := newSession("ASIAUSER", 7200)
			user.UserName, user.UserID, user.MFAAuthenticated, user.MFAAuthTime = "alice", "AIDAEXAMPLEALICE0001", true, at(10)
			root.SignIn = true
			other := newSession("ASIAOTHER", 3600)
			other.AccountID = acct2
			seedSessions(t, s, root, user, other)
			mustView(t, s, func(tx gatehouse.Tx) error {
				for _, want := range []*gatehouse.Session{root, user, other} {
					got, err := tx.Session(want.AccessKeyID)
					if err != nil {
						return err
					}
					wantSession(t, got, want)
				}
				return nil
			})
		}},
		{"StampsIssuedAt", func(t *testing.T, s gatehouse.Store) {
			sess := newSession("ASIASTAMPED", 3600)
			sess.IssuedAt = time.Time{}
			seedSessions(t, s, sess)
			if sess.IssuedAt.IsZero() {
				t.Fatal("CreateSession left a zero IssuedAt")
			}
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.Session(sess.AccessKeyID)
				if err != nil {
					return err
				}
				wantSession(t, got, sess)
				return nil
			})
		}},
		{"SecretsRoundTrip", func(t *testing.T, s gatehouse.Store) {
			for _, tc := range []struct {
				name   string
				secret string
			}{
				{"AWSStyle", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
				{"Empty", ""},
				{"Unicode", "sécrét-ключ-秘密"},
				{"Long", strings.Repeat("x", 4096)},
				{"Punctuation", `'";--%_\/+=`},
			} {
				t.Run(tc.name, func(t *testing.T) {
					sess := newSession("ASIA"+tc.name, 3600)
					sess.Secret = gatehouse.Secret(tc.secret)
					seedSessions(t, s, sess)
					mustView(t, s, func(tx gatehouse.Tx) error {
						got, err := tx.Session(sess.AccessKeyID)
						if err != nil {
							return err
						}
						wantSession(t, got, sess)
						return nil
					})
				})
			}
		}},
		{"TokenHashIsBinary", func(t *testing.T, s gatehouse.Store) {
			sess := newSession("ASIABINARY", 3600)
			sess.TokenHash = []byte{0, 1, 0xff, 0, 0x80, 0x7f, 0}
			seedSessions(t, s, sess)
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.Session(sess.AccessKeyID)
				if err != nil {
					return err
				}
				wantSession(t, got, sess)
				return nil
			})
		}},
		{"KeyIDIsExact", func(t *testing.T, s gatehouse.Store) {
			seedSessions(t, s, newSession("ASIAEXACT", 3600))
			err := s.View(t.Context(), func(tx gatehouse.Tx) error { _, err := tx.Session("asiaexact"); return err })
			wantCode(t, err, gatehouse.CodeNotFound)
		}},
		{"DeleteSessionsBefore", func(t *testing.T, s gatehouse.Store) {
			ids := []string{"ASIA10", "ASIA20", "ASIA30", "ASIA40"}
			seedSessions(t, s, newSession("ASIA10", 10), newSession("ASIA20", 20), newSession("ASIA30", 30),
				newSession("ASIA40", 40))
			if n := deleteSessionsBefore(t, s, at(5)); n != 0 {
				t.Errorf("DeleteSessionsBefore(before all) deleted %d", n)
			}
			// A session that expires exactly at t is not deleted.
			if n := deleteSessionsBefore(t, s, at(20)); n != 1 {
				t.Errorf("DeleteSessionsBefore(at 20) deleted %d, want 1", n)
			}
			wantSessionIDs(t, s, ids, []string{"ASIA20", "ASIA30", "ASIA40"})
			// Times are compared as instants, whatever their zone.
			if n := deleteSessionsBefore(t, s, at(35).In(time.FixedZone("UTC-5", -5*3600))); n != 2 {
				t.Errorf("DeleteSessionsBefore(at 35) deleted %d, want 2", n)
			}
			wantSessionIDs(t, s, ids, []string{"ASIA40"})
			if n := deleteSessionsBefore(t, s, at(35)); n != 0 {
				t.Errorf("DeleteSessionsBefore(at 35) again deleted %d", n)
			}
			if n := deleteSessionsBefore(t, s, at(40).Add(time.Microsecond)); n != 1 {
				t.Errorf("DeleteSessionsBefore(just after 40) deleted %d, want 1", n)
			}
			wantSessionIDs(t, s, ids, []string{})
		}},
		{"DeleteSessionsBeforeAllAccounts", func(t *testing.T, s gatehouse.Store) {
			other := newSession("ASIAOTHER", 10)
			other.AccountID = acct2
			seedSessions(t, s, newSession("ASIAMINE", 10), other, newSession("ASIALATER", 100))
			if n := deleteSessionsBefore(t, s, at(50)); n != 2 {
				t.Errorf("DeleteSessionsBefore deleted %d, want 2", n)
			}
			wantSessionIDs(t, s, []string{"ASIAMINE", "ASIAOTHER", "ASIALATER"}, []string{"ASIALATER"})
		}},
		{"ErrorMessagesHoldNoSecrets", func(t *testing.T, s gatehouse.Store) {
			sess := fullSession()
			seedSessions(t, s, sess)
			dup := fullSession()
			err := s.Update(t.Context(), func(tx gatehouse.Tx) error { return tx.CreateSession(dup) })
			wantCode(t, err, gatehouse.CodeAlreadyExists)
			err2 := s.View(t.Context(), func(tx gatehouse.Tx) error { _, err := tx.Session("ASIANONE"); return err })
			wantCode(t, err2, gatehouse.CodeNotFound)
			for _, e := range []error{err, err2} {
				for _, text := range []string{gatehouse.ErrorMessage(e), e.Error()} {
					if strings.Contains(text, sess.Secret.Reveal()) {
						t.Errorf("error %q holds the session secret", text)
					}
				}
			}
		}},
		{"Errors", func(t *testing.T, s gatehouse.Store) {
			seedSessions(t, s, newSession("ASIAKNOWN", 3600))
			runErrorCases(t, s, []errorCase{
				{"CreateDuplicateID", func(tx gatehouse.Tx) error { return tx.CreateSession(newSession("ASIAKNOWN", 7200)) },
					gatehouse.CodeAlreadyExists},
				{"GetUnknown", func(tx gatehouse.Tx) error { _, err := tx.Session("ASIANONE"); return err },
					gatehouse.CodeNotFound},
				{"GetEmptyID", func(tx gatehouse.Tx) error { _, err := tx.Session(""); return err },
					gatehouse.CodeNotFound},
			})
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.Session("ASIAKNOWN")
				if err != nil {
					return err
				}
				wantSession(t, got, newSession("ASIAKNOWN", 3600))
				return nil
			})
		}},
		{"ViewIsReadOnly", func(t *testing.T, s gatehouse.Store) {
			seedSessions(t, s, newSession("ASIAOLD", 10))
			if err := s.View(t.Context(), func(tx gatehouse.Tx) error { return tx.CreateSession(newSession("ASIAGHOST", 10)) }); err == nil {
				t.Error("CreateSession inside View succeeded")
			}
			if err := s.View(t.Context(), func(tx gatehouse.Tx) error { _, err := tx.DeleteSessionsBefore(at(100)); return err }); err == nil {
				t.Error("DeleteSessionsBefore inside View succeeded")
			}
			wantSessionIDs(t, s, []string{"ASIAOLD", "ASIAGHOST"}, []string{"ASIAOLD"})
		}},
		{"RevisionMoves", func(t *testing.T, s gatehouse.Store) {
			// A new session is a row no cache holds: issuing one keeps the
			// revision, so caches survive; deleting sessions moves it, and
			// so does a session created with another change.
			for _, step := range []struct {
				name  string
				fn    func(tx gatehouse.Tx) error
				moves bool
			}{
				{"CreateSession", func(tx gatehouse.Tx) error { return tx.CreateSession(newSession("ASIAREV", 10)) }, false},
				{"DeleteSessionsBefore", func(tx gatehouse.Tx) error {
					n, err := tx.DeleteSessionsBefore(at(100))
					if err == nil && n != 1 {
						t.Errorf("DeleteSessionsBefore deleted %d, want 1", n)
					}
					return err
				}, true},
				{"CreateSessionAndUser", func(tx gatehouse.Tx) error {
					if err := tx.CreateSession(newSession("ASIAREV2", 200)); err != nil {
						return err
					}
					return tx.CreateUser(newUser(acct1, "rev-user"))
				}, true},
			} {
				before := mustRevision(t, s)
				mustUpdate(t, s, step.fn)
				if after := mustRevision(t, s); (after > before) != step.moves {
					t.Errorf("%s: revision %d after the update, was %d; want it moved: %v", step.name, after, before, step.moves)
				}
			}
			wantSessionIDs(t, s, []string{"ASIAREV", "ASIAREV2"}, []string{"ASIAREV2"})
		}},
	}
}
