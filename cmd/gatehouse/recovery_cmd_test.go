package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/iam"
)

// resetOutput reads what gatehouse root reset-credentials printed.
var (
	resetPasswordLine = regexp.MustCompile(`(?m)^  root password: +(\S+)$`)
	resetKeyIDLine    = regexp.MustCompile(`(?m)^  root access key id: +(AKIA\S+)$`)
	resetSecretLine   = regexp.MustCompile(`(?m)^  root secret access key: +(\S+)$`)
)

// eventually retries check until it passes or a second has passed: an
// operator command's commit reaches a running server's caches within
// the store's revision TTL (50 ms).
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Second); ; time.Sleep(10 * time.Millisecond) {
		if check() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not seen within a second", what)
		}
	}
}

// auditJSON returns the audit records gatehouse audit list --json prints.
func auditJSON(t *testing.T, dir string) []map[string]any {
	t.Helper()
	code, out, errOut := runCLI(t, "", "audit", "list", "--data", dir, "--json", "--limit", "1000")
	if code != 0 {
		t.Fatalf("audit list: %d %s", code, errOut)
	}
	var recs []map[string]any
	if err := json.Unmarshal([]byte(out), &recs); err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestRootResetCredentialsCommand: the operator gives root a new
// password (and keys, and removes MFA) on the data directory of a
// running server, which sees the change; the new credentials are printed
// once and appear in no audit record or message.
func TestRootResetCredentialsCommand(t *testing.T) {
	dir, _ := cliServer(t)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))

	if code, _, errOut := runCLI(t, "", "root", "reset-credentials", "--data", dir); code != exitUsage || !strings.Contains(errOut, "--account is required") {
		t.Errorf("no --account: %d %q", code, errOut)
	}
	code, _, errOut := runCLI(t, "", "root", "reset-credentials", "--data", dir, "--account", "999999999999")
	if code != 1 || !strings.Contains(errOut, "999999999999") {
		t.Errorf("unknown account: %d %q", code, errOut)
	}

	// A new password; root's key is untouched.
	code, out, errOut := runCLI(t, "", "root", "reset-credentials", "--data", dir, "--account", cliAccount)
	if code != 0 {
		t.Fatalf("reset-credentials: %d %s", code, errOut)
	}
	m := resetPasswordLine.FindStringSubmatch(out)
	if m == nil || len(m[1]) != 24 || resetKeyIDLine.MatchString(out) {
		t.Fatalf("output:\n%s", out)
	}
	newPassword := m[1]
	if code, _, _ := runCLI(t, "old root password\n", "root", "sign-in", "--email", "root@example.com"); code != 1 {
		t.Error("the old password still signs in")
	}
	cliSignIn(t, newPassword) // the running server checks the new password
	t.Setenv("AWS_ACCESS_KEY_ID", cliKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", cliSecret)
	t.Setenv("AWS_SESSION_TOKEN", "")
	if code, _, errOut := runCLI(t, "", "root", "status"); code != 0 {
		t.Fatalf("root's key after a password reset: %d %s", code, errOut)
	}

	// A second key fits the quota of two; a third does not.
	code, out, errOut = runCLI(t, "", "root", "reset-credentials", "--data", dir, "--account", cliAccount, "--access-key")
	if code != 0 {
		t.Fatalf("--access-key: %d %s", code, errOut)
	}
	secondID, secondSecret := resetKeyIDLine.FindStringSubmatch(out), resetSecretLine.FindStringSubmatch(out)
	if secondID == nil || secondSecret == nil {
		t.Fatalf("no key in:\n%s", out)
	}
	code, _, errOut = runCLI(t, "", "root", "reset-credentials", "--data", dir, "--account", cliAccount, "--access-key")
	if code != 1 || !strings.Contains(errOut, "already has 2 access keys") || !strings.Contains(errOut, "--delete-access-keys") {
		t.Errorf("third key: %d %q", code, errOut)
	}
	// With --delete-access-keys: both old keys go, a new one comes.
	code, out, errOut = runCLI(t, "", "root", "reset-credentials", "--data", dir, "--account", cliAccount, "--access-key", "--delete-access-keys")
	if code != 0 {
		t.Fatalf("--delete-access-keys: %d %s", code, errOut)
	}
	thirdID, thirdSecret := resetKeyIDLine.FindStringSubmatch(out), resetSecretLine.FindStringSubmatch(out)
	if thirdID == nil || !strings.Contains(out, cliKeyID) || !strings.Contains(out, secondID[1]) {
		t.Fatalf("output:\n%s", out)
	}
	eventually(t, "the running server refuses the deleted key", func() bool {
		code, _, errOut := runCLI(t, "", "root", "status")
		return code == 1 && strings.Contains(errOut, "(UnrecognizedClientException)")
	})
	t.Setenv("AWS_ACCESS_KEY_ID", thirdID[1])
	t.Setenv("AWS_SECRET_ACCESS_KEY", thirdSecret[1])
	eventually(t, "the running server accepts the new key", func() bool {
		code, _, _ := runCLI(t, "", "root", "status")
		return code == 0
	})

	// Root with an MFA device: the password alone does not sign in until
	// the operator removes the device.
	st, err := (&storeConfig{dataDir: dir}).open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	serial := gatehouse.MFADeviceARN("", cliAccount, "/", "root-device")
	err = st.Update(context.Background(), func(tx gatehouse.Tx) error {
		return tx.CreateMFADevice(&gatehouse.MFADevice{AccountID: cliAccount, SerialNumber: serial, Name: "root-device", Path: "/",
			Seed: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", UserName: gatehouse.RootUserName, EnabledAt: time.Now()})
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, "", "root", "reset-credentials", "--data", dir, "--account", cliAccount)
	if code != 0 || !strings.Contains(out, "--remove-mfa") {
		t.Fatalf("reset with MFA kept: %d %s %s", code, out, errOut)
	}
	kept := resetPasswordLine.FindStringSubmatch(out)[1]
	if code, _, errOut := runCLI(t, kept+"\n", "root", "sign-in", "--email", "root@example.com"); code != 1 || !strings.Contains(errOut, "MFA code") {
		t.Errorf("sign-in with MFA kept: %d %q", code, errOut)
	}
	code, out, errOut = runCLI(t, "", "root", "reset-credentials", "--data", dir, "--account", cliAccount, "--remove-mfa")
	if code != 0 || !strings.Contains(out, serial) {
		t.Fatalf("--remove-mfa: %d %s %s", code, out, errOut)
	}
	final := resetPasswordLine.FindStringSubmatch(out)[1]
	cliSignIn(t, final)

	// Audited as the operator, the refusal included; no secret anywhere.
	secrets := []string{newPassword, kept, final, secondSecret[1], thirdSecret[1]}
	var ops []string
	for _, r := range auditJSON(t, dir) {
		if r["principalType"] == gatehouse.PrincipalOperator {
			ops = append(ops, fmt.Sprint(r["accountId"], " ", r["action"], " ", r["errorCode"]))
		}
		b, _ := json.Marshal(r)
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("audit record carries a secret: %s", b)
			}
		}
	}
	if len(ops) != 7 { // unknown account, password, key, refused key, keys, MFA kept, MFA removed
		t.Errorf("%d operator records:\n%s", len(ops), strings.Join(ops, "\n"))
	}
	code, out, _ = runCLI(t, "", "audit", "list", "--data", dir, "--account", cliAccount)
	if code != 0 || !strings.Contains(out, "GatehouseOperator") || !strings.Contains(out, "gatehouse:ResetRootCredentials") || !strings.Contains(out, "gatehouse-operator:") {
		t.Errorf("audit list table:\n%s", out)
	}
	code, out, _ = runCLI(t, "", "outbox", "list", "--data", dir, "--account", cliAccount)
	if code != 0 || !strings.Contains(out, "The Gatehouse operator reset your root user credentials") {
		t.Errorf("no notice in the outbox:\n%s", out)
	}
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("the outbox carries a secret")
		}
	}
}

