package api_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api"
	"github.com/gatehouse-dev/gatehouse/password"
	"github.com/gatehouse-dev/gatehouse/roottask"
	"github.com/gatehouse-dev/gatehouse/totp"
)

// newRecoveryHarness is a harness whose root tasks hash passwords
// cheaply, with root's password set.
func newRecoveryHarness(t testing.TB) *harness {
	t.Helper()
	h := newHarness(t, func(s *api.Server) {
		s.RootTasks = &roottask.Service{Store: gatehouse.Narrow[roottask.Tx](s.Store), Now: s.Now, HashParams: &password.Params{Memory: 64, Time: 1, Threads: 1}}
	})
	h.giveRootPassword(t)
	return h
}

func (h *harness) forgot(t testing.TB, email string) response {
	t.Helper()
	h.tick()
	b, _ := json.Marshal(map[string]string{"Email": email})
	return h.raw(t, "POST", "/_gatehouse/forgot-password", "application/json", b)
}

func (h *harness) resetPassword(t testing.TB, email, code, next string) response {
	t.Helper()
	h.tick()
	b, _ := json.Marshal(map[string]string{"Email": email, "Code": code, "NewPassword": next})
	return h.raw(t, "POST", "/_gatehouse/reset-password", "application/json", b)
}

var resetCodePattern = regexp.MustCompile(`Password reset code: ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})\n`)

// resetCode returns the code of the newest reset message to to.
func resetCode(t testing.TB, h *harness, to string) string {
	t.Helper()
	msgs := outbox(t, h)
	for i := len(msgs) - 1; i >= 0; i-- {
		if m := resetCodePattern.FindStringSubmatch(msgs[i].Body.Reveal()); m != nil && msgs[i].To == to {
			return m[1]
		}
	}
	t.Fatalf("no reset code for %s in the outbox", to)
	return ""
}

// recoveryRecords returns the audit records of the recovery requests,
// oldest first.
func recoveryRecords(t *testing.T, h *harness) []*gatehouse.AuditRecord {
	t.Helper()
	var out []*gatehouse.AuditRecord
	for _, r := range signInRecords(t, h) {
		if strings.HasPrefix(r.Action, "PasswordRecovery") {
			out = append(out, r)
		}
	}
	return out
}

const resetFailedMsg = "The password reset code is not valid: it is wrong, expired or already used. Request a new code."

