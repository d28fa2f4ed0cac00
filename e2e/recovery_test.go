package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Lost root credentials (docs/root-tasks.md): the forgot-password flow
// through the outbox, the second start's hints, and the operator's
// reset-credentials against a stopped and a running server.

var (
	resetCodeRE      = regexp.MustCompile(`Password reset code: ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})\n`)
	operatorPassRE   = regexp.MustCompile(`(?m)^  root password: +(\S+)$`)
	operatorKeyRE    = regexp.MustCompile(`(?m)^  root access key id: +(AKIA\S+)$`)
	operatorSecretRE = regexp.MustCompile(`(?m)^  root secret access key: +(\S+)$`)
)

// signInWorks reports whether gatehouse root sign-in succeeds with pw.
func signInWorks(t *testing.T, srv *server, pw string) bool {
	t.Helper()
	r := gatehouseCLI(t, creds{}, pw+"\n", "root", "sign-in", "--email", rootEmail, "--endpoint-url", srv.URL)
	return r.Code == 0
}

// fileHolds reports whether any file of the store (the database and its
// WAL) holds s.
func fileHolds(t *testing.T, dataDir, s string) bool {
	t.Helper()
	for _, name := range []string{"gatehouse.db", "gatehouse.db-wal"} {
		b, err := os.ReadFile(filepath.Join(dataDir, name))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(s)) {
			return true
		}
	}
	return false
}

