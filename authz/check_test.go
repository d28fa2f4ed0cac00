package authz_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/billing"
	"github.com/gatehouse-dev/gatehouse/policy"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
)

// checkFixture is an account with one IAM user whose inline policy
// allows what allowed lists, and the callers Check is tried with.
type checkFixture struct {
	st      *sqlite.Store
	a       *authz.Authorizer
	account *gatehouse.Account
	callers map[string]*authz.Caller
}

func newCheckFixture(t *testing.T, created time.Time, iamBilling bool, allowed ...string) *checkFixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, ":memory:", sqlite.Options{SecretKey: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	account := &gatehouse.Account{ID: acct, Email: "r@example.com", CreatedAt: created, IAMBillingAccess: iamBilling}
	user := &gatehouse.User{AccountID: acct, Name: "alice", ID: "AIDAALICE0000000000", Path: "/"}
	err = st.Update(ctx, func(tx gatehouse.Tx) error {
		if err := tx.CreateAccount(account); err != nil {
			return err
		}
		if err := tx.CreateUser(user); err != nil {
			return err
		}
		for i, action := range allowed {
			p := &gatehouse.InlinePolicy{AccountID: acct, Owner: gatehouse.EntityRef{Kind: gatehouse.KindUser, Name: "alice"},
				Name: "p" + string(rune('a'+i)), Document: doc("Allow", action)}
			if err := tx.PutInlinePolicy(p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	signIn := &gatehouse.Session{AccessKeyID: "ASIAROOTSIGNIN", AccountID: acct, Kind: gatehouse.SessionUser,
		SignIn: true, IssuedAt: now, Expiration: now.Add(time.Hour)}
	signInMFA := *signIn
	signInMFA.MFAAuthenticated, signInMFA.MFAAuthTime = true, now
	return &checkFixture{st: st, a: &authz.Authorizer{Store: gatehouse.Narrow[authz.Tx](st)}, account: account, callers: map[string]*authz.Caller{
		"root key":            {Account: account, AccessKeyID: "AKIAROOT"},
		"root sign-in":        {Account: account, Session: signIn},
		"root sign-in w/ MFA": {Account: account, Session: &signInMFA},
		"user":                {Account: account, User: user, AccessKeyID: "AKIAALICE"},
	}}
}

func (f *checkFixture) setPasswordPolicy(t *testing.T, allowChange bool) {
	t.Helper()
	err := f.st.Update(context.Background(), func(tx gatehouse.Tx) error {
		s, err := tx.AccountSettings(acct)
		if err != nil {
			return err
		}
		s.PasswordPolicy = &gatehouse.PasswordPolicy{MinimumPasswordLength: 8, AllowUsersToChangePassword: allowChange}
		return tx.PutAccountSettings(acct, s)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (f *checkFixture) giveRootMFA(t *testing.T) {
	t.Helper()
	err := f.st.Update(context.Background(), func(tx gatehouse.Tx) error {
		return tx.CreateMFADevice(&gatehouse.MFADevice{AccountID: acct, Name: "root", Path: "/",
			SerialNumber: "arn:aws:iam::" + acct + ":mfa/root", Seed: gatehouse.Secret("JBSWY3DPEHPK3PXP"),
			UserName: gatehouse.RootUserName, EnabledAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// check runs Check with an audit record and returns its error (nil or
// the AccessDenied message) and the decision the record holds.
func (f *checkFixture) check(t *testing.T, caller string, o authz.Operation) (string, string) {
	t.Helper()
	rec := &gatehouse.AuditRecord{}
	ctx := gatehouse.WithAudit(context.Background(), rec)
	if o.Resource == "" {
		o.Resource = "*"
	}
	err := f.a.Check(ctx, f.callers[caller], &o)
	if err != nil && gatehouse.ErrorCode(err) != gatehouse.CodeDenied {
		t.Fatalf("%s: Check: %v (not AccessDenied)", caller, err)
	}
	if err != nil {
		return gatehouse.ErrorMessage(err), rec.Decision
	}
	return "", rec.Decision
}

// TestCheckGates sweeps every gate Check applies before or instead of
// the policies over root (key, sign-in, sign-in with MFA) and an IAM
// user, and checks the outcome and that the audit record holds the
// decision.
func TestCheckGates(t *testing.T) {
	legacy := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC) // before the fine-grained billing actions
	tests := []struct {
		name       string
		created    time.Time
		iamBilling bool
		allowed    []string
		op         authz.Operation
		rootMFA    bool
		pwPolicy   *bool
		// want maps a caller to "" (allowed) or a substring of the denial.
		want map[string]string
	}{
		{name: "plain action: policies decide", allowed: []string{"iam:GetUser"},
			op:   authz.Operation{Request: authz.Request{Action: "iam:GetUser"}},
			want: map[string]string{"root key": "", "user": ""}},
		{name: "plain action, no policy", allowed: nil,
			op:   authz.Operation{Request: authz.Request{Action: "iam:GetUser"}},
			want: map[string]string{"root key": "", "user": "no identity-based policy allows"}},
		{name: "root only refuses an allowed user", allowed: []string{"iam:*"},
			op:   authz.Operation{Request: authz.Request{Action: "iam:CreateAccessKey"}, RootOnly: true},
			want: map[string]string{"root key": "", "user": "requires the account's root user"}},
		{name: "console only needs the sign-in", allowed: []string{"*"},
			op: authz.Operation{Request: authz.Request{Action: "gatehouse:CloseAccount"}, RootOnly: true, ConsoleOnly: true},
			want: map[string]string{"root key": "only when you sign in as the root user", "root sign-in": "",
				"root sign-in w/ MFA": "", "user": "requires the account's root user"}},
		{name: "console only with a root MFA device needs MFA", allowed: []string{"*"}, rootMFA: true,
			op:   authz.Operation{Request: authz.Request{Action: "gatehouse:CloseAccount"}, RootOnly: true, ConsoleOnly: true},
			want: map[string]string{"root sign-in": "needs a root sign-in with MFA", "root sign-in w/ MFA": ""}},
		{name: "billing switch off refuses allowed IAM users", allowed: []string{"invoicing:*"},
			op:   authz.Operation{Request: authz.Request{Action: "invoicing:ListInvoiceSummaries"}, Billing: authz.BillingGated},
			want: map[string]string{"root key": "", "user": "access to Billing information is not activated"}},
		{name: "billing switch on, fine-grained allowed", iamBilling: true, allowed: []string{"invoicing:*"},
			op:   authz.Operation{Request: authz.Request{Action: "invoicing:ListInvoiceSummaries"}, Billing: authz.BillingGated},
			want: map[string]string{"user": ""}},
		{name: "model only ignores the switch", allowed: []string{"account:GetContactInformation"},
			op:   authz.Operation{Request: authz.Request{Action: "account:GetContactInformation"}, Billing: authz.BillingModel},
			want: map[string]string{"user": ""}},
		{name: "legacy model takes a retired action", created: legacy, iamBilling: true, allowed: []string{"aws-portal:ViewBilling"},
			op: authz.Operation{Request: authz.Request{Action: "invoicing:ListInvoiceSummaries"}, Billing: authz.BillingGated,
				Time: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)},
			want: map[string]string{"user": ""}},
		{name: "fine-grained model ignores a retired action", iamBilling: true, allowed: []string{"aws-portal:ViewBilling"},
			op:   authz.Operation{Request: authz.Request{Action: "invoicing:ListInvoiceSummaries"}, Billing: authz.BillingGated},
			want: map[string]string{"user": "invoicing:ListInvoiceSummaries"}},
		{name: "self grant by the password policy", pwPolicy: new(true),
			op:   authz.Operation{Request: authz.Request{Action: "iam:ChangePassword"}, SelfGrant: true},
			want: map[string]string{"user": ""}},
		{name: "self grant off in the password policy", pwPolicy: new(false),
			op:   authz.Operation{Request: authz.Request{Action: "iam:ChangePassword"}, SelfGrant: true},
			want: map[string]string{"user": "no identity-based policy allows"}},
		{name: "no self grant without the row's flag", pwPolicy: new(true),
			op:   authz.Operation{Request: authz.Request{Action: "iam:ChangePassword"}},
			want: map[string]string{"user": "no identity-based policy allows"}},
		{name: "also resources all required", allowed: []string{"iam:UpdateUser"},
			op: authz.Operation{Request: authz.Request{Action: "iam:UpdateUser", Resource: "arn:aws:iam::" + acct + ":user/a"},
				AlsoResources: []string{"arn:aws:iam::" + acct + ":user/b"}},
			want: map[string]string{"user": ""}},
		{name: "also actions all required", allowed: []string{"sts:AssumeRole"},
			op:   authz.Operation{Request: authz.Request{Action: "sts:AssumeRole"}, AlsoActions: []string{"sts:TagSession"}},
			want: map[string]string{"root key": "", "user": "sts:TagSession"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			created := tc.created
			if created.IsZero() {
				created = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			}
			f := newCheckFixture(t, created, tc.iamBilling, tc.allowed...)
			if tc.rootMFA {
				f.giveRootMFA(t)
			}
			if tc.pwPolicy != nil {
				f.setPasswordPolicy(t, *tc.pwPolicy)
			}
			for caller, want := range tc.want {
				msg, decision := f.check(t, caller, tc.op)
				switch {
				case want == "" && msg != "":
					t.Errorf("%s: denied: %s", caller, msg)
				case want != "" && !strings.Contains(msg, want):
					t.Errorf("%s: got %q, want a denial containing %q", caller, msg, want)
				}
				wantDecision := policy.Allowed.String()
				if want != "" {
					wantDecision = policy.ExplicitDeny.String()
					if strings.Contains(want, "no identity-based policy") || strings.HasPrefix(want, "invoicing:") || strings.HasPrefix(want, "sts:") {
						wantDecision = policy.ImplicitDeny.String()
					}
				}
				if decision != wantDecision {
					t.Errorf("%s: audit decision %q, want %q", caller, decision, wantDecision)
				}
			}
		})
	}
}

// TestBillingModelOfPinned: a pinned model wins over the creation date.
func TestBillingModelOfPinned(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	old := &gatehouse.Account{CreatedAt: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	pinned := *old
	pinned.BillingPermissions = string(billing.Legacy)
	if got := authz.BillingModelOf(old, now); got != billing.FineGrained {
		t.Errorf("auto model of a 2020 account in 2026 = %v, want %v", got, billing.FineGrained)
	}
	if got := authz.BillingModelOf(&pinned, now); got != billing.Legacy {
		t.Errorf("pinned model = %v, want %v", got, billing.Legacy)
	}
}
