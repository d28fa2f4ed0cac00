package api_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/password"
	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// sendGH POSTs a REST-JSON request of the gatehouse service signed by k.
func (h *harness) sendGH(t testing.TB, op string, k key, body string) response {
	t.Helper()
	h.tick()
	r, err := httpRequest(h.url+"/"+strings.ToLower(op[:1])+op[1:], body)
	if err != nil {
		t.Fatal(err)
	}
	s := sigv4.Signer{AccessKeyID: k.id, SecretAccessKey: k.secret, SessionToken: k.token, Region: "us-east-1", Service: "gatehouse", Now: h.clock}
	if err := s.Sign(r, []byte(body)); err != nil {
		t.Fatal(err)
	}
	return h.do(t, r)
}

// console returns a root console sign-in session, the credentials the
// console-only root tasks need: it gives root the password signInPassword
// when it has none, and signs in again when the session is near its end
// or root's email or password changed (setRootPassword).
func (h *harness) console(t testing.TB) key {
	t.Helper()
	h.giveRootPassword(t)
	a := rootAccount(t, h)
	h.mu.Lock()
	fresh := h.consoleKey.id != "" && h.now.Sub(h.consoleAt) < 50*time.Minute && h.consoleSignedInAs == a.Email+"\x00"+h.rootPassword
	h.mu.Unlock()
	if fresh {
		return h.consoleKey
	}
	r := h.raw(t, "POST", "/_gatehouse/signin", "application/json", []byte(signInBody(a.Email, h.rootPassword, "", "")))
	if r.status != 200 {
		t.Fatalf("root sign-in: HTTP %d %s", r.status, r.body)
	}
	var out struct {
		Credentials struct{ AccessKeyId, SecretAccessKey, SessionToken string }
	}
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatal(err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.consoleKey = key{id: out.Credentials.AccessKeyId, secret: out.Credentials.SecretAccessKey, token: out.Credentials.SessionToken}
	h.consoleAt, h.consoleSignedInAs = h.now, a.Email+"\x00"+h.rootPassword
	return h.consoleKey
}

// giveRootPassword sets root's password to signInPassword, without a
// sign-in, when root has none.
func (h *harness) giveRootPassword(t testing.TB) {
	t.Helper()
	if rootAccount(t, h).RootPasswordHash != "" {
		return
	}
	if err := h.srv.RootTasks.ChangeRootPassword(t.Context(), accountID, "", signInPassword); err != nil {
		t.Fatal(err)
	}
	h.rootPassword = signInPassword
}

// setRootPassword changes root's password through the console and
// remembers it for the next sign-in.
func (h *harness) setRootPassword(t testing.TB, current, next string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"CurrentPassword": current, "NewPassword": next})
	h.ghOK(t, "ChangeRootPassword", h.console(t), string(body))
	h.rootPassword = next
}

// ghOK sends a gatehouse request that must succeed and decodes its result.
func (h *harness) ghOK(t testing.TB, op string, k key, body string) map[string]any {
	t.Helper()
	r := h.sendGH(t, op, k, body)
	if r.status != 200 {
		t.Fatalf("%s: HTTP %d %s", op, r.status, r.body)
	}
	var out map[string]any
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatalf("%s: %v %s", op, err, r.body)
	}
	return out
}

// ghFail sends a request that must fail with status and error type, and
// returns the message.
func ghFail(t testing.TB, r response, status int, errType string) string {
	t.Helper()
	var e struct{ Message string }
	json.Unmarshal(r.body, &e)
	if r.status != status || r.header.Get("X-Amzn-Errortype") != errType {
		t.Fatalf("HTTP %d %s %s, want %d %s", r.status, r.header.Get("X-Amzn-Errortype"), r.body, status, errType)
	}
	return e.Message
}