func TestLostRootCredentials(t *testing.T) {
	t.Parallel()
	srv := startServer(t, serverOptions{})
	endpoint := []string{"--endpoint-url", srv.URL}

	// Forgot password: the same answer for any address.
	known := gatehouseCLI(t, creds{}, "", append([]string{"root", "forgot-password", "--email", strings.ToUpper(rootEmail)}, endpoint...)...)
	unknown := gatehouseCLI(t, creds{}, "", append([]string{"root", "forgot-password", "--email", "nobody@e2e.gatehouse.test"}, endpoint...)...)
	if known.Code != 0 || unknown.Code != 0 || known.Stdout != unknown.Stdout || known.Stderr != "" {
		t.Fatalf("forgot-password answers: %+v / %+v", known, unknown)
	}
	var code string
	for _, m := range outboxMessages(t, srv.DataDir) {
		if c := resetCodeRE.FindStringSubmatch(m.Body); c != nil && m.To == rootEmail {
			code = c[1]
			if strings.Contains(m.Subject, code) {
				t.Errorf("the code is in the subject: %q", m.Subject)
			}
		}
	}
	if code == "" {
		t.Fatal("no reset code in the outbox")
	}
	if fileHolds(t, srv.DataDir, code) {
		t.Error("the reset code is in the store's files in plain text")
	}

	const newPassword = "e2e-reset-Passw0rd-after-forgot"
	reset := func(code string) cliResult {
		return gatehouseCLI(t, creds{}, newPassword+"\n", append([]string{"root", "reset-password", "--email", rootEmail, "--code", code}, endpoint...)...)
	}
	if r := reset("AAAA-AAAA-AAAA"); r.Code != 1 || !strings.Contains(r.Stderr, "(AccessDeniedException)") {
		t.Fatalf("wrong code: %+v", r)
	}
	if r := reset(code); r.Code != 0 || !strings.Contains(r.Stdout, `"AccountId": "`+accountID+`"`) {
		t.Fatalf("reset-password: %+v", r)
	}
	if r := reset(code); r.Code != 1 {
		t.Fatalf("the code worked twice: %+v", r)
	}
	if signInWorks(t, srv, rootPassword) || !signInWorks(t, srv, newPassword) {
		t.Fatal("after the reset, the old password signs in or the new one does not")
	}
	if fileHolds(t, srv.DataDir, newPassword) {
		t.Error("the new password is in the store's files")
	}

	// Operator, server running: a new password, seen at once.
	r := gatehouseCLI(t, creds{}, "", "root", "reset-credentials", "--account", accountID, "--data", srv.DataDir)
	m := operatorPassRE.FindStringSubmatch(r.Stdout)
	if r.Code != 0 || m == nil {
		t.Fatalf("reset-credentials (running): %+v", r)
	}
	running := m[1]
	if signInWorks(t, srv, newPassword) || !signInWorks(t, srv, running) {
		t.Fatal("the running server does not see the operator's password")
	}
	// And a new key in place of the old one: the running server follows.
	r = gatehouseCLI(t, creds{}, "", "root", "reset-credentials", "--account", accountID, "--data", srv.DataDir, "--access-key", "--delete-access-keys")
	id, secret := operatorKeyRE.FindStringSubmatch(r.Stdout), operatorSecretRE.FindStringSubmatch(r.Stdout)
	if r.Code != 0 || id == nil || secret == nil || !strings.Contains(r.Stdout, rootKeyID) {
		t.Fatalf("reset-credentials --access-key --delete-access-keys (running): %+v", r)
	}
	running = operatorPassRE.FindStringSubmatch(r.Stdout)[1]
	newKey := creds{ID: id[1], Secret: secret[1]}
	deadline := time.Now().Add(2 * time.Second)
	for {
		old := gatehouseCLI(t, rootCreds, "", append([]string{"root", "status"}, endpoint...)...)
		cur := gatehouseCLI(t, newKey, "", append([]string{"root", "status"}, endpoint...)...)
		if old.Code == 1 && cur.Code == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the running server still takes the deleted key or refuses the new one: %+v / %+v", old, cur)
		}
		time.Sleep(20 * time.Millisecond)
	}

	// Second start: the accounts and the ways back, no credentials.
	first := srv
	if err := srv.stop(t); err != nil {
		t.Fatalf("stop: %v", err)
	}
	// Operator, server stopped.
	r = gatehouseCLI(t, creds{}, "", "root", "reset-credentials", "--account", accountID, "--data", srv.DataDir)
	m = operatorPassRE.FindStringSubmatch(r.Stdout)
	if r.Code != 0 || m == nil {
		t.Fatalf("reset-credentials (stopped): %+v", r)
	}
	stopped := m[1]
	srv = startServer(t, serverOptions{DataDir: srv.DataDir})
	out := srv.stdout.String()
	for _, want := range []string{
		"Serving 1 account: " + accountID,
		"(root user " + rootEmail + ")",
		"gatehouse root forgot-password --email " + rootEmail,
		"gatehouse root reset-credentials --account " + accountID + " --data " + srv.DataDir,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("second start does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Created account") || strings.Contains(out, "password:") {
		t.Errorf("second start prints credentials:\n%s", out)
	}
	if signInWorks(t, srv, running) || !signInWorks(t, srv, stopped) {
		t.Fatal("the restarted server does not take the password set while it was stopped")
	}
	if r := gatehouseCLI(t, newKey, "", "root", "status", "--endpoint-url", srv.URL); r.Code != 0 {
		t.Fatalf("the operator's key after a restart: %+v", r)
	}

	// The audit trail: the recovery and the operator's resets, no secret.
	r = gatehouseCLI(t, creds{}, "", "audit", "list", "--data", srv.DataDir, "--json", "--limit", "1000")
	if r.Code != 0 {
		t.Fatalf("audit list: %+v", r)
	}
	var recs []map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &recs); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, rec := range recs {
		b, _ := json.Marshal(rec)
		for _, s := range []string{code, newPassword, running, stopped, secret[1]} {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("audit record with a secret: %s", b)
			}
		}
		if a, _ := rec["action"].(string); a != "" {
			count[a]++
		}
	}
	if count["PasswordRecoveryRequested"] != 2 || count["PasswordRecoveryCompleted"] != 3 || count["ResetRootCredentials"] != 3 {
		t.Errorf("audit actions: %v", count)
	}
	if err := srv.stop(t); err != nil {
		t.Fatalf("stop: %v", err)
	}
	assertNoSecrets(t, map[string]string{"reset code": code, "reset password": newPassword, "operator's password": running,
		"operator's password (stopped)": stopped, "operator's secret access key": secret[1]},
		map[string]string{"first run's stdout": first.stdout.String(), "first run's stderr": first.stderr.String(),
			"second run's stdout": srv.stdout.String(), "second run's stderr": srv.stderr.String(), "audit list --json": r.Stdout}, srv.DataDir)
}