// TestForgotRootPassword is the whole way back: the same answer for any
// address, a code in the outbox (sealed, not in the subject), a new
// password with it, once; the old password and the old sign-in session
// stop working; every step audited without secrets.
func TestForgotRootPassword(t *testing.T) {
	h := newRecoveryHarness(t)
	_, oldSession := signedIn(t, h.signIn(t, signInBody("root@example.com", signInPassword, "", "")))
	before := len(outbox(t, h))

	known := h.forgot(t, "ROOT@example.com") // any case
	unknown := h.forgot(t, "nobody@example.com")
	if known.status != 200 || unknown.status != 200 || string(known.body) != string(unknown.body) {
		t.Fatalf("answers differ: HTTP %d %s / HTTP %d %s", known.status, known.body, unknown.status, unknown.body)
	}
	for _, k := range []string{"Content-Type", "X-Amzn-Errortype"} {
		if known.header.Get(k) != unknown.header.Get(k) {
			t.Errorf("header %s differs: %q / %q", k, known.header.Get(k), unknown.header.Get(k))
		}
	}
	msgs := outbox(t, h)
	if len(msgs) != before+1 {
		t.Fatalf("%d new outbox messages, want 1 (none for the unknown address)", len(msgs)-before)
	}
	m := msgs[len(msgs)-1]
	code := resetCode(t, h, "root@example.com")
	if strings.Contains(m.Subject, code) || fmt.Sprint(m.Body) != "[REDACTED]" || strings.Contains(fmt.Sprintf("%+v", *m), code) {
		t.Errorf("the code shows outside the sealed body: %+v", *m)
	}

	// Wrong code, unknown address, and the right code for another
	// address: one answer.
	for name, r := range map[string]response{
		"wrong code":     h.resetPassword(t, "root@example.com", "AAAA-AAAA-AAAA", "a brand new password"),
		"unknown email":  h.resetPassword(t, "nobody@example.com", code, "a brand new password"),
		"empty-ish code": h.resetPassword(t, "root@example.com", "----", "a brand new password"),
	} {
		if msg := ghFail(t, r, 403, "AccessDeniedException"); msg != resetFailedMsg {
			t.Errorf("%s: %q", name, msg)
		}
	}
	// Validation comes before the code is looked at.
	if msg := ghFail(t, h.resetPassword(t, "root@example.com", code, "short"), 400, "ValidationException"); !strings.Contains(msg, "8 to 128") {
		t.Errorf("short password: %q", msg)
	}
	for name, body := range map[string]string{
		"no code":        `{"Email":"root@example.com","NewPassword":"a brand new password"}`,
		"no password":    `{"Email":"root@example.com","Code":"x"}`,
		"no email":       `{"Code":"x","NewPassword":"a brand new password"}`,
		"unknown member": `{"Email":"root@example.com","Code":"x","NewPassword":"a brand new password","X":1}`,
		"not JSON":       `{"Email":`,
	} {
		h.tick()
		if r := h.raw(t, "POST", "/_gatehouse/reset-password", "application/json", []byte(body)); r.status != 400 {
			t.Errorf("%s: HTTP %d %s", name, r.status, r.body)
		}
	}

	// The right code, typed loosely, works once.
	const newPassword = "a brand new root password"
	loose := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	r := h.resetPassword(t, "root@example.com", loose, newPassword)
	if r.status != 200 {
		t.Fatalf("reset: HTTP %d %s", r.status, r.body)
	}
	var out struct {
		AccountId, RootUserArn string
		MFARequired            bool
	}
	if err := json.Unmarshal(r.body, &out); err != nil || out.AccountId != accountID || out.MFARequired {
		t.Errorf("reset answer %s (%v)", r.body, err)
	}
	if msg := ghFail(t, h.resetPassword(t, "root@example.com", code, "yet another password"), 403, "AccessDeniedException"); msg != resetFailedMsg {
		t.Errorf("reused code: %q", msg)
	}
	if ok, _ := password.Check(rootAccount(t, h).RootPasswordHash, newPassword); !ok {
		t.Fatal("the new password does not match the stored hash")
	}
	ghFail(t, h.signIn(t, signInBody("root@example.com", signInPassword, "", "")), 403, "AccessDeniedException")
	signedIn(t, h.signIn(t, signInBody("root@example.com", newPassword, "", "")))
	// The sign-in session made before the reset is ended.
	if r := h.send(t, "sts", oldSession, stsForm("GetCallerIdentity")); r.status == 200 {
		t.Errorf("the sign-in session from before the reset still works: %s", r.body)
	}
	// Root's access key is untouched.
	if r := h.send(t, "sts", rootKey, stsForm("GetCallerIdentity")); r.status != 200 {
		t.Errorf("root's access key after the reset: HTTP %d %s", r.status, r.body)
	}
	last := outbox(t, h)
	if n := last[len(last)-2]; n.Subject != "Your Gatehouse root user password was reset" || n.To != "root@example.com" {
		t.Errorf("no reset notice: %q to %s", n.Subject, n.To)
	}

	recs := recoveryRecords(t, h)
	var got []string
	for _, rec := range recs {
		got = append(got, fmt.Sprintf("%s %s %s %v %s", rec.Action, rec.AccountID, rec.PrincipalType, rec.Root, rec.ErrorCode))
		dump := fmt.Sprintf("%+v", *rec)
		for _, secret := range []string{code, loose, newPassword, "a brand new password"} {
			if strings.Contains(dump, secret) {
				t.Errorf("audit record carries a secret: %s", dump)
			}
		}
	}
	want := []string{
		"PasswordRecoveryRequested 123456789012 Root true ",
		"PasswordRecoveryRequested  Anonymous false ",
		"PasswordRecoveryCompleted 123456789012 Root true AccessDenied",
		"PasswordRecoveryCompleted  Anonymous false AccessDenied",
		"PasswordRecoveryCompleted 123456789012 Root true AccessDenied",
		"PasswordRecoveryCompleted  Anonymous false ValidationError",
		"PasswordRecoveryCompleted  Anonymous false ValidationError",
	}
	if len(got) < len(want) || strings.Join(got[:2], "|") != strings.Join(want[:2], "|") {
		t.Fatalf("records:\n%s", strings.Join(got, "\n"))
	}
	// The failures (in map order above), the validation errors, then the
	// success and the reuse.
	tail := got[len(got)-2:]
	if tail[0] != "PasswordRecoveryCompleted 123456789012 Root true " || tail[1] != "PasswordRecoveryCompleted 123456789012 Root true AccessDenied" {
		t.Errorf("records of the reset and the reuse:\n%s", strings.Join(got, "\n"))
	}
	if n := len(got); n != 2+3+1+5+2 {
		t.Errorf("%d records, want %d:\n%s", n, 2+3+1+5+2, strings.Join(got, "\n"))
	}
}