// TestRootForgotPasswordCommands: forgot-password answers alike for any
// address; reset-password with the code from the outbox sets the
// password read from stdin.
func TestRootForgotPasswordCommands(t *testing.T) {
	dir, _ := cliServer(t)
	code, known, errOut := runCLI(t, "", "root", "forgot-password", "--email", "root@example.com")
	if code != 0 {
		t.Fatalf("forgot-password: %d %s", code, errOut)
	}
	code, unknown, _ := runCLI(t, "", "root", "forgot-password", "--email", "nobody@example.com")
	if code != 0 || known != unknown {
		t.Errorf("answers differ: %q / %q", known, unknown)
	}
	if code, _, _ := runCLI(t, "", "root", "forgot-password"); code != exitUsage {
		t.Errorf("no --email: exit %d", code)
	}
	code, out, _ := runCLI(t, "", "outbox", "list", "--data", dir, "--json")
	m := regexp.MustCompile(`Password reset code: ([A-Z2-9-]{14})`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("no code in the outbox:\n%s", out)
	}
	if code, _, errOut := runCLI(t, "", "root", "reset-password", "--email", "root@example.com", "--code", m[1]); code != exitUsage || !strings.Contains(errOut, "first line of stdin") {
		t.Errorf("no password on stdin: %d %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "a new root password\n", "root", "reset-password", "--email", "root@example.com", "--code", "AAAA-AAAA-AAAA")
	if code != 1 || !strings.Contains(errOut, "(AccessDeniedException) when calling ResetPassword: The password reset code is not valid") {
		t.Errorf("wrong code: %d %q", code, errOut)
	}
	code, out, errOut = runCLI(t, "a new root password\n", "root", "reset-password", "--email", "root@example.com", "--code", m[1])
	if code != 0 {
		t.Fatalf("reset-password: %d %s", code, errOut)
	}
	wantJSON(t, out, "AccountId", cliAccount)
	cliSignIn(t, "a new root password")
}

// TestServeListsAccounts: a start on a store with accounts prints them
// (capped) and the ways back to a lost root user; the first start
// prints the new credentials instead.
func TestServeListsAccounts(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := (&storeConfig{dataDir: dir, create: true}).open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := &iam.Service{Store: gatehouse.Narrow[iam.Tx](st)}
	// A fixed ID that sorts after the eleven below: a random one sorted
	// first now and then, and the list's first line changed with it.
	t.Setenv(envAccountID, "900000000000")
	t.Setenv(envRootEmail, "")
	t.Setenv(envRootPass, "")
	t.Setenv(envRootKeyID, "")
	t.Setenv(envRootSecret, "")
	var first, second bytes.Buffer
	if err := bootstrapAccount(ctx, svc, st, &first, dir); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first.String(), "root password:") {
		t.Fatalf("first start:\n%s", first.String())
	}
	id := regexp.MustCompile(`Created account (\d{12})`).FindStringSubmatch(first.String())[1]
	if err := bootstrapAccount(ctx, svc, st, &second, dir); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("Serving 1 account: %s \"root\" (root user root@gatehouse.local).\n"+
		"Lost the root password? gatehouse root forgot-password --email root@gatehouse.local sends a reset code to that address (gatehouse outbox list --data %s shows it).\n"+
		"On this machine, gatehouse root reset-credentials --account %s --data %s gives root new credentials.\n", id, dir, id, dir)
	if second.String() != want {
		t.Errorf("second start:\n%s\nwant\n%s", second.String(), want)
	}
	if strings.Contains(second.String(), "password:") || strings.Contains(second.String(), "AKIA") {
		t.Errorf("the second start prints credentials:\n%s", second.String())
	}

	for i := range 11 {
		if _, _, err := svc.CreateAccount(ctx, iam.AccountSpec{ID: fmt.Sprintf("1000000000%02d", i), Email: fmt.Sprintf("ops%d@example.com", i)}); err != nil {
			t.Fatal(err)
		}
	}
	var many bytes.Buffer
	if err := bootstrapAccount(ctx, svc, st, &many, "my data"); err != nil {
		t.Fatal(err)
	}
	out := many.String()
	if !strings.HasPrefix(out, "Serving 12 accounts:\n  100000000000  root user ops0@example.com  \"ops0\"\n") ||
		strings.Count(out, "  root user ") != maxListedAccounts ||
		!strings.Contains(out, "  ... and 2 more (gatehouse account list --data 'my data')\n") ||
		!strings.Contains(out, "gatehouse root reset-credentials --account ID --data 'my data'") {
		t.Errorf("many accounts:\n%s", out)
	}
}
