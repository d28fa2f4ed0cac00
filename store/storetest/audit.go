package storetest

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// newAudit returns a record of request reqID, i seconds after the base
// time.
func newAudit(reqID, accountID string, root bool, i int) *gatehouse.AuditRecord {
	r := &gatehouse.AuditRecord{
		Time: at(i), RequestID: reqID, AccountID: accountID,
		PrincipalARN: gatehouse.EntityARN("", accountID, "user", "/", "alice"), PrincipalType: gatehouse.PrincipalIAMUser,
		AccessKeyID: "AKIA" + reqID, Service: "iam", Action: "CreateUser",
		Resource: gatehouse.EntityARN("", accountID, "user", "/", "bob"), Decision: gatehouse.DecisionAllowed,
		SourceIP: "192.0.2.1", UserAgent: "aws-cli/2.0",
	}
	r.MFA = i%2 == 1 // both states round-trip
	if root {
		r.PrincipalARN, r.PrincipalType, r.Root = "arn:aws:iam::"+accountID+":root", gatehouse.PrincipalRoot, true
		r.SignIn = true
		r.Decision, r.ErrorCode = gatehouse.DecisionExplicitDeny, "AccessDenied"
	}
	return r
}

// seedAudit appends, in this order: r1 (acct1, user, t=1), r2 (acct2,
// root, t=2), r3 (acct1, root, t=3), r4 (acct1, user, t=4).
func seedAudit(t *testing.T, s gatehouse.Store) []*gatehouse.AuditRecord {
	t.Helper()
	recs := []*gatehouse.AuditRecord{
		newAudit("r1", acct1, false, 1),
		newAudit("r2", acct2, true, 2),
		newAudit("r3", acct1, true, 3),
		newAudit("r4", acct1, false, 4),
	}
	mustUpdate(t, s, func(tx gatehouse.Tx) error {
		for _, r := range recs {
			if err := tx.AppendAudit(r); err != nil {
				return err
			}
		}
		return nil
	})
	return recs
}

// auditRecords lists the records f selects.
func auditRecords(t *testing.T, s gatehouse.Store, f gatehouse.AuditFilter) []*gatehouse.AuditRecord {
	t.Helper()
	var recs []*gatehouse.AuditRecord
	mustView(t, s, func(tx gatehouse.Tx) error {
		var err error
		recs, err = tx.AuditRecords(f)
		return err
	})
	return recs
}

// requestIDs returns the request IDs of recs.
func requestIDs(recs []*gatehouse.AuditRecord) []string {
	ids := []string{}
	for _, r := range recs {
		ids = append(ids, r.RequestID)
	}
	return ids
}

// normAudit drops what a store does not keep: the written mark, and the
// time zone.
func normAudit(r *gatehouse.AuditRecord) gatehouse.AuditRecord {
	return gatehouse.AuditRecord{
		Time: r.Time.UTC(), RequestID: r.RequestID, AccountID: r.AccountID, PrincipalARN: r.PrincipalARN,
		PrincipalType: r.PrincipalType, Root: r.Root, AccessKeyID: r.AccessKeyID, SignIn: r.SignIn, MFA: r.MFA, Service: r.Service,
		Action: r.Action, Resource: r.Resource, Decision: r.Decision, ErrorCode: r.ErrorCode,
		SourceIP: r.SourceIP, UserAgent: r.UserAgent, Seq: r.Seq,
	}
}

