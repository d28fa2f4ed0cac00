package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/password"
	"github.com/gatehouse-dev/gatehouse/sts"
)

const (
	cliAccount = "123456789012"
	cliKeyID   = "AKIACLITESTROOT00001"
	cliSecret  = "cliTestRootSecretKey0000000000000000000a"
)

// cliServer starts a server on a new data directory with an account whose
// root user has password "old root password", and points the AWS
// credential variables at it.
func cliServer(t *testing.T) (dir, url string) {
	t.Helper()
	ctx := context.Background()
	dir = t.TempDir()
	sc := storeConfig{dataDir: dir, create: true}
	st, err := sc.open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := &iam.Service{Store: gatehouse.Narrow[iam.Tx](st)}
	if _, _, err := svc.CreateAccount(ctx, iam.AccountSpec{ID: cliAccount, Email: "root@example.com",
		RootPassword: "old root password", RootAccessKeyID: cliKeyID, RootSecretAccessKey: gatehouse.Secret(cliSecret)}); err != nil {
		t.Fatal(err)
	}
	srv := &api.Server{Store: st, IAM: svc, STS: &sts.Service{Store: gatehouse.Narrow[sts.Tx](st)}, Authz: &authz.Authorizer{Store: gatehouse.Narrow[authz.Tx](st)}}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", cliKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", cliSecret)
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_ENDPOINT_URL", ts.URL)
	return dir, ts.URL
}

// cliSignIn signs root in with "gatehouse root sign-in --format env" and
// puts the session it prints in the AWS credential variables, as
// eval "$(gatehouse root sign-in ...)" would.
func cliSignIn(t *testing.T, rootPassword string) {
	t.Helper()
	code, out, errOut := runCLI(t, rootPassword+"\n", "root", "sign-in", "--email", "root@example.com", "--format", "env")
	if code != 0 {
		t.Fatalf("root sign-in: %d %s", code, errOut)
	}
	set := 0
	for _, line := range strings.Split(out, "\n") {
		k, v, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		if !ok || !strings.HasPrefix(line, "export ") {
			continue
		}
		t.Setenv(k, strings.Trim(v, "'"))
		set++
	}
	if set != 3 || !strings.HasPrefix(os.Getenv("AWS_ACCESS_KEY_ID"), "ASIA") {
		t.Fatalf("sign-in output %q", out)
	}
}

// runCLI runs a command line and returns its exit code, stdout and stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func wantJSON(t *testing.T, out string, key, want string) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if m[key] != want {
		t.Errorf("%s = %v, want %s (output %s)", key, m[key], want, out)
	}
}