// TestForgotRootPasswordCodeLife: a code expires after an hour, a newer
// request voids the older code, MaxResetAttempts wrong codes void the
// code, and changing the password voids it.
func TestForgotRootPasswordCodeLife(t *testing.T) {
	h := newRecoveryHarness(t)
	const next = "a brand new root password"

	t.Run("Expiry", func(t *testing.T) {
		h.forgot(t, "root@example.com")
		code := resetCode(t, h, "root@example.com")
		h.mu.Lock()
		h.now = h.now.Add(roottask.ResetCodeLifetime)
		h.mu.Unlock()
		if msg := ghFail(t, h.resetPassword(t, "root@example.com", code, next), 403, "AccessDeniedException"); msg != resetFailedMsg {
			t.Errorf("expired code: %q", msg)
		}
	})
	t.Run("NewerRequestVoidsOlder", func(t *testing.T) {
		h.forgot(t, "root@example.com")
		older := resetCode(t, h, "root@example.com")
		h.forgot(t, "root@example.com")
		newer := resetCode(t, h, "root@example.com")
		if older == newer {
			t.Fatal("the same code twice")
		}
		ghFail(t, h.resetPassword(t, "root@example.com", older, next), 403, "AccessDeniedException")
		if r := h.resetPassword(t, "root@example.com", newer, next); r.status != 200 {
			t.Fatalf("newer code: HTTP %d %s", r.status, r.body)
		}
	})
	t.Run("AttemptsLimited", func(t *testing.T) {
		h.forgot(t, "root@example.com")
		code := resetCode(t, h, "root@example.com")
		for range roottask.MaxResetAttempts {
			ghFail(t, h.resetPassword(t, "root@example.com", "ZZZZ-ZZZZ-ZZZZ", next+"!"), 403, "AccessDeniedException")
		}
		if msg := ghFail(t, h.resetPassword(t, "root@example.com", code, next+"!"), 403, "AccessDeniedException"); msg != resetFailedMsg {
			t.Errorf("right code after too many wrong ones: %q", msg)
		}
	})
	t.Run("PasswordChangeVoids", func(t *testing.T) {
		h.forgot(t, "root@example.com")
		code := resetCode(t, h, "root@example.com")
		if err := h.srv.RootTasks.ChangeRootPassword(t.Context(), accountID, next, "changed by the owner"); err != nil {
			t.Fatal(err)
		}
		ghFail(t, h.resetPassword(t, "root@example.com", code, next+"?"), 403, "AccessDeniedException")
	})
	t.Run("EmailChangeVoids", func(t *testing.T) {
		h.forgot(t, "root@example.com")
		code := resetCode(t, h, "root@example.com")
		if err := h.srv.RootTasks.StartEmailUpdate(t.Context(), accountID, "new-root@example.com"); err != nil {
			t.Fatal(err)
		}
		if err := h.srv.RootTasks.ConfirmEmailUpdate(t.Context(), accountID, "new-root@example.com", lastCode(t, h, "new-root@example.com")); err != nil {
			t.Fatal(err)
		}
		ghFail(t, h.resetPassword(t, "root@example.com", code, next+"?"), 403, "AccessDeniedException")
		ghFail(t, h.resetPassword(t, "new-root@example.com", code, next+"?"), 403, "AccessDeniedException")
	})
}

// TestForgotRootPasswordKeepsMFA: as on AWS, a reset does not bypass
// root's MFA: the sign-in with the new password still needs a code.
func TestForgotRootPasswordKeepsMFA(t *testing.T) {
	h := newRecoveryHarness(t)
	r := h.send(t, "iam", rootKey, iamForm("CreateVirtualMFADevice", "VirtualMFADeviceName", "root-device"))
	if r.status != 200 {
		t.Fatalf("CreateVirtualMFADevice: HTTP %d %s", r.status, r.body)
	}
	serial, seed := mfaDevice(t, r.body)
	at := h.clock().Add(time.Minute)
	r = h.send(t, "iam", rootKey, iamForm("EnableMFADevice", "SerialNumber", serial,
		"AuthenticationCode1", totp.Code(seed, at.Add(-totp.Period)), "AuthenticationCode2", totp.Code(seed, at)))
	if r.status != 200 {
		t.Fatalf("EnableMFADevice: HTTP %d %s", r.status, r.body)
	}
	h.forgot(t, "root@example.com")
	const next = "a brand new root password"
	r = h.resetPassword(t, "root@example.com", resetCode(t, h, "root@example.com"), next)
	if r.status != 200 || !strings.Contains(string(r.body), `"MFARequired":true`) {
		t.Fatalf("reset: HTTP %d %s", r.status, r.body)
	}
	msg := ghFail(t, h.signIn(t, signInBody("root@example.com", next, "", "")), 403, "AccessDeniedException")
	if msg != "The root user has MFA: an MFA code (MFACode) is required to sign in." {
		t.Errorf("sign-in after reset without a code: %q", msg)
	}
	out, _ := signedIn(t, h.signIn(t, signInBody("root@example.com", next, "", totp.Code(seed, h.clock().Add(time.Minute)))))
	if !out.MFAAuthenticated {
		t.Error("sign-in with a code is not MFA-authenticated")
	}
}

