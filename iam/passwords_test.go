package iam_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/password"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
)

func TestCheckPassword(t *testing.T) {
	strict := &gatehouse.PasswordPolicy{MinimumPasswordLength: 10, RequireSymbols: true, RequireNumbers: true,
		RequireUppercaseCharacters: true, RequireLowercaseCharacters: true}
	account := &gatehouse.Account{Name: "Example-Corp-2024", Email: "Root@Example.com"}
	for _, tc := range []struct {
		name   string
		policy *gatehouse.PasswordPolicy
		pw     string
		want   string // the violation message; "" for accepted
	}{
		// The default policy: 8 characters, three kinds, not the account's name or email.
		{"default ok", nil, "abcDEF12", ""},
		{"default three kinds with a symbol", nil, "abcdef1!", ""},
		{"default short", nil, "aB1!", "Password should have a minimum length of 8"},
		{"default two kinds", nil, "abcdefgh12", "Password should have at least three of"},
		{"default account name", nil, "example-corp-2024", "Password should not be the account name or email address"},
		{"default account name, any case", nil, "EXAMPLE-corp-2024", "Password should not be the account name or email address"},
		{"default email", nil, "ROOT@example.com", "Password should not be the account name or email address"},
		// A custom policy: each rule in turn.
		{"strict ok", strict, "Abcdefgh1!", ""},
		{"strict short", strict, "Abcdef1!", "Password should have a minimum length of 10"},
		{"strict no upper", strict, "abcdefgh1!", "Password should have at least one uppercase letter"},
		{"strict no lower", strict, "ABCDEFGH1!", "Password should have at least one lowercase letter"},
		{"strict no number", strict, "Abcdefghi!", "Password should have at least one number"},
		{"strict no symbol", strict, "Abcdefghi1", "Password should have at least one symbol"},
		{"non-ASCII is no symbol", strict, "Abcdefghi1é", "Password should have at least one symbol"},
		{"lenient", &gatehouse.PasswordPolicy{MinimumPasswordLength: 6}, "aaaaaa", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := iam.CheckPassword(tc.policy, account, tc.pw)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if gatehouse.ErrorCode(err) != gatehouse.CodePasswordPolicyViolation || !strings.HasPrefix(gatehouse.ErrorMessage(err), tc.want) {
				t.Fatalf("error %v, want %s %q", err, gatehouse.CodePasswordPolicyViolation, tc.want)
			}
			if strings.Contains(gatehouse.ErrorMessage(err), tc.pw) {
				t.Errorf("the message repeats the password")
			}
		})
	}
}

type passwordEnv struct {
	svc *iam.Service
	st  gatehouse.Store // the store behind svc.Store
	now *time.Time
}