// principals creates an IAM admin (AdministratorAccess and an explicit
// "Action": "*" allow) and a session of an all-powerful role.
func principals(t *testing.T, h *harness) (admin, session key) {
	t.Helper()
	g := &goldens{h: h, seen: map[string]bool{}}
	g.setup(t, iamForm("CreateUser", "UserName", "admin"))
	g.setup(t, iamForm("AttachUserPolicy", "UserName", "admin", "PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"))
	g.setup(t, iamForm("PutUserPolicy", "UserName", "admin", "PolicyName", "everything", "PolicyDocument",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))
	r := g.setup(t, iamForm("CreateAccessKey", "UserName", "admin"))
	admin = key{id: field(t, r.body, "AccessKeyId"), secret: field(t, r.body, "SecretAccessKey")}
	g.setup(t, iamForm("CreateRole", "RoleName", "ops", "AssumeRolePolicyDocument",
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+accountID+`:user/admin"},"Action":"sts:AssumeRole"}}`))
	g.setup(t, iamForm("AttachRolePolicy", "RoleName", "ops", "PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"))
	g.setup(t, iamForm("PutRolePolicy", "RoleName", "ops", "PolicyName", "everything", "PolicyDocument",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))
	r = h.send(t, "sts", admin, stsForm("AssumeRole", "RoleArn", "arn:aws:iam::"+accountID+":role/ops", "RoleSessionName", "s1"))
	if r.status != 200 {
		t.Fatalf("AssumeRole: HTTP %d %s", r.status, r.body)
	}
	session = key{id: field(t, r.body, "AccessKeyId"), secret: field(t, r.body, "SecretAccessKey"), token: field(t, r.body, "SessionToken")}
	return admin, session
}

// rootOnlyOps are the root-only operations with a valid body each.
var rootOnlyOps = []struct{ op, body string }{
	{"ChangeRootPassword", `{"CurrentPassword":"","NewPassword":"a new root password"}`},
	{"StartRootEmailUpdate", `{"NewEmail":"new@example.com"}`},
	{"ConfirmRootEmailUpdate", `{"NewEmail":"new@example.com","Code":"123456"}`},
	{"CloseAccount", `{}`},
	{"ReopenAccount", `{}`},
	{"GetAccountStatus", `{}`},
	{"UpdateIAMBillingAccess", `{"IamUserAccessToBilling":"ALLOW"}`},
}