// TestForgotRootPasswordThrottle: reset requests are limited per source
// address and per address asked about, alike for known and unknown
// addresses; wrong codes share the sign-in's budget.
func TestForgotRootPasswordThrottle(t *testing.T) {
	h := newRecoveryHarness(t)
	handler := h.srv.Handler()
	send := func(path, addr, body string) response {
		t.Helper()
		r := httptest.NewRequest("POST", path, strings.NewReader(body))
		r.RemoteAddr = addr + ":4321"
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		return response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
	}
	for _, email := range []string{"root@example.com", "nobody@example.com"} {
		body := `{"Email":"` + email + `"}`
		for i := range 10 {
			if r := send("/_gatehouse/forgot-password", fmt.Sprintf("198.51.100.%d", i), body); r.status != 200 {
				t.Fatalf("%s request %d: HTTP %d %s", email, i, r.status, r.body)
			}
		}
		// Another address, the same target: refused, known or not.
		ghFail(t, send("/_gatehouse/forgot-password", "198.51.100.200", body), 429, "TooManyRequestsException")
	}
	if n := len(outbox(t, h)); n != 1+10 { // the password notice, then ten codes
		t.Errorf("%d outbox messages", n)
	}
	// One source address: ten wrong codes (against various addresses)
	// spend it for the sign-in too.
	for i := range 10 {
		body := fmt.Sprintf(`{"Email":"x%d@example.com","Code":"AAAA-AAAA-AAAA","NewPassword":"a brand new password"}`, i)
		ghFail(t, send("/_gatehouse/reset-password", "192.0.2.7", body), 403, "AccessDeniedException")
	}
	ghFail(t, send("/_gatehouse/signin", "192.0.2.7", signInBody("root@example.com", signInPassword, "", "")), 429, "TooManyRequestsException")
}

// FuzzRecovery sends random bodies to the two recovery endpoints: the
// answer is never a 5xx, always JSON, and never repeats the password or
// the code sent.
func FuzzRecovery(f *testing.F) {
	for _, s := range []struct {
		reset bool
		body  string
	}{
		{false, ``}, {false, `{}`}, {false, `{"Email":"root@example.com"}`}, {false, `{"Email":"ROOT@EXAMPLE.COM "}`},
		{false, `{"Email":1}`}, {false, `[]`}, {false, `{"Email":"` + strings.Repeat("a", 300) + `@example.com"}`},
		{true, `{"Email":"root@example.com","Code":"AAAA-AAAA-AAAA","NewPassword":"a brand new password"}`},
		{true, `{"Email":"root@example.com","Code":"` + strings.Repeat("-", 100) + `","NewPassword":"x"}`},
		{true, `{"Email":"\u0000","Code":"\ud800","NewPassword":"\ud800\ud800\ud800\ud800\ud800\ud800\ud800\ud800"}`},
		{true, `{"Email":"root@example.com"}{}`},
	} {
		f.Add(s.reset, s.body)
	}
	h := newRecoveryHarness(f)
	handler := h.srv.Handler()
	f.Fuzz(func(t *testing.T, reset bool, body string) {
		path := "/_gatehouse/forgot-password"
		if reset {
			path = "/_gatehouse/reset-password"
		}
		r := httptest.NewRequest("POST", path, strings.NewReader(body))
		r.RemoteAddr = "192.0.2.1:1234" // one address: the throttle's answer is a valid answer too
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		switch w.Code {
		case 200, 400, 403, 429:
		default:
			t.Fatalf("HTTP %d for %q: %s", w.Code, body, w.Body)
		}
		var out map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatalf("answer to %q is not JSON: %v", body, err)
		}
		if w.Code != 200 && w.Header().Get("X-Amzn-Errortype") == "" {
			t.Fatalf("error answer without x-amzn-ErrorType: %s", w.Body)
		}
		var in struct{ Code, NewPassword string }
		if json.Unmarshal([]byte(body), &in) == nil {
			for _, secret := range []string{in.Code, in.NewPassword} {
				if len(secret) > 3 && strings.Contains(w.Body.String(), secret) {
					t.Fatalf("the answer repeats a secret: %s", w.Body)
				}
			}
		}
	})
}
