// Package storetest is the conformance suite of the [gatehouse.Store]
// contract: every store implementation runs [Run] from its own tests, so
// all of them behave alike.
//
// The suite checks what the services rely on: creates, lookups, listings,
// updates (renames included) and deletes of every entity, case-insensitive
// names, error codes, cascades, transaction semantics (rollback, read-only
// views, revisions) and concurrent updates. It uses times of microsecond
// precision, the finest that every SQL database keeps.
package storetest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// Run runs the conformance suite. open must return a new, empty store for
// each call and close it when t ends (t.Cleanup). Subtests run in
// parallel, each on its own store.
func Run(t *testing.T, open func(t *testing.T) gatehouse.Store) {
	t.Run("Account", func(t *testing.T) { runTests(t, open, accountTests()) })
	t.Run("Alias", func(t *testing.T) { runTests(t, open, aliasTests()) })
	t.Run("User", func(t *testing.T) { runTests(t, open, userTests()) })
	t.Run("Group", func(t *testing.T) { runTests(t, open, groupTests()) })
	t.Run("Membership", func(t *testing.T) { runTests(t, open, membershipTests()) })
	t.Run("Policy", func(t *testing.T) { runTests(t, open, policyTests()) })
	t.Run("PolicyVersion", func(t *testing.T) { runTests(t, open, policyVersionTests()) })
	t.Run("Attachment", func(t *testing.T) { runTests(t, open, attachmentTests()) })
	t.Run("InlinePolicy", func(t *testing.T) { runTests(t, open, inlinePolicyTests()) })
	t.Run("AccessKey", func(t *testing.T) { runTests(t, open, accessKeyTests()) })
	t.Run("Role", func(t *testing.T) { runTests(t, open, roleTests()) })
	t.Run("Session", func(t *testing.T) { runTests(t, open, sessionTests()) })
	t.Run("MFADevice", func(t *testing.T) { runTests(t, open, mfaDeviceTests()) })
	t.Run("Tx", func(t *testing.T) { runTests(t, open, txTests()) })
	t.Run("Audit", func(t *testing.T) { runTests(t, open, auditTests()) })
	t.Run("AccountSettings", func(t *testing.T) { runTests(t, open, accountSettingsTests()) })
	t.Run("RootTasks", func(t *testing.T) { runTests(t, open, rootTaskTests()) })
	t.Run("SellerGovCloud", func(t *testing.T) { runTests(t, open, sellerGovCloudTests()) })
	t.Run("Invoice", func(t *testing.T) { runTests(t, open, invoiceTests()) })
	t.Run("LoginProfile", func(t *testing.T) { runTests(t, open, loginProfileTests()) })
	t.Run("CredentialReport", func(t *testing.T) { runTests(t, open, credentialReportTests()) })
	t.Run("RootPasswordReset", func(t *testing.T) { runTests(t, open, rootPasswordResetTests()) })
	t.Run("Bucket", func(t *testing.T) { runTests(t, open, bucketTests()) })
}

// test is one subtest of the suite, run on a new store.
type test struct {
	name string
	run  func(t *testing.T, s gatehouse.Store)
}

func runTests(t *testing.T, open func(t *testing.T) gatehouse.Store, tests []test) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, open(t))
		})
	}
}

// errorCase is a call expected to fail with an error code.
type errorCase struct {
	name string
	fn   func(tx gatehouse.Tx) error
	code gatehouse.Code
}

// runErrorCases runs each case in its own Update on s, which must roll
// back, and checks the code.
func runErrorCases(t *testing.T, s gatehouse.Store, cases []errorCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := mustRevision(t, s)
			err := s.Update(t.Context(), tc.fn)
			wantCode(t, err, tc.code)
			if gatehouse.ErrorMessage(err) == "" {
				t.Errorf("error %v has an empty message", err)
			}
			if after := mustRevision(t, s); after != before {
				t.Errorf("revision went from %d to %d on a failed update", before, after)
			}
		})
	}
}

// The accounts most tests use.
const (
	acct1 = "111111111111"
	acct2 = "222222222222"
)

// at returns a fixed time, i seconds after a base with microseconds.
func at(i int) time.Time {
	return time.Date(2024, 5, 1, 12, 0, 0, 123456000, time.UTC).Add(time.Duration(i) * time.Second)
}

// id returns a test ID; IDs only need to be unique.
func id(prefix string, parts ...string) string {
	s := prefix
	for _, p := range parts {
		s += "." + p
	}
	return s
}

func mustUpdate(t testing.TB, s gatehouse.Store, fn func(tx gatehouse.Tx) error) {
	t.Helper()
	if err := s.Update(t.Context(), fn); err != nil {
		t.Fatalf("update: %v", err)
	}
}

func mustView(t testing.TB, s gatehouse.Store, fn func(tx gatehouse.Tx) error) {
	t.Helper()
	if err := s.View(t.Context(), fn); err != nil {
		t.Fatalf("view: %v", err)
	}
}