func newPasswordEnv(t *testing.T) *passwordEnv {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.MemoryPath, sqlite.Options{SecretKey: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	env := &passwordEnv{st: st, now: &now}
	env.svc = &iam.Service{Store: gatehouse.Narrow[iam.Tx](st), Now: func() time.Time { return *env.now },
		PasswordParams: &password.Params{Memory: 64, Time: 1, Threads: 1}}
	if _, _, err := env.svc.CreateAccount(ctx, iam.AccountSpec{ID: acct, Email: "root@example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.svc.CreateUser(ctx, acct, iam.CreateUserInput{UserName: "pat"}); err != nil {
		t.Fatal(err)
	}
	return env
}

func intp(n int) *int    { return &n }
func boolp(b bool) *bool { return &b }

func TestUpdatePasswordPolicy(t *testing.T) {
	env := newPasswordEnv(t)
	ctx := context.Background()
	if _, err := env.svc.PasswordPolicy(ctx, acct); gatehouse.ErrorCode(err) != gatehouse.CodeNotFound ||
		gatehouse.ErrorMessage(err) != "The Password Policy with domain name "+acct+" cannot be found." {
		t.Fatalf("no policy: %v", err)
	}
	for _, tc := range []struct {
		name string
		in   iam.PasswordPolicyInput
		msg  string
	}{
		{"length 5", iam.PasswordPolicyInput{MinimumPasswordLength: intp(5)}, "Value '5' at 'minimumPasswordLength' failed to satisfy constraint: Member must have value greater than or equal to 6"},
		{"length 129", iam.PasswordPolicyInput{MinimumPasswordLength: intp(129)}, "less than or equal to 128"},
		{"age 0", iam.PasswordPolicyInput{MaxPasswordAge: intp(0)}, "at 'maxPasswordAge' failed"},
		{"age 1096", iam.PasswordPolicyInput{MaxPasswordAge: intp(1096)}, "less than or equal to 1095"},
		{"reuse 25", iam.PasswordPolicyInput{PasswordReusePrevention: intp(25)}, "less than or equal to 24"},
	} {
		err := env.svc.UpdatePasswordPolicy(ctx, acct, tc.in)
		if gatehouse.ErrorCode(err) != gatehouse.CodeInvalid || !strings.Contains(gatehouse.ErrorMessage(err), tc.msg) {
			t.Errorf("%s: %v, want a ValidationError with %q", tc.name, err, tc.msg)
		}
	}
	// Members left out take their defaults, not the old values.
	if err := env.svc.UpdatePasswordPolicy(ctx, acct, iam.PasswordPolicyInput{MinimumPasswordLength: intp(20), RequireSymbols: boolp(true)}); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.UpdatePasswordPolicy(ctx, acct, iam.PasswordPolicyInput{RequireNumbers: boolp(true)}); err != nil {
		t.Fatal(err)
	}
	p, err := env.svc.PasswordPolicy(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	if want := (gatehouse.PasswordPolicy{MinimumPasswordLength: 6, RequireNumbers: true}); *p != want {
		t.Errorf("policy %+v, want %+v", *p, want)
	}
	if err := env.svc.DeletePasswordPolicy(ctx, acct); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.DeletePasswordPolicy(ctx, acct); gatehouse.ErrorCode(err) != gatehouse.CodeNotFound {
		t.Errorf("second delete: %v", err)
	}
}

// TestChangePassword: the old password is checked, the policy and its
// reuse prevention apply, the reset flag clears, and HardExpiry stops an
// expired password from being changed by its user.
func TestChangePassword(t *testing.T) {
	env := newPasswordEnv(t)
	ctx := context.Background()
	if err := env.svc.UpdatePasswordPolicy(ctx, acct, iam.PasswordPolicyInput{MinimumPasswordLength: intp(8),
		PasswordReusePrevention: intp(2), MaxPasswordAge: intp(30), HardExpiry: boolp(true)}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.svc.CreateLoginProfile(ctx, acct, "pat", "first-password", true); err != nil {
		t.Fatal(err)
	}
	change := func(old, next string) error { return env.svc.ChangePassword(ctx, acct, "pat", old, next) }
	if err := change("wrong-password", "second-password"); gatehouse.ErrorCode(err) != gatehouse.CodeDenied {
		t.Errorf("wrong old password: %v", err)
	}
	if err := change("first-password", "short"); gatehouse.ErrorCode(err) != gatehouse.CodePasswordPolicyViolation {
		t.Errorf("too short: %v", err)
	}
	if err := change("first-password", "first-password"); gatehouse.ErrorCode(err) != gatehouse.CodePasswordPolicyViolation {
		t.Errorf("the current password again: %v", err)
	}
	if err := change("first-password", "second-password"); err != nil {
		t.Fatal(err)
	}
	if p, _ := env.svc.GetLoginProfile(ctx, acct, "pat"); p.PasswordResetRequired {
		t.Error("PasswordResetRequired still set after ChangePassword")
	}
	// Reuse prevention 2: the last two passwords are refused, the third back is not.
	if err := change("second-password", "first-password"); gatehouse.ErrorCode(err) != gatehouse.CodePasswordPolicyViolation {
		t.Errorf("previous password: %v", err)
	}
	if err := change("second-password", "third-password"); err != nil {
		t.Fatal(err)
	}
	if err := change("third-password", "first-password"); err != nil {
		t.Errorf("a password three back: %v", err)
	}
	// HardExpiry: 31 days later the user cannot change it; an administrator can.
	*env.now = env.now.Add(31 * 24 * time.Hour)
	if err := change("first-password", "fourth-password"); gatehouse.ErrorCode(err) != gatehouse.CodeDenied {
		t.Errorf("expired with HardExpiry: %v", err)
	}
	np := "fourth-password"
	if err := env.svc.UpdateLoginProfile(ctx, acct, "pat", &np, boolp(true)); err != nil {
		t.Fatal(err)
	}
	if err := change("fourth-password", "fifth-password"); err != nil {
		t.Errorf("after the reset: %v", err)
	}
	// A user without a login profile has no password to change.
	if _, err := env.svc.CreateUser(ctx, acct, iam.CreateUserInput{UserName: "kim"}); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.ChangePassword(ctx, acct, "kim", "a-password", "b-password"); gatehouse.ErrorCode(err) != gatehouse.CodeNotFound {
		t.Errorf("no login profile: %v", err)
	}
}

func TestPasswordValueValidation(t *testing.T) {
	env := newPasswordEnv(t)
	ctx := context.Background()
	for _, pw := range []string{"", strings.Repeat("a", 129), "bad\x00password", "emoji-😀-password"} {
		_, err := env.svc.CreateLoginProfile(ctx, acct, "pat", pw, false)
		if gatehouse.ErrorCode(err) != gatehouse.CodeInvalid {
			t.Errorf("password %q: %v", pw, err)
		}
		if pw != "" && strings.Contains(gatehouse.ErrorMessage(err), pw) {
			t.Errorf("the message repeats the password")
		}
	}
}