func auditTests() []test {
	return []test{
		{"NewestByTime", func(t *testing.T, s gatehouse.Store) {
			// A batch of read records appended after a write that came
			// later: the list follows the requests' times.
			write := newAudit("w", acct1, true, 5)
			reads := []*gatehouse.AuditRecord{newAudit("r-a", acct1, false, 3), newAudit("r-b", acct1, false, 4)}
			same := newAudit("same", acct1, false, 5)
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				for _, r := range append([]*gatehouse.AuditRecord{write}, append(reads, same)...) {
					if err := tx.AppendAudit(r); err != nil {
						return err
					}
				}
				return nil
			})
			var ids []string
			for _, r := range auditRecords(t, s, gatehouse.AuditFilter{AccountID: acct1}) {
				ids = append(ids, r.RequestID)
			}
			if got, want := strings.Join(ids, " "), "same w r-b r-a"; got != want {
				t.Errorf("order %q, want %q (time, then append order, newest first)", got, want)
			}
			if got := auditRecords(t, s, gatehouse.AuditFilter{AccountID: acct1, Limit: 2}); len(got) != 2 || got[1].RequestID != "w" {
				t.Errorf("the newest two: %v", got)
			}
		}},
		{"AppendAndList", func(t *testing.T, s gatehouse.Store) {
			recs := seedAudit(t, s)
			for i := 1; i < len(recs); i++ {
				if recs[i].Seq <= recs[i-1].Seq {
					t.Fatalf("Seq %d after %d: want increasing", recs[i].Seq, recs[i-1].Seq)
				}
			}
			got := auditRecords(t, s, gatehouse.AuditFilter{})
			want := []gatehouse.AuditRecord{}
			for i := len(recs) - 1; i >= 0; i-- {
				want = append(want, normAudit(recs[i]))
			}
			norm := []gatehouse.AuditRecord{}
			for _, r := range got {
				norm = append(norm, normAudit(r))
			}
			wantEqual(t, "records", norm, want)
		}},
		{"Filter", func(t *testing.T, s gatehouse.Store) {
			seedAudit(t, s)
			for _, tc := range []struct {
				name string
				f    gatehouse.AuditFilter
				want []string
			}{
				{"All", gatehouse.AuditFilter{}, []string{"r4", "r3", "r2", "r1"}},
				{"Account", gatehouse.AuditFilter{AccountID: acct1}, []string{"r4", "r3", "r1"}},
				{"OtherAccount", gatehouse.AuditFilter{AccountID: acct2}, []string{"r2"}},
				{"UnknownAccount", gatehouse.AuditFilter{AccountID: "999999999999"}, []string{}},
				{"RootOnly", gatehouse.AuditFilter{RootOnly: true}, []string{"r3", "r2"}},
				{"AccountRootOnly", gatehouse.AuditFilter{AccountID: acct1, RootOnly: true}, []string{"r3"}},
				{"SinceInclusive", gatehouse.AuditFilter{Since: at(2)}, []string{"r4", "r3", "r2"}},
				{"SinceBetween", gatehouse.AuditFilter{Since: at(3).Add(-1)}, []string{"r4", "r3"}},
				{"SinceFuture", gatehouse.AuditFilter{Since: at(5)}, []string{}},
				{"Limit", gatehouse.AuditFilter{Limit: 2}, []string{"r4", "r3"}},
				{"LimitAboveCount", gatehouse.AuditFilter{Limit: 10}, []string{"r4", "r3", "r2", "r1"}},
				{"Everything", gatehouse.AuditFilter{AccountID: acct1, RootOnly: true, Since: at(1), Limit: 1}, []string{"r3"}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					wantEqual(t, "request IDs", requestIDs(auditRecords(t, s, tc.f)), tc.want)
				})
			}
		}},
		{"RolledBackWithUpdate", func(t *testing.T, s gatehouse.Store) {
			errFail := errors.New("fail on purpose")
			err := s.Update(t.Context(), func(tx gatehouse.Tx) error {
				if err := tx.CreateUser(newUser(acct1, "ghost")); err != nil {
					return err
				}
				if err := tx.AppendAudit(newAudit("ghost", acct1, false, 1)); err != nil {
					return err
				}
				return errFail
			})
			if !errors.Is(err, errFail) {
				t.Fatalf("Update returned %v, want fn's error", err)
			}
			wantEqual(t, "records after rollback", requestIDs(auditRecords(t, s, gatehouse.AuditFilter{})), []string{})
		}},
		{"ContextRecordCommitsWithChange", func(t *testing.T, s gatehouse.Store) {
			rec := newAudit("req", acct1, false, 1)
			ctx := gatehouse.WithAudit(t.Context(), rec)
			errFail := errors.New("fail on purpose")
			// A failed update rolls back and leaves the record unwritten.
			err := s.Update(ctx, func(tx gatehouse.Tx) error {
				if err := tx.CreateUser(newUser(acct1, "bob")); err != nil {
					return err
				}
				return errFail
			})
			if !errors.Is(err, errFail) {
				t.Fatalf("Update returned %v, want fn's error", err)
			}
			if rec.Written() {
				t.Fatal("record marked written by an update that rolled back")
			}
			wantEqual(t, "records after rollback", requestIDs(auditRecords(t, s, gatehouse.AuditFilter{})), []string{})

			// A committed update appends it once, however many follow.
			before := mustRevision(t, s)
			for _, name := range []string{"bob", "carol"} {
				if err := s.Update(ctx, func(tx gatehouse.Tx) error { return tx.CreateUser(newUser(acct1, name)) }); err != nil {
					t.Fatalf("update: %v", err)
				}
				if !rec.Written() {
					t.Fatal("record not marked written by a committed update")
				}
			}
			got := auditRecords(t, s, gatehouse.AuditFilter{})
			if len(got) != 1 {
				t.Fatalf("%d records, want 1", len(got))
			}
			wantEqual(t, "record", normAudit(got[0]), normAudit(rec))
			if after := mustRevision(t, s); after <= before {
				t.Errorf("revision %d after a committed change, was %d", after, before)
			}
		}},
		{"AuditOnlyUpdateKeepsRevision", func(t *testing.T, s gatehouse.Store) {
			before := mustRevision(t, s)
			seedAudit(t, s)
			rec := newAudit("ctx-only", acct1, false, 5)
			if err := s.Update(gatehouse.WithAudit(t.Context(), rec), func(gatehouse.Tx) error { return nil }); err != nil {
				t.Fatal(err)
			}
			if !rec.Written() {
				t.Error("record of an update that wrote nothing else not marked written")
			}
			if after := mustRevision(t, s); after != before {
				t.Errorf("revision went from %d to %d on updates that only appended audit records", before, after)
			}
		}},
		{"ViewCannotAppend", func(t *testing.T, s gatehouse.Store) {
			err := s.View(t.Context(), func(tx gatehouse.Tx) error { return tx.AppendAudit(newAudit("r", acct1, false, 1)) })
			if err == nil {
				t.Fatal("AppendAudit inside View succeeded")
			}
			wantEqual(t, "records", requestIDs(auditRecords(t, s, gatehouse.AuditFilter{})), []string{})
		}},
	}
}