func mustRevision(t testing.TB, s gatehouse.Store) int64 {
	t.Helper()
	rev, err := s.Revision(t.Context())
	if err != nil {
		t.Fatalf("revision: %v", err)
	}
	return rev
}

// wantCode fails t unless err carries code.
func wantCode(t testing.TB, err error, code gatehouse.Code) {
	t.Helper()
	if got := gatehouse.ErrorCode(err); got != code {
		t.Fatalf("error code %q (error %v), want %q", got, err, code)
	}
}

// wantMessage fails t unless err carries message.
func wantMessage(t testing.TB, err error, message string) {
	t.Helper()
	if got := gatehouse.ErrorMessage(err); got != message {
		t.Fatalf("error message %q (error %v), want %q", got, err, message)
	}
}

// wantEqual fails t unless got and want are deeply equal.
func wantEqual[T any](t testing.TB, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got  %s\n want %s", what, show(got), show(want))
	}
}

// show formats v for a failure message; %+v would print pointers.
func show(v any) string {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice {
		s := "["
		for i := range rv.Len() {
			if i > 0 {
				s += ", "
			}
			s += show(rv.Index(i).Interface())
		}
		return s + "]"
	}
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		return fmt.Sprintf("&%+v", rv.Elem().Interface())
	}
	return fmt.Sprintf("%+v", v)
}

// seedAccounts creates acct1 and acct2.
func seedAccounts(t testing.TB, s gatehouse.Store) {
	t.Helper()
	mustUpdate(t, s, func(tx gatehouse.Tx) error {
		for i, a := range []string{acct1, acct2} {
			if err := tx.CreateAccount(newAccount(a, i)); err != nil {
				return err
			}
		}
		return nil
	})
}

func newAccount(accountID string, i int) *gatehouse.Account {
	return &gatehouse.Account{
		ID:               accountID,
		Email:            "root" + accountID + "@example.com",
		Name:             "account " + accountID,
		CreatedAt:        at(i),
		RootPasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
	}
}

func newUser(accountID, name string) *gatehouse.User {
	return &gatehouse.User{AccountID: accountID, Name: name, ID: id("AIDA", accountID, name), Path: "/", CreatedAt: at(1)}
}

func newGroup(accountID, name string) *gatehouse.Group {
	return &gatehouse.Group{AccountID: accountID, Name: name, ID: id("AGPA", accountID, name), Path: "/", CreatedAt: at(2)}
}

// seedUsers creates the account's users with the given names.
func seedUsers(t testing.TB, s gatehouse.Store, accountID string, names ...string) {
	t.Helper()
	mustUpdate(t, s, func(tx gatehouse.Tx) error {
		for _, n := range names {
			if err := tx.CreateUser(newUser(accountID, n)); err != nil {
				return err
			}
		}
		return nil
	})
}

// seedGroups creates the account's groups with the given names.
func seedGroups(t testing.TB, s gatehouse.Store, accountID string, names ...string) {
	t.Helper()
	mustUpdate(t, s, func(tx gatehouse.Tx) error {
		for _, n := range names {
			if err := tx.CreateGroup(newGroup(accountID, n)); err != nil {
				return err
			}
		}
		return nil
	})
}

// normTags makes an empty tag list nil.
func normTags(tags []gatehouse.Tag) []gatehouse.Tag {
	if len(tags) == 0 {
		return nil
	}
	return tags
}

func normAccount(a *gatehouse.Account) gatehouse.Account {
	n := *a
	n.CreatedAt = n.CreatedAt.UTC()
	return n
}

func normUser(u *gatehouse.User) gatehouse.User {
	n := *u
	n.CreatedAt = n.CreatedAt.UTC()
	n.Tags = normTags(n.Tags)
	return n
}

func normUsers(us []*gatehouse.User) []gatehouse.User {
	out := []gatehouse.User{}
	for _, u := range us {
		out = append(out, normUser(u))
	}
	return out
}

func normGroup(g *gatehouse.Group) gatehouse.Group {
	n := *g
	n.CreatedAt = n.CreatedAt.UTC()
	return n
}

func normPolicy(p *gatehouse.ManagedPolicy) gatehouse.ManagedPolicy {
	n := *p
	n.CreatedAt, n.UpdatedAt = n.CreatedAt.UTC(), n.UpdatedAt.UTC()
	n.Tags = normTags(n.Tags)
	return n
}

func normVersion(v *gatehouse.PolicyVersion) gatehouse.PolicyVersion {
	n := *v
	n.CreatedAt = n.CreatedAt.UTC()
	return n
}

// userNames returns the names of users.
func userNames(users []*gatehouse.User) []string {
	names := []string{}
	for _, u := range users {
		names = append(names, u.Name)
	}
	return names
}

// groupNames returns the names of groups.
func groupNames(groups []*gatehouse.Group) []string {
	names := []string{}
	for _, g := range groups {
		names = append(names, g.Name)
	}
	return names
}
