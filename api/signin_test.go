package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/password"
	"github.com/gatehouse-dev/gatehouse/roottask"
	"github.com/gatehouse-dev/gatehouse/totp"
)

const signInPassword = "root sign-in password"

// signIn POSTs an unsigned sign-in request.
func (h *harness) signIn(t *testing.T, body string) response {
	t.Helper()
	h.tick()
	return h.raw(t, "POST", "/_gatehouse/signin", "application/json", []byte(body))
}

// signInBody is the JSON of a sign-in with these members ("" left out).
func signInBody(email, password, serial, code string) string {
	m := map[string]string{}
	for k, v := range map[string]string{"Email": email, "Password": password, "MFASerialNumber": serial, "MFACode": code} {
		if v != "" {
			m[k] = v
		}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

type signInResult struct {
	AccountId, RootUserArn, AccountState string
	MFAAuthenticated                     bool
	Credentials                          struct{ AccessKeyId, SecretAccessKey, SessionToken, Expiration string }
}

func signedIn(t *testing.T, r response) (signInResult, key) {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("sign-in: HTTP %d %s", r.status, r.body)
	}
	var out signInResult
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	return out, key{id: c.AccessKeyId, secret: c.SecretAccessKey, token: c.SessionToken}
}

// signInRecords returns the audit records of sign-ins, oldest first.
func signInRecords(t *testing.T, h *harness) []*gatehouse.AuditRecord {
	t.Helper()
	if err := h.srv.Close(); err != nil { // flush the queued records
		t.Fatal(err)
	}
	var out []*gatehouse.AuditRecord
	err := h.srv.Store.View(context.Background(), func(tx gatehouse.Tx) error {
		recs, err := tx.AuditRecords(gatehouse.AuditFilter{})
		for _, r := range recs {
			if r.Service == "signin" {
				out = append(out, r)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(out, func(a, b *gatehouse.AuditRecord) int { return a.Time.Compare(b.Time) })
	return out
}

// TestRootSignIn: root signs in with email and password and gets a root
// session of one hour that acts as root; wrong credentials get one
// answer; every attempt is audited and a success sends a notice.
func TestRootSignIn(t *testing.T) {
	h := newHarness(t, nil)
	// No password yet: root cannot sign in.
	msg := ghFail(t, h.signIn(t, signInBody("root@example.com", "anything at all", "", "")), 403, "AccessDeniedException")
	const wrongMsg = "Your authentication information is incorrect. Please try again."
	if msg != wrongMsg {
		t.Errorf("no password: %q", msg)
	}
	h.giveRootPassword(t)
	before := len(outbox(t, h))

	for name, body := range map[string]string{
		"wrong password": signInBody("root@example.com", "not the password", "", ""),
		"unknown email":  signInBody("nobody@example.com", signInPassword, "", ""),
	} {
		if msg := ghFail(t, h.signIn(t, body), 403, "AccessDeniedException"); msg != wrongMsg {
			t.Errorf("%s: %q", name, msg)
		}
	}
	for name, tc := range map[string]struct{ body, msg string }{
		"no email":       {signInBody("", signInPassword, "", ""), "Email is required."},
		"no password":    {signInBody("root@example.com", "", "", ""), "Password is required."},
		"unknown member": {`{"Email":"root@example.com","Password":"x","Extra":1}`, ""},
		"not JSON":       {`{"Email":`, ""},
		"code, no MFA":   {signInBody("root@example.com", signInPassword, "", "123456"), "The root user has no MFA device: sign in without MFASerialNumber and MFACode."},
	} {
		msg := ghFail(t, h.signIn(t, tc.body), 400, "ValidationException")
		if tc.msg != "" && msg != tc.msg {
			t.Errorf("%s: %q, want %q", name, msg, tc.msg)
		}
	}
	if got := len(outbox(t, h)); got != before {
		t.Errorf("%d outbox messages after failed sign-ins, want %d", got, before)
	}

	// The address is matched without regard to case.
	issued := h.clock().Add(time.Minute) // signIn ticks the clock first
	out, root := signedIn(t, h.signIn(t, signInBody("Root@Example.com", signInPassword, "", "")))
	if out.AccountId != accountID || out.RootUserArn != "arn:aws:iam::"+accountID+":root" || out.AccountState != "ACTIVE" ||
		out.MFAAuthenticated || !strings.HasPrefix(root.id, "ASIA") || root.secret == "" || root.token == "" {
		t.Fatalf("sign-in result %+v", out)
	}
	if exp, err := time.Parse(time.RFC3339, out.Credentials.Expiration); err != nil || !exp.Equal(issued.Add(time.Hour)) {
		t.Errorf("Expiration %q (%v), want one hour after %v", out.Credentials.Expiration, err, issued)
	}
	// The session is root's: it may do root-only tasks.
	if got := h.ghOK(t, "GetAccountStatus", root, `{}`); got["AccountState"] != "ACTIVE" {
		t.Errorf("GetAccountStatus with the sign-in session: %v", got)
	}
	r := h.send(t, "sts", root, stsForm("GetCallerIdentity"))
	if r.status != 200 || field(t, r.body, "Arn") != "arn:aws:iam::"+accountID+":root" {
		t.Errorf("GetCallerIdentity: HTTP %d %s", r.status, r.body)
	}

	msgs := outbox(t, h)
	if len(msgs) != before+1 {
		t.Fatalf("%d outbox messages after a sign-in, want %d", len(msgs), before+1)
	}
	notice := msgs[len(msgs)-1]
	if notice.To != "root@example.com" || !strings.Contains(notice.Subject, "sign-in") ||
		!strings.Contains(notice.Body.Reveal(), "127.0.0.1") || strings.Contains(notice.Body.Reveal(), signInPassword) {
		t.Errorf("notice %+v", notice)
	}

	recs := signInRecords(t, h)
	if len(recs) != 9 {
		t.Fatalf("%d sign-in audit records, want 9", len(recs))
	}
	for i, rec := range recs {
		if rec.Action != "ConsoleLogin" {
			t.Errorf("record %d: action %q", i, rec.Action)
		}
		for _, s := range []string{signInPassword, root.secret, root.token} {
			for _, f := range []string{rec.PrincipalARN, rec.AccessKeyID, rec.Resource, rec.UserAgent, rec.ErrorCode} {
				if strings.Contains(f, s) {
					t.Errorf("record %d holds a secret", i)
				}
			}
		}
	}
	first, last := recs[0], recs[len(recs)-1]
	if !first.Root || first.PrincipalType != gatehouse.PrincipalRoot || first.AccountID != accountID || first.ErrorCode != "AccessDenied" {
		t.Errorf("failed root sign-in record %+v", first)
	}
	if last.ErrorCode != "" || !last.Root || last.PrincipalARN != "arn:aws:iam::"+accountID+":root" {
		t.Errorf("successful sign-in record %+v", last)
	}
	var sawUnknown bool
	for _, rec := range recs {
		if rec.PrincipalType == gatehouse.PrincipalAnonymous && rec.AccountID == "" && rec.ErrorCode == "AccessDenied" {
			sawUnknown = true
		}
	}
	if !sawUnknown {
		t.Errorf("no anonymous record of the unknown address")
	}
}

// TestRootSignInMFA: root with an MFA device needs a code, which is
// single-use; the session is MFA-authenticated.
func TestRootSignInMFA(t *testing.T) {
	h := newHarness(t, nil)
	h.giveRootPassword(t)
	r := h.send(t, "iam", rootKey, iamForm("CreateVirtualMFADevice", "VirtualMFADeviceName", "root-device"))
	if r.status != 200 {
		t.Fatalf("CreateVirtualMFADevice: HTTP %d %s", r.status, r.body)
	}
	serial, seed := mfaDevice(t, r.body)
	code := func(at time.Time) string { return totp.Code(seed, at) }
	// The harness clock moves a minute per request: codes are computed
	// for the time the request will carry.
	next := func() time.Time { return h.clock().Add(time.Minute) }
	at := next()
	r = h.send(t, "iam", rootKey, iamForm("EnableMFADevice", "SerialNumber", serial,
		"AuthenticationCode1", code(at.Add(-totp.Period)), "AuthenticationCode2", code(at)))
	if r.status != 200 {
		t.Fatalf("EnableMFADevice: HTTP %d %s", r.status, r.body)
	}

	msg := ghFail(t, h.signIn(t, signInBody("root@example.com", signInPassword, "", "")), 403, "AccessDeniedException")
	if msg != "The root user has MFA: an MFA code (MFACode) is required to sign in." {
		t.Errorf("no code: %q", msg)
	}
	ghFail(t, h.signIn(t, signInBody("root@example.com", signInPassword, "", "12345")), 400, "ValidationException")
	at = next()
	wrong := strconv.Itoa((mustAtoi(t, code(at))+1)%1000000 + 1000000)[1:]
	ghFail(t, h.signIn(t, signInBody("root@example.com", signInPassword, "", wrong)), 403, "AccessDeniedException")
	ghFail(t, h.signIn(t, signInBody("root@example.com", signInPassword, "arn:aws:iam::"+accountID+":mfa/other", code(next()))), 403, "AccessDeniedException")
	// A wrong password with a right code is still refused.
	ghFail(t, h.signIn(t, signInBody("root@example.com", "wrong password", "", code(next()))), 403, "AccessDeniedException")

	at = next()
	good := code(at)
	out, root := signedIn(t, h.signIn(t, signInBody("root@example.com", signInPassword, serial, good)))
	if !out.MFAAuthenticated {
		t.Errorf("MFAAuthenticated false after a code")
	}
	// The same code again, in the same step: refused.
	h.mu.Lock()
	h.now = at.Add(-time.Minute)
	h.mu.Unlock()
	ghFail(t, h.signIn(t, signInBody("root@example.com", signInPassword, "", good)), 403, "AccessDeniedException")

	// Root's MFA session may manage root's MFA (root-only).
	r = h.send(t, "iam", root, iamForm("ListMFADevices"))
	if r.status != 200 || !strings.Contains(string(r.body), serial) {
		t.Errorf("ListMFADevices with the MFA session: HTTP %d %s", r.status, r.body)
	}
	if n := len(outbox(t, h)); n != 2 || !strings.Contains(outbox(t, h)[1].Body.Reveal(), "MFA code") {
		t.Errorf("outbox after one MFA sign-in: %d messages", n)
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRootSignInClosedAccount: root of a closed account, whose access
// keys are refused, signs in and reopens it.
func TestRootSignInClosedAccount(t *testing.T) {
	h := newHarness(t, nil)
	h.giveRootPassword(t)
	h.ghOK(t, "CloseAccount", h.console(t), `{}`)
	if r := h.send(t, "iam", rootKey, iamForm("ListUsers")); r.status != 403 {
		t.Fatalf("root key on a closed account: HTTP %d", r.status)
	}
	out, root := signedIn(t, h.signIn(t, signInBody("root@example.com", signInPassword, "", "")))
	if out.AccountState != "CLOSED" {
		t.Errorf("AccountState %q", out.AccountState)
	}
	if r := h.send(t, "iam", root, iamForm("ListUsers")); r.status != 403 {
		t.Errorf("sign-in session on a closed account, ListUsers: HTTP %d", r.status)
	}
	if got := h.ghOK(t, "ReopenAccount", root, `{}`); got["AccountState"] != "ACTIVE" {
		t.Errorf("ReopenAccount: %v", got)
	}
	if r := h.send(t, "iam", root, iamForm("ListUsers")); r.status != 200 {
		t.Errorf("ListUsers after reopening: HTTP %d %s", r.status, r.body)
	}
}

// TestRootSignInThrottle: after ten failures from one address, even the
// right password is refused until the window has passed.
func TestRootSignInThrottle(t *testing.T) {
	h := newHarness(t, nil)
	h.giveRootPassword(t)
	for range 10 {
		h.mu.Lock()
		h.now = h.now.Add(-time.Minute + time.Second) // stay inside the window
		h.mu.Unlock()
		ghFail(t, h.signIn(t, signInBody("root@example.com", "wrong password", "", "")), 403, "AccessDeniedException")
	}
	ghFail(t, h.signIn(t, signInBody("root@example.com", signInPassword, "", "")), 429, "TooManyRequestsException")
	h.mu.Lock()
	h.now = h.now.Add(5 * time.Minute)
	h.mu.Unlock()
	signedIn(t, h.signIn(t, signInBody("root@example.com", signInPassword, "", "")))
}

// TestRootSignInThrottleKeys: failures count per source address and per
// target root user; a success to another account (the attacker's own)
// resets neither the address's count nor the victim's.
func TestRootSignInThrottleKeys(t *testing.T) {
	h := newHarness(t, nil)
	h.giveRootPassword(t)
	if _, _, err := h.svc.CreateAccount(context.Background(), iam.AccountSpec{ID: "456789012345", Email: "mallory@example.com",
		RootPassword: gatehouse.Secret(signInPassword)}); err != nil {
		t.Fatal(err)
	}
	handler := h.srv.Handler()
	send := func(addr, body string) response {
		t.Helper()
		r := httptest.NewRequest("POST", "/_gatehouse/signin", strings.NewReader(body))
		r.RemoteAddr = addr + ":4321"
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		return response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
	}
	victimWrong := signInBody("root@example.com", "wrong password", "", "")
	own := signInBody("mallory@example.com", signInPassword, "", "")

	// One address: nine failures on the victim, a success on the
	// attacker's own account, one more failure: the address is spent.
	for range 9 {
		ghFail(t, send("192.0.2.1", victimWrong), 403, "AccessDeniedException")
	}
	signedIn(t, send("192.0.2.1", own))
	ghFail(t, send("192.0.2.1", victimWrong), 403, "AccessDeniedException")
	ghFail(t, send("192.0.2.1", own), 429, "TooManyRequestsException")

	// Many addresses, one victim: the victim's count is spent even for
	// a fresh address with the right password; another root user from
	// a fresh address is not affected.
	ghFail(t, send("192.0.2.2", signInBody("root@example.com", signInPassword, "", "")), 429, "TooManyRequestsException")
	signedIn(t, send("192.0.2.3", own))
	for i := range 10 {
		ghFail(t, send(fmt.Sprintf("198.51.100.%d", i), signInBody("mallory@example.com", "wrong", "", "")), 403, "AccessDeniedException")
	}
	ghFail(t, send("198.51.100.99", own), 429, "TooManyRequestsException")

	// After the window both come back.
	h.mu.Lock()
	h.now = h.now.Add(6 * time.Minute)
	h.mu.Unlock()
	signedIn(t, send("192.0.2.1", signInBody("root@example.com", signInPassword, "", "")))
	signedIn(t, send("192.0.2.1", own))
}

// FuzzSignIn sends random sign-in bodies: the answer is always a JSON
// AWS answer with a client status (or 200 for the right password), never
// a 500, and never carries the password sent.
func FuzzSignIn(f *testing.F) {
	for _, s := range []string{
		``, `{}`, `null`, `[]`, `{"Email":1}`, `{"Email":"root@example.com"}`,
		signInBody("root@example.com", signInPassword, "", ""),
		signInBody("ROOT@example.com", "wrong password", "", ""),
		signInBody("root@example.com", signInPassword, "arn:aws:iam::123456789012:mfa/x", "12345a"),
		`{"Email":"root@example.com","Password":"` + signInPassword + `"}{}`,
		`{"Email":"\u0000","Password":"\ud800"}`,
	} {
		f.Add(s)
	}
	h := newHarness(f, func(s *api.Server) {
		s.RootTasks = &roottask.Service{Store: gatehouse.Narrow[roottask.Tx](s.Store), Now: s.Now, HashParams: &password.Params{Memory: 64, Time: 1, Threads: 1}}
	})
	h.giveRootPassword(f)
	handler := h.srv.Handler()
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/_gatehouse/signin", strings.NewReader(body))
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
		var in struct{ Password string }
		if json.Unmarshal([]byte(body), &in) == nil && len(in.Password) > 3 && w.Code != 200 &&
			strings.Contains(w.Body.String(), in.Password) {
			t.Fatalf("the answer repeats the password: %s", w.Body)
		}
	})
}
