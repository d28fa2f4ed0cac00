package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/sigv4"
	"github.com/gatehouse-dev/gatehouse/totp"
)

// The principal sweep (docs/security.md): one principal of every kind
// calls every served operation, with the parameters that identify a user
// or a credential left out, empty, and naming the root user's. No
// principal but root may read or change a root credential or complete a
// root-only task; no request gets a 5xx. The operation tables are
// iterated, so a new operation is swept without editing this test.

const sweepPartner = "345678901234" // (210987654321 is a GovCloud account in edge_test.go; partitions are process-wide)

// sweepPrincipal is one caller of the sweep; anonymous callers sign
// nothing.
type sweepPrincipal struct {
	name      string
	k         key
	anonymous bool
	root      bool
}

// sweepWorld is account 123456789012 with root holding two access keys
// and an MFA device, and a principal of every kind.
type sweepWorld struct {
	h          *harness
	principals []sweepPrincipal
	rootKey2   string // root's second access key, named by the sweep
	rootSerial string // root's MFA device
	// consoleNoMFA and consoleMFA are root sign-in sessions without and
	// with MFA (root has an MFA device).
	consoleNoMFA, consoleMFA key
}

// signIn signs root in, with an MFA code when code is not "".
func (w *sweepWorld) signIn(t *testing.T, code string) key {
	t.Helper()
	r := w.h.signIn(t, signInBody("root@example.com", signInPassword, "", code))
	_, k := signedIn(t, r)
	return k
}

func (w *sweepWorld) ok(t *testing.T, service string, k key, f url.Values) []byte {
	t.Helper()
	r := w.h.send(t, service, k, f)
	if r.status != 200 {
		t.Fatalf("%s: HTTP %d %s", f.Get("Action"), r.status, r.body)
	}
	return r.body
}

// enableMFA creates a virtual device with k (for userName, "" for the
// caller) and enables it with two consecutive codes.
func (w *sweepWorld) enableMFA(t *testing.T, k key, deviceName, userName string) (serial string, seed []byte) {
	t.Helper()
	body := w.ok(t, "iam", k, iamForm("CreateVirtualMFADevice", "VirtualMFADeviceName", deviceName))
	serial, seed = mfaDevice(t, body)
	at := w.h.clock().Add(time.Minute) // send moves the clock a minute on
	f := iamForm("EnableMFADevice", "SerialNumber", serial,
		"AuthenticationCode1", totp.Code(seed, at.Add(-totp.Period)), "AuthenticationCode2", totp.Code(seed, at))
	if userName != "" {
		f.Set("UserName", userName)
	}
	w.ok(t, "iam", k, f)
	return serial, seed
}

func newSweepWorld(t *testing.T) *sweepWorld {
	t.Helper()
	h := newHarness(t, nil)
	w := &sweepWorld{h: h}
	// A root sign-in before root has an MFA device: once root has one,
	// this session is a sign-in without MFA.
	h.giveRootPassword(t)
	w.consoleNoMFA = w.signIn(t, "")
	w.rootKey2 = field(t, w.ok(t, "iam", rootKey, iamForm("CreateAccessKey")), "AccessKeyId")
	var rootSeed []byte
	w.rootSerial, rootSeed = w.enableMFA(t, rootKey, "root-device", "")
	defer func() { // last: the session must outlive the setup
		w.consoleMFA = w.signIn(t, totp.Code(rootSeed, h.clock().Add(time.Minute+totp.Period)))
	}()

	admin, roleSession := principals(t, h)
	sessionOf := func(body []byte) key {
		return key{id: field(t, body, "AccessKeyId"), secret: field(t, body, "SecretAccessKey"), token: field(t, body, "SessionToken")}
	}
	noMFA := sessionOf(w.ok(t, "sts", admin, stsForm("GetSessionToken")))
	serial, seed := w.enableMFA(t, admin, "admin-device", "admin")
	withMFA := sessionOf(w.ok(t, "sts", admin, stsForm("GetSessionToken", "SerialNumber", serial,
		"TokenCode", totp.Code(seed, h.clock().Add(time.Minute+totp.Period)))))

	// A user of another account assumes an all-powerful role here.
	if _, _, err := h.svc.CreateAccount(context.Background(), iam.AccountSpec{ID: sweepPartner, Email: "partner@example.com",
		RootAccessKeyID: "AKIAPARTNERROOT00001", RootSecretAccessKey: gatehouse.Secret("partner-root-secret")}); err != nil {
		t.Fatal(err)
	}
	partnerRoot := key{id: "AKIAPARTNERROOT00001", secret: "partner-root-secret"}
	w.ok(t, "iam", partnerRoot, iamForm("CreateUser", "UserName", "partner"))
	w.ok(t, "iam", partnerRoot, iamForm("PutUserPolicy", "UserName", "partner", "PolicyName", "all", "PolicyDocument", allowAll))
	pk := w.ok(t, "iam", partnerRoot, iamForm("CreateAccessKey", "UserName", "partner"))
	partner := key{id: field(t, pk, "AccessKeyId"), secret: field(t, pk, "SecretAccessKey")}
	w.ok(t, "iam", rootKey, iamForm("CreateRole", "RoleName", "cross", "AssumeRolePolicyDocument",
		trusting("arn:aws:iam::"+sweepPartner+":user/partner")))
	w.ok(t, "iam", rootKey, iamForm("PutRolePolicy", "RoleName", "cross", "PolicyName", "all", "PolicyDocument", allowAll))
	cross := sessionOf(w.ok(t, "sts", partner, stsForm("AssumeRole", "RoleArn", "arn:aws:iam::"+accountID+":role/cross",
		"RoleSessionName", "partner")))

	w.principals = []sweepPrincipal{
		{name: "IAMUser", k: admin},
		{name: "RoleSession", k: roleSession},
		{name: "CrossAccountSession", k: cross},
		{name: "UserSessionNoMFA", k: noMFA},
		{name: "UserSessionMFA", k: withMFA},
		{name: "Anonymous", anonymous: true},
		{name: "Root", k: rootKey, root: true}, // last: root may change anything
	}
	return w
}