// TestRootOnlyOperations checks that an IAM admin and a role session with
// every permission are denied each root-only task with Gatehouse's
// message, and that nothing changed.
func TestRootOnlyOperations(t *testing.T) {
	h := newHarness(t, nil)
	admin, session := principals(t, h)
	for _, tc := range rootOnlyOps {
		for _, p := range []struct {
			name string
			k    key
			arn  string
		}{
			{"admin", admin, "arn:aws:iam::" + accountID + ":user/admin"},
			{"session", session, "arn:aws:sts::" + accountID + ":assumed-role/ops/s1"},
		} {
			t.Run(tc.op+"/"+p.name, func(t *testing.T) {
				msg := ghFail(t, h.sendGH(t, tc.op, p.k, tc.body), 403, "AccessDeniedException")
				want := "User: " + p.arn + " is not authorized to perform: gatehouse:" + tc.op +
					" on resource: arn:aws:iam::" + accountID + ":root because this action requires the account's root user"
				if msg != want {
					t.Errorf("message %q\nwant    %q", msg, want)
				}
			})
		}
	}
	if got := h.ghOK(t, "GetAccountStatus", rootKey, `{}`); got["AccountState"] != "ACTIVE" {
		t.Errorf("status %v after denied requests", got)
	}
	if got := h.ghOK(t, "GetIAMBillingAccess", rootKey, ``); got["IamUserAccessToBilling"] != "DENY" {
		t.Errorf("billing access %v after denied requests", got)
	}
	msgs := outbox(t, h)
	if len(msgs) != 0 {
		t.Errorf("%d outbox messages after denied requests", len(msgs))
	}
	// The denials are audited with the principal type (reads and failures
	// are written in batches: wait for them).
	denied := map[string]int{}
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var records []*gatehouse.AuditRecord
		if err := h.srv.Store.View(t.Context(), func(tx gatehouse.Tx) error {
			var err error
			records, err = tx.AuditRecords(gatehouse.AuditFilter{AccountID: accountID})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		denied = map[string]int{}
		for _, r := range records {
			if r.Service == "gatehouse" && strings.HasPrefix(r.ErrorCode, "AccessDenied") && r.Decision != "" {
				denied[r.PrincipalType]++
			}
		}
		if denied[gatehouse.PrincipalIAMUser] == len(rootOnlyOps) && denied[gatehouse.PrincipalAssumedRole] == len(rootOnlyOps) {
			break
		}
	}
	if denied[gatehouse.PrincipalIAMUser] != len(rootOnlyOps) || denied[gatehouse.PrincipalAssumedRole] != len(rootOnlyOps) {
		t.Errorf("audited denials %v, want %d per principal type", denied, len(rootOnlyOps))
	}
}

// TestIAMBillingAccess: root flips the switch; an IAM principal granted
// gatehouse:GetIAMBillingAccess may read it, one without may not.
func TestIAMBillingAccess(t *testing.T) {
	h := newHarness(t, nil)
	admin, session := principals(t, h)
	g := &goldens{h: h, seen: map[string]bool{}}
	g.setup(t, iamForm("CreateUser", "UserName", "nobody"))
	r := g.setup(t, iamForm("CreateAccessKey", "UserName", "nobody"))
	nobody := key{id: field(t, r.body, "AccessKeyId"), secret: field(t, r.body, "SecretAccessKey")}

	for _, k := range []key{rootKey, admin, session} {
		if got := h.ghOK(t, "GetIAMBillingAccess", k, `{}`); got["IamUserAccessToBilling"] != "DENY" {
			t.Errorf("%s: %v, want DENY", k.id, got)
		}
	}
	msg := ghFail(t, h.sendGH(t, "GetIAMBillingAccess", nobody, `{}`), 403, "AccessDeniedException")
	if !strings.Contains(msg, "because no identity-based policy allows the gatehouse:GetIAMBillingAccess action") {
		t.Errorf("nobody: %q", msg)
	}
	if got := h.ghOK(t, "UpdateIAMBillingAccess", h.console(t), `{"IamUserAccessToBilling":"ALLOW"}`); got["IamUserAccessToBilling"] != "ALLOW" {
		t.Errorf("update: %v", got)
	}
	if got := h.ghOK(t, "GetIAMBillingAccess", admin, `{}`); got["IamUserAccessToBilling"] != "ALLOW" {
		t.Errorf("after update: %v", got)
	}
	ghFail(t, h.sendGH(t, "UpdateIAMBillingAccess", h.console(t), `{"IamUserAccessToBilling":"MAYBE"}`), 400, "ValidationException")
	h.ghOK(t, "UpdateIAMBillingAccess", h.console(t), `{"IamUserAccessToBilling":"DENY"}`)
	if got := h.ghOK(t, "GetIAMBillingAccess", rootKey, `{}`); got["IamUserAccessToBilling"] != "DENY" {
		t.Errorf("after DENY: %v", got)
	}
}

// outbox returns the account's outbox messages.
func outbox(t testing.TB, h *harness) []*gatehouse.OutboxMessage {
	t.Helper()
	var msgs []*gatehouse.OutboxMessage
	if err := h.srv.Store.View(t.Context(), func(tx gatehouse.Tx) error {
		var err error
		msgs, err = tx.OutboxMessages(accountID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return msgs
}

func rootAccount(t testing.TB, h *harness) *gatehouse.Account {
	t.Helper()
	var a *gatehouse.Account
	if err := h.srv.Store.View(t.Context(), func(tx gatehouse.Tx) error {
		var err error
		a, err = tx.Account(accountID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return a
}

var codePattern = regexp.MustCompile(`Confirmation code: (\d{6})\n`)

// lastCode returns the confirmation code of the newest outbox message.
func lastCode(t testing.TB, h *harness, to string) string {
	t.Helper()
	msgs := outbox(t, h)
	for i := len(msgs) - 1; i >= 0; i-- {
		if m := codePattern.FindStringSubmatch(msgs[i].Body.Reveal()); m != nil && msgs[i].To == to {
			return m[1]
		}
	}
	t.Fatalf("no confirmation code for %s in the outbox", to)
	return ""
}

// TestChangeRootPassword checks the current password, stores only a
// hash that the new password matches, and sends a notice.
func TestChangeRootPassword(t *testing.T) {
	h := newHarness(t, nil)
	// Root signs in with its password (console gives it "first
	// password"), so the current password is always needed.
	if err := h.srv.RootTasks.ChangeRootPassword(t.Context(), accountID, "", "first password"); err != nil {
		t.Fatal(err)
	}
	h.rootPassword = "first password"
	root := h.console(t)
	ghFail(t, h.sendGH(t, "ChangeRootPassword", root, `{"CurrentPassword":"guess","NewPassword":"second password"}`), 403, "AccessDeniedException")
	ghFail(t, h.sendGH(t, "ChangeRootPassword", root, `{"NewPassword":"second password"}`), 403, "AccessDeniedException")
	msg := ghFail(t, h.sendGH(t, "ChangeRootPassword", root, `{"CurrentPassword":"wrong","NewPassword":"second password"}`),
		403, "AccessDeniedException")
	if msg != "The current password is incorrect." {
		t.Errorf("wrong current password: %q", msg)
	}
	ghFail(t, h.sendGH(t, "ChangeRootPassword", root, `{"CurrentPassword":"first password","NewPassword":"short"}`), 400, "ValidationException")
	// (The IAM password policy never applies to root: see TestPasswordPolicyGrants.)
	h.setRootPassword(t, "first password", "second password")

	hash := rootAccount(t, h).RootPasswordHash
	if !strings.HasPrefix(hash, "$argon2id$") || strings.Contains(hash, "second password") {
		t.Fatalf("stored %q, want an argon2id hash", hash)
	}
	for pw, want := range map[string]bool{"second password": true, "first password": false} {
		if ok, err := password.Check(hash, pw); err != nil || ok != want {
			t.Errorf("password.Check(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	var changed []*gatehouse.OutboxMessage
	for _, m := range outbox(t, h) {
		if strings.Contains(m.Subject, "password was changed") {
			changed = append(changed, m)
		}
	}
	if len(changed) != 2 || changed[1].To != "root@example.com" || strings.Contains(changed[1].Body.Reveal(), "second password") {
		t.Errorf("outbox: %+v", changed)
	}
}

// TestRootEmailUpdate: the code goes to the new address; wrong, expired
// and reused codes are refused.
func TestRootEmailUpdate(t *testing.T) {
	h := newHarness(t, nil)
	ghFail(t, h.sendGH(t, "StartRootEmailUpdate", h.console(t), `{"NewEmail":"not an address"}`), 400, "ValidationException")
	ghFail(t, h.sendGH(t, "ConfirmRootEmailUpdate", h.console(t), `{"NewEmail":"new@example.com","Code":"123456"}`), 400, "ValidationException")
	if got := h.ghOK(t, "StartRootEmailUpdate", h.console(t), `{"NewEmail":"new@example.com"}`); got["Status"] != "PENDING" {
		t.Errorf("start: %v", got)
	}
	code := lastCode(t, h, "new@example.com")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	msg := ghFail(t, h.sendGH(t, "ConfirmRootEmailUpdate", h.console(t), `{"NewEmail":"new@example.com","Code":"`+wrong+`"}`), 400, "ValidationException")
	if msg != "The confirmation code is not valid." {
		t.Errorf("wrong code: %q", msg)
	}
	ghFail(t, h.sendGH(t, "ConfirmRootEmailUpdate", h.console(t), `{"NewEmail":"other@example.com","Code":"`+code+`"}`), 400, "ValidationException")
	if got := h.ghOK(t, "ConfirmRootEmailUpdate", h.console(t), `{"NewEmail":"new@example.com","Code":"`+code+`"}`); got["Status"] != "ACCEPTED" {
		t.Errorf("confirm: %v", got)
	}
	if a := rootAccount(t, h); a.Email != "new@example.com" || a.PendingEmail != nil {
		t.Errorf("account email %q pending %v", a.Email, a.PendingEmail)
	}
	// Reused.
	ghFail(t, h.sendGH(t, "ConfirmRootEmailUpdate", h.console(t), `{"NewEmail":"new@example.com","Code":"`+code+`"}`), 400, "ValidationException")
	// Notice to the old address.
	var last *gatehouse.OutboxMessage
	for _, m := range outbox(t, h) {
		if !strings.Contains(m.Subject, "sign-in") {
			last = m // sign-in notices aside
		}
	}
	if last.To != "root@example.com" || !strings.Contains(last.Body.Reveal(), "new@example.com") {
		t.Errorf("last message %+v", last)
	}

	// Expired after 24 hours.
	h.ghOK(t, "StartRootEmailUpdate", h.console(t), `{"NewEmail":"later@example.com"}`)
	code = lastCode(t, h, "later@example.com")
	h.mu.Lock()
	h.now = h.now.Add(24 * time.Hour)
	h.mu.Unlock()
	msg = ghFail(t, h.sendGH(t, "ConfirmRootEmailUpdate", h.console(t), `{"NewEmail":"later@example.com","Code":"`+code+`"}`), 400, "ValidationException")
	if !strings.Contains(msg, "expired") {
		t.Errorf("expired code: %q", msg)
	}
	if a := rootAccount(t, h); a.Email != "new@example.com" || a.PendingEmail != nil {
		t.Errorf("after expiry: email %q pending %v", a.Email, a.PendingEmail)
	}
}

// TestClosedAccount: a closed account refuses its users' keys, role
// sessions and root's access key (but a root session's ReopenAccount and
// GetAccountStatus); reopening restores everything; after 90 days it
// cannot be reopened.
func TestClosedAccount(t *testing.T) {
	h := newHarness(t, nil)
	admin, session := principals(t, h)
	h.console(t)
	signInRoot := func() key {
		t.Helper()
		_, k := signedIn(t, h.signIn(t, signInBody("root@example.com", signInPassword, "", "")))
		return k
	}
	h.ghOK(t, "UpdateIAMBillingAccess", h.console(t), `{"IamUserAccessToBilling":"ALLOW"}`)
	closed := h.ghOK(t, "CloseAccount", h.console(t), `{}`)
	if closed["AccountState"] != "CLOSED" || closed["ClosedAt"] == nil {
		t.Fatalf("CloseAccount: %v", closed)
	}
	want := "The account " + accountID + " is closed."
	for _, k := range []key{admin, session, rootKey} {
		r := h.send(t, "iam", k, iamForm("ListUsers"))
		if r.status != 403 || !strings.Contains(string(r.body), "<Code>AccessDenied</Code>") || !strings.Contains(string(r.body), want) {
			t.Errorf("%s ListUsers on a closed account: HTTP %d %s", k.id, r.status, r.body)
		}
		if r := h.send(t, "sts", k, stsForm("GetCallerIdentity")); r.status != 403 {
			t.Errorf("%s GetCallerIdentity on a closed account: HTTP %d", k.id, r.status)
		}
		if msg := ghFail(t, h.sendJSON(t, "GetContactInformation", k, `{}`), 403, "AccessDeniedException"); msg != want {
			t.Errorf("%s account API: %q", k.id, msg)
		}
		if msg := ghFail(t, h.sendGH(t, "GetIAMBillingAccess", k, `{}`), 403, "AccessDeniedException"); msg != want {
			t.Errorf("%s GetIAMBillingAccess: %q", k.id, msg)
		}
	}
	for _, k := range []key{admin, session} {
		for _, op := range []string{"GetAccountStatus", "ReopenAccount"} {
			if msg := ghFail(t, h.sendGH(t, op, k, `{}`), 403, "AccessDeniedException"); msg != want {
				t.Errorf("%s %s: %q", k.id, op, msg)
			}
		}
	}
	for _, op := range []string{"GetAccountStatus", "ReopenAccount", "CloseAccount"} {
		if msg := ghFail(t, h.sendGH(t, op, rootKey, `{}`), 403, "AccessDeniedException"); msg != want {
			t.Errorf("root key %s: %q", op, msg)
		}
	}
	root := signInRoot()
	ghFail(t, h.sendGH(t, "CloseAccount", root, `{}`), 403, "AccessDeniedException")
	if got := h.ghOK(t, "GetAccountStatus", root, `{}`); got["AccountState"] != "CLOSED" || got["ClosedAt"] != closed["ClosedAt"] {
		t.Errorf("status: %v", got)
	}
	msgs := outbox(t, h) // password notice, sign-in, closure, sign-in
	if len(msgs) != 4 || !strings.Contains(msgs[2].Subject, "closed") {
		t.Errorf("outbox: %+v", msgs)
	}

	if got := h.ghOK(t, "ReopenAccount", root, `{}`); got["AccountState"] != "ACTIVE" {
		t.Errorf("reopen: %v", got)
	}
	// Data intact: users, policies, sessions, the billing switch.
	for _, k := range []key{admin, session, rootKey} {
		if r := h.send(t, "iam", k, iamForm("GetRolePolicy", "RoleName", "ops", "PolicyName", "everything")); r.status != 200 {
			t.Errorf("%s after reopening: HTTP %d %s", k.id, r.status, r.body)
		}
	}
	if got := h.ghOK(t, "GetIAMBillingAccess", admin, `{}`); got["IamUserAccessToBilling"] != "ALLOW" {
		t.Errorf("billing access after reopening: %v", got)
	}
	ghFail(t, h.sendGH(t, "ReopenAccount", h.console(t), `{}`), 409, "ConflictException")

	// 90 days: reopening on day 90 works, after it the account is gone.
	h.ghOK(t, "CloseAccount", h.console(t), `{}`)
	closedAt := rootAccount(t, h).ClosedAt
	h.mu.Lock()
	h.now = closedAt.Add(90*24*time.Hour - 2*time.Minute)
	h.mu.Unlock()
	h.ghOK(t, "ReopenAccount", signInRoot(), `{}`)
	h.ghOK(t, "CloseAccount", h.console(t), `{}`)
	h.mu.Lock()
	h.now = h.now.Add(90*24*time.Hour + time.Minute)
	h.mu.Unlock()
	root = signInRoot()
	msg := ghFail(t, h.sendGH(t, "ReopenAccount", root, `{}`), 409, "ConflictException")
	if !strings.Contains(msg, "more than 90 days ago, and can no longer be reopened") {
		t.Errorf("after 90 days: %q", msg)
	}
	if got := h.ghOK(t, "GetAccountStatus", root, `{}`); got["AccountState"] != "CLOSED" {
		t.Errorf("status after 90 days: %v", got)
	}
}