func TestRootCommands(t *testing.T) {
	dir, url := cliServer(t)

	code, out, errOut := runCLI(t, "", "root", "status")
	if code != 0 {
		t.Fatalf("root status: %d %s", code, errOut)
	}
	wantJSON(t, out, "AccountState", "ACTIVE")

	// Root's access key cannot do a console task: the answer says how.
	code, _, errOut = runCLI(t, "old root password\nnew root password\n", "root", "change-password")
	if code != 1 || !strings.Contains(errOut, "gatehouse root sign-in") || !strings.Contains(errOut, "a root access key cannot do it") {
		t.Errorf("change-password with root's key: %d %q", code, errOut)
	}
	cliSignIn(t, "old root password")

	// Passwords from stdin; a wrong current password is the AWS error.
	code, _, errOut = runCLI(t, "wrong\nnew root password\n", "root", "change-password")
	if code != 1 || !strings.Contains(errOut, "An error occurred (AccessDeniedException) when calling the ChangeRootPassword operation: The current password is incorrect.") {
		t.Errorf("wrong password: %d %q", code, errOut)
	}
	if code, out, errOut = runCLI(t, "old root password\nnew root password\n", "root", "change-password"); code != 0 || strings.TrimSpace(out) != "{}" {
		t.Fatalf("change-password: %d %s %s", code, out, errOut)
	}
	if code, _, errOut = runCLI(t, "", "root", "change-password", "--endpoint-url", url, "--current", "new root password", "--new", "flag root password"); code != 0 {
		t.Fatalf("change-password with flags: %d %s", code, errOut)
	}
	sc := storeConfig{dataDir: dir}
	st, err := sc.open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var a *gatehouse.Account
	st.View(context.Background(), func(tx gatehouse.Tx) error { a, err = tx.Account(cliAccount); return err })
	if ok, _ := password.Check(a.RootPasswordHash, "flag root password"); !ok {
		t.Errorf("the new password does not match the stored hash")
	}

	// Email change with the code from the outbox.
	if code, out, errOut = runCLI(t, "", "root", "change-email", "--new", "new@example.com"); code != 0 {
		t.Fatalf("change-email: %d %s", code, errOut)
	}
	wantJSON(t, out, "Status", "PENDING")
	code, out, errOut = runCLI(t, "", "outbox", "list", "--data", dir, "--account", cliAccount, "--json")
	if code != 0 {
		t.Fatalf("outbox list: %d %s", code, errOut)
	}
	var msgs []struct{ To, Subject, Body string }
	if err := json.Unmarshal([]byte(out), &msgs); err != nil || len(msgs) != 4 { // sign-in, 2 password changes, code
		t.Fatalf("outbox: %v %s", err, out)
	}
	m := regexp.MustCompile(`Confirmation code: (\d{6})`).FindStringSubmatch(msgs[3].Body)
	if m == nil || msgs[3].To != "new@example.com" {
		t.Fatalf("no code in %+v", msgs[3])
	}
	if code, out, _ = runCLI(t, "", "outbox", "list", "--data", dir); code != 0 || !strings.Contains(out, m[0]) {
		t.Errorf("outbox list (text): %d, code shown: %v", code, strings.Contains(out, m[0]))
	}
	// The outbox list is the only place the code is shown: the message
	// body is sealed in the data directory's files.
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("data directory: %v %v", files, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, plain := range []string{m[0], "Confirmation code", "Someone asked"} {
			if bytes.Contains(b, []byte(plain)) {
				t.Errorf("%s holds %q in plain text", filepath.Base(f), plain)
			}
		}
	}
	if code, out, errOut = runCLI(t, "", "root", "confirm-email", "--new", "new@example.com", "--code", m[1]); code != 0 {
		t.Fatalf("confirm-email: %d %s", code, errOut)
	}
	wantJSON(t, out, "Status", "ACCEPTED")

	// Billing access.
	if code, out, errOut = runCLI(t, "", "billing", "iam-access"); code != 0 {
		t.Errorf("billing iam-access: %d %s", code, errOut)
	}
	wantJSON(t, out, "IamUserAccessToBilling", "DENY")
	if code, out, errOut = runCLI(t, "", "billing", "iam-access", "--enable"); code != 0 {
		t.Errorf("billing iam-access --enable: %d %s", code, errOut)
	}
	wantJSON(t, out, "IamUserAccessToBilling", "ALLOW")
	if code, _, _ = runCLI(t, "", "billing", "iam-access", "--enable", "--disable"); code != exitUsage {
		t.Errorf("--enable --disable: exit %d", code)
	}

	// Close and reopen.
	code, out, errOut = runCLI(t, "", "root", "close-account")
	if code != 0 {
		t.Fatalf("close-account: %d %s", code, errOut)
	}
	wantJSON(t, out, "AccountState", "CLOSED")
	t.Setenv("AWS_ACCESS_KEY_ID", cliKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", cliSecret)
	t.Setenv("AWS_SESSION_TOKEN", "")
	code, _, errOut = runCLI(t, "", "billing", "iam-access")
	if code != 1 || !strings.Contains(errOut, "The account "+cliAccount+" is closed.") {
		t.Errorf("closed account: %d %q", code, errOut)
	}
	// Root's access key is refused too: root signs in to reopen.
	if code, _, errOut = runCLI(t, "", "root", "reopen-account"); code != 1 || !strings.Contains(errOut, "is closed.") {
		t.Errorf("reopen with the root key: %d %q", code, errOut)
	}
	code, out, errOut = runCLI(t, "flag root password\n", "root", "sign-in", "--email", "new@example.com", "--format", "env")
	if code != 0 {
		t.Fatalf("sign-in: %d %s", code, errOut)
	}
	for _, m := range regexp.MustCompile(`(?m)^export (AWS_[A-Z_]+)='([^']*)'$`).FindAllStringSubmatch(out, -1) {
		t.Setenv(m[1], m[2])
	}
	if code, out, errOut = runCLI(t, "", "root", "reopen-account"); code != 0 {
		t.Errorf("reopen-account: %d %s", code, errOut)
	}
	wantJSON(t, out, "AccountState", "ACTIVE")

	// No credentials.
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	if code, _, errOut = runCLI(t, "", "root", "status"); code != 1 || !strings.Contains(errOut, "AWS_ACCESS_KEY_ID") {
		t.Errorf("no credentials: %d %q", code, errOut)
	}
}

func TestAccountCreateBillingAccess(t *testing.T) {
	dir := newDataDir(t)
	for _, tc := range []struct {
		id   string
		args []string
		want bool
	}{
		{"111111111111", nil, false},
		{"222222222222", []string{"--iam-billing-access"}, true},
	} {
		args := append([]string{"account", "create", "--data", dir, "--email", "r" + tc.id + "@example.com", "--id", tc.id}, tc.args...)
		if code, _, errOut := runCLI(t, "", args...); code != 0 {
			t.Fatalf("%v: %d %s", args, code, errOut)
		}
	}
	sc := storeConfig{dataDir: dir}
	st, err := sc.open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.View(context.Background(), func(tx gatehouse.Tx) error {
		for id, want := range map[string]bool{"111111111111": false, "222222222222": true} {
			a, err := tx.Account(id)
			if err != nil {
				t.Fatal(err)
			}
			if a.IAMBillingAccess != want {
				t.Errorf("%s: IAMBillingAccess %v, want %v", id, a.IAMBillingAccess, want)
			}
		}
		return nil
	})
}

// TestRootSignInCommand: root signs in with the password on stdin, with
// no credentials in the environment, and uses the session it prints.
func TestRootSignInCommand(t *testing.T) {
	cliServer(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")

	code, _, errOut := runCLI(t, "wrong password\n", "root", "sign-in", "--email", "root@example.com")
	if code != 1 || !strings.Contains(errOut, "(AccessDeniedException) when signing in: Your authentication information is incorrect.") ||
		strings.Contains(errOut, "wrong password") {
		t.Errorf("wrong password: %d %q", code, errOut)
	}
	if code, _, _ := runCLI(t, "", "root", "sign-in"); code != exitUsage {
		t.Errorf("no --email: exit %d", code)
	}

	code, out, errOut := runCLI(t, "old root password\n", "root", "sign-in", "--email", "root@example.com")
	if code != 0 {
		t.Fatalf("sign-in: %d %s", code, errOut)
	}
	wantJSON(t, out, "RootUserArn", "arn:aws:iam::"+cliAccount+":root")

	code, out, errOut = runCLI(t, "old root password\n", "root", "sign-in", "--email", "root@example.com", "--format", "env")
	if code != 0 {
		t.Fatalf("sign-in --format env: %d %s", code, errOut)
	}
	vars := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^export (AWS_[A-Z_]+)='([^']*)'$`).FindAllStringSubmatch(out, -1) {
		vars[m[1]] = m[2]
	}
	if !strings.HasPrefix(vars["AWS_ACCESS_KEY_ID"], "ASIA") || vars["AWS_SECRET_ACCESS_KEY"] == "" || vars["AWS_SESSION_TOKEN"] == "" {
		t.Fatalf("env output:\n%s", out)
	}
	for k, v := range vars {
		t.Setenv(k, v)
	}
	code, out, errOut = runCLI(t, "", "root", "status")
	if code != 0 {
		t.Fatalf("root status with the sign-in session: %d %s", code, errOut)
	}
	wantJSON(t, out, "AccountState", "ACTIVE")
}