// rootState is everything about the root user's credentials and the
// account's root-only settings that a non-root request must never change.
func (w *sweepWorld) rootState(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	err := w.h.srv.Store.View(context.Background(), func(tx gatehouse.Tx) error {
		a, err := tx.Account(accountID)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "email=%s password=%s closed=%v billing=%v pending=%v model=%s\n", a.Email, a.RootPasswordHash,
			a.ClosedAt, a.IAMBillingAccess, a.PendingEmail != nil, a.BillingPermissions)
		keys, err := tx.AccessKeys(accountID, "")
		if err != nil {
			return err
		}
		for _, k := range keys {
			fmt.Fprintf(&b, "key %s %s\n", k.ID, k.Status)
		}
		devices, err := tx.MFADevices(accountID)
		if err != nil {
			return err
		}
		for _, d := range devices {
			if d.UserName == gatehouse.RootUserName {
				fmt.Fprintf(&b, "mfa %s %v\n", d.SerialNumber, d.EnabledAt)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// sweepRequest is one request of the sweep.
type sweepRequest struct {
	service, op, variant string
	form                 url.Values // Query services
	body                 string     // JSON services
}

// sweepRequests builds, for every operation of every served service, the
// requests with the identifying parameters left out, empty and naming
// root's user, key and device.
func (w *sweepWorld) sweepRequests() []sweepRequest {
	var out []sweepRequest
	variants := []struct {
		name string
		kv   []string
	}{
		{"omitted", nil},
		{"empty", []string{"UserName", "", "AccessKeyId", "", "SerialNumber", ""}},
		{"rootInternal", []string{"UserName", gatehouse.RootUserName, "AccessKeyId", w.rootKey2, "SerialNumber", w.rootSerial}},
		{"rootWord", []string{"UserName", "root", "AccessKeyId", w.rootKey2, "SerialNumber", w.rootSerial}},
		{"rootOnlyKeyAndSerial", []string{"AccessKeyId", w.rootKey2, "SerialNumber", w.rootSerial}},
	}
	for _, svc := range []struct{ name, version string }{{"iam", "2010-05-08"}, {"sts", "2011-06-15"}} {
		for _, op := range api.OperationNames(svc.name) {
			for _, v := range variants {
				// Status lets UpdateAccessKey and the like get past
				// their own validation.
				kv := append([]string{"Status", "Inactive"}, v.kv...)
				out = append(out, sweepRequest{service: svc.name, op: op, variant: v.name, form: form(op, svc.version, kv...)})
			}
		}
	}
	bodies := map[string]string{}
	for _, r := range rootOnlyOps {
		bodies[r.op] = r.body
	}
	for _, s := range jsonServices {
		for _, op := range api.OperationNames(s.name) {
			out = append(out, sweepRequest{service: s.name, op: op, variant: "omitted", body: `{}`})
			if b, ok := bodies[op]; ok && s.name == "gatehouse" {
				out = append(out, sweepRequest{service: s.name, op: op, variant: "valid", body: b})
			}
		}
	}
	return out
}

// send sends r as p.
func (w *sweepWorld) send(t *testing.T, p sweepPrincipal, r sweepRequest) response {
	t.Helper()
	// The clock stands still: the sessions must not expire mid-sweep.
	var req *http.Request
	var body []byte
	var err error
	if r.form != nil {
		body = []byte(r.form.Encode())
		req, err = http.NewRequest("POST", w.h.url+"/", bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		}
	} else {
		body = []byte(r.body)
		path, contentType, target := jsonRequestShape(r.service, r.op)
		req, err = http.NewRequest("POST", w.h.url+path, bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", contentType)
			if target != "" {
				req.Header.Set("X-Amz-Target", target)
			}
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	if !p.anonymous {
		s := sigv4.Signer{AccessKeyID: p.k.id, SecretAccessKey: p.k.secret, SessionToken: p.k.token, Region: "us-east-1", Service: r.service, Now: w.h.clock}
		if err := s.Sign(req, body); err != nil {
			t.Fatal(err)
		}
	}
	return w.h.do(t, req)
}

// jsonRequestShape returns how a JSON service's request names op.
func jsonRequestShape(service, op string) (path, contentType, target string) {
	for _, s := range jsonServices {
		if s.name != service {
			continue
		}
		switch {
		case s.target != "":
			return "/", "application/x-amz-json-1.0", s.target + "." + op
		case s.upper:
			return "/" + op, "application/json", ""
		}
		return "/" + strings.ToLower(op[:1]) + op[1:], "application/json", ""
	}
	panic("unknown JSON service " + service)
}

// TestPrincipalSweep: see the comment at the top of this file.
func TestPrincipalSweep(t *testing.T) {
	w := newSweepWorld(t)
	requests := w.sweepRequests()
	rootOnly := map[string]bool{}
	for _, s := range []string{"iam", "sts", "account", "gatehouse", "tax", "invoicing"} {
		for _, op := range api.RootOnlyOperationNames(s) {
			rootOnly[s+":"+op] = true
		}
	}
	if len(rootOnly) == 0 {
		t.Fatal("no root-only operations: the table lost its marks")
	}
	before := w.rootState(t)
	succeeded := map[string]int{}
	for _, p := range w.principals {
		for _, r := range requests {
			resp := w.send(t, p, r)
			what := fmt.Sprintf("%s %s:%s (%s)", p.name, r.service, r.op, r.variant)
			if resp.status >= 500 {
				t.Errorf("%s: HTTP %d %s", what, resp.status, resp.body)
			}
			if p.root {
				continue
			}
			if resp.status < 300 {
				succeeded[p.name]++
			}
			if resp.status < 300 && rootOnly[r.service+":"+r.op] {
				t.Errorf("%s: a root-only task succeeded: %s", what, resp.body)
			}
			if resp.status < 300 && (bytes.Contains(resp.body, []byte(rootKeyID)) || bytes.Contains(resp.body, []byte(w.rootKey2))) {
				t.Errorf("%s: the answer names a root access key: %s", what, resp.body)
			}
			if after := w.rootState(t); after != before {
				t.Fatalf("%s changed the root user's credentials or settings:\nbefore %s\nafter  %s", what, before, after)
			}
		}
	}
	// The sweep means something only if the principals could act.
	for _, p := range w.principals {
		if !p.root && !p.anonymous && p.name != "UserSessionNoMFA" && succeeded[p.name] < 20 {
			t.Errorf("%s succeeded in only %d requests: is it set up right?", p.name, succeeded[p.name])
		}
	}
	t.Logf("%d requests per principal; successes %v", len(requests), succeeded)
}

// TestConsoleOnlySweep: every console-only root task (the operations the
// tables mark consoleOnly) refuses root's access key and a root sign-in
// without MFA while root has an MFA device, telling the caller to sign
// in, and is not refused so to a sign-in with MFA.
func TestConsoleOnlySweep(t *testing.T) {
	w := newSweepWorld(t)
	console := map[string]bool{}
	for _, s := range []string{"iam", "sts", "account", "gatehouse", "tax", "invoicing"} {
		for _, op := range api.ConsoleOnlyOperationNames(s) {
			console[s+":"+op] = true
		}
	}
	if len(console) < 9 {
		t.Fatalf("%d console-only operations: the table lost its marks", len(console))
	}
	var requests []sweepRequest
	for _, r := range w.sweepRequests() {
		if console[r.service+":"+r.op] {
			requests = append(requests, r)
		}
	}
	for _, p := range []struct {
		name      string
		k         key
		refusedBy string // the words of the console rule's refusal; "" when it lets the caller through
	}{
		{"RootAccessKey", rootKey, "a root access key cannot do it"},
		{"RootSignInNoMFA", w.consoleNoMFA, "needs a root sign-in with MFA"},
		{"RootSignInMFA", w.consoleMFA, ""}, // last: it may close the account
	} {
		ok := 0
		for _, r := range requests {
			resp := w.send(t, sweepPrincipal{name: p.name, k: p.k, root: true}, r)
			if resp.status < 300 {
				ok++
			}
			what := fmt.Sprintf("%s %s:%s (%s)", p.name, r.service, r.op, r.variant)
			refused := resp.status == 403 && bytes.Contains(resp.body, []byte("sign")) &&
				(bytes.Contains(resp.body, []byte("a root access key cannot do it")) || bytes.Contains(resp.body, []byte("needs a root sign-in with MFA")))
			switch {
			case resp.status >= 500:
				t.Errorf("%s: HTTP %d %s", what, resp.status, resp.body)
			case p.refusedBy != "" && (resp.status != 403 || !bytes.Contains(resp.body, []byte(p.refusedBy))):
				t.Errorf("%s: HTTP %d %s, want the refusal %q", what, resp.status, resp.body, p.refusedBy)
			case p.refusedBy == "" && refused:
				t.Errorf("%s: refused a sign-in with MFA: %s", what, resp.body)
			}
		}
		if p.refusedBy == "" && ok < 3 {
			t.Errorf("%s: only %d console tasks succeeded: is the session set up right?", p.name, ok)
		}
	}
}
