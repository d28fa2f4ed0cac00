package api_test

import (
	"bytes"
	"context"
	"encoding/base32"
	"encoding/base64"
	"encoding/xml"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/sigv4"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
	"github.com/gatehouse-dev/gatehouse/sts"
	"github.com/gatehouse-dev/gatehouse/totp"
)

const (
	mfaAccount    = "111122223333"
	mfaRootKeyID  = "AKIAMFAROOTKEY000001"
	mfaRootSecret = "mfa/root/secret/0123456789abcdefghijklmn"
)

// mfaCred signs requests; token is set for temporary credentials.
type mfaCred struct{ id, secret, token string }

var mfaRoot = mfaCred{id: mfaRootKeyID, secret: mfaRootSecret}

// mfaHarness is a server on an in-memory store whose clock moves only
// when the test moves it, so a test decides which TOTP step each
// request falls in.
type mfaHarness struct {
	t   *testing.T
	url string

	mu  sync.Mutex
	now time.Time
}

func (h *mfaHarness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *mfaHarness) advance(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.now = h.now.Add(d)
}

func newMFAHarness(t *testing.T) *mfaHarness {
	t.Helper()
	ctx := context.Background()
	// Ten seconds into a TOTP step.
	h := &mfaHarness{t: t, now: time.Date(2025, 7, 1, 9, 0, 10, 0, time.UTC)}
	st, err := sqlite.Open(ctx, sqlite.MemoryPath, sqlite.Options{SecretKey: make([]byte, 32), Now: h.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := &iam.Service{Store: gatehouse.Narrow[iam.Tx](st), Now: h.clock}
	if _, _, err := svc.CreateAccount(ctx, iam.AccountSpec{ID: mfaAccount, Email: "root@example.com", Name: "mfa",
		RootAccessKeyID: mfaRootKeyID, RootSecretAccessKey: gatehouse.Secret(mfaRootSecret)}); err != nil {
		t.Fatal(err)
	}
	srv := &api.Server{Store: st, IAM: svc, STS: &sts.Service{Store: gatehouse.Narrow[sts.Tx](st), Now: h.clock},
		Authz: &authz.Authorizer{Store: gatehouse.Narrow[authz.Tx](st), Now: h.clock}, Now: h.clock}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	h.url = ts.URL
	return h
}

// mfaResponse is a response read in full.
type mfaResponse struct {
	status int
	body   []byte
}

// send POSTs a Query request of service ("iam" or "sts") signed with c.
func (h *mfaHarness) send(service string, c mfaCred, action string, kv ...string) mfaResponse {
	h.t.Helper()
	version := "2010-05-08"
	if service == "sts" {
		version = "2011-06-15"
	}
	f := url.Values{"Action": {action}, "Version": {version}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Add(kv[i], kv[i+1])
	}
	body := []byte(f.Encode())
	r, err := http.NewRequest("POST", h.url+"/", bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	s := sigv4.Signer{AccessKeyID: c.id, SecretAccessKey: c.secret, SessionToken: c.token, Region: "us-east-1", Service: service, Now: h.clock}
	if err := s.Sign(r, body); err != nil {
		h.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return mfaResponse{resp.StatusCode, b}
}

// ok sends a request that must succeed.
func (h *mfaHarness) ok(service string, c mfaCred, action string, kv ...string) mfaResponse {
	h.t.Helper()
	r := h.send(service, c, action, kv...)
	if r.status != http.StatusOK {
		h.t.Fatalf("%s: HTTP %d\n%s", action, r.status, r.body)
	}
	return r
}

// fail sends a request that must fail with the given status and code.
func (h *mfaHarness) fail(status int, code, service string, c mfaCred, action string, kv ...string) mfaResponse {
	h.t.Helper()
	r := h.send(service, c, action, kv...)
	if r.status != status || mfaField(h.t, r.body, "Code") != code {
		h.t.Fatalf("%s: HTTP %d, want %d %s\n%s", action, r.status, status, code, r.body)
	}
	return r
}

// mfaField returns the text of the first element called name.
func mfaField(t *testing.T, body []byte, name string) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == name {
			var s string
			if err := d.DecodeElement(&s, &se); err != nil {
				t.Fatal(err)
			}
			return s
		}
	}
}

// credentials reads the Credentials of an STS response.
func credentials(t *testing.T, r mfaResponse) mfaCred {
	t.Helper()
	return mfaCred{id: mfaField(t, r.body, "AccessKeyId"), secret: mfaField(t, r.body, "SecretAccessKey"),
		token: mfaField(t, r.body, "SessionToken")}
}

// virtualDevice is a device as CreateVirtualMFADevice returned it.
type virtualDevice struct {
	serial string
	seed   []byte
}

// createDevice creates a virtual MFA device signed with c and checks the
// blobs of the response: the base32 seed and a PNG QR code.
func (h *mfaHarness) createDevice(c mfaCred, name string) virtualDevice {
	h.t.Helper()
	r := h.ok("iam", c, "CreateVirtualMFADevice", "VirtualMFADeviceName", name)
	b32, err := base64.StdEncoding.DecodeString(mfaField(h.t, r.body, "Base32StringSeed"))
	if err != nil {
		h.t.Fatalf("Base32StringSeed is not base64: %v", err)
	}
	seed, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(string(b32))
	if err != nil || len(seed) != 20 {
		h.t.Fatalf("Base32StringSeed %q: %d bytes, %v", b32, len(seed), err)
	}
	qrPNG, err := base64.StdEncoding.DecodeString(mfaField(h.t, r.body, "QRCodePNG"))
	if err != nil {
		h.t.Fatalf("QRCodePNG is not base64: %v", err)
	}
	if _, err := png.Decode(bytes.NewReader(qrPNG)); err != nil {
		h.t.Fatalf("QRCodePNG is not a PNG: %v", err)
	}
	return virtualDevice{serial: mfaField(h.t, r.body, "SerialNumber"), seed: seed}
}

// code returns the code d shows steps TOTP steps from now.
func (h *mfaHarness) code(d virtualDevice, steps int) string {
	return totp.Code(d.seed, h.clock().Add(time.Duration(steps)*totp.Period))
}

const (
	aliceARN = "arn:aws:iam::" + mfaAccount + ":user/alice"
	adminARN = "arn:aws:iam::" + mfaAccount + ":role/admin"
	// aliceMFAPolicy lets alice manage MFA devices and assume roles; its
	// iam:* also shows that no IAM policy reaches the root user's devices.
	aliceMFAPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","sts:AssumeRole"],"Resource":"*"}]}`
	// adminTrust lets alice assume admin only with MFA.
	adminTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + aliceARN + `"},` +
		`"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`
	// adminPolicy allows ListUsers to MFA sessions only, to show that a
	// session assumed with MFA carries it.
	adminPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*",` +
		`"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`
)

// TestMFASessions walks a user through MFA: enable a virtual device, be
// refused a role that requires MFA, get an MFA session with a code,
// assume the role with it, and be refused a code used before.
func TestMFASessions(t *testing.T) {
	h := newMFAHarness(t)
	h.ok("iam", mfaRoot, "CreateUser", "UserName", "alice")
	h.ok("iam", mfaRoot, "PutUserPolicy", "UserName", "alice", "PolicyName", "mfa", "PolicyDocument", aliceMFAPolicy)
	alice := mfaCred{}
	r := h.ok("iam", mfaRoot, "CreateAccessKey", "UserName", "alice")
	alice.id, alice.secret = mfaField(t, r.body, "AccessKeyId"), mfaField(t, r.body, "SecretAccessKey")
	h.ok("iam", mfaRoot, "CreateRole", "RoleName", "admin", "AssumeRolePolicyDocument", adminTrust)
	h.ok("iam", mfaRoot, "PutRolePolicy", "RoleName", "admin", "PolicyName", "list", "PolicyDocument", adminPolicy)

	// Alice creates and enables her device.
	d := h.createDevice(alice, "alice")
	if d.serial != "arn:aws:iam::"+mfaAccount+":mfa/alice" {
		t.Fatalf("SerialNumber %s", d.serial)
	}
	h.fail(403, "InvalidAuthenticationCode", "iam", alice, "EnableMFADevice", "UserName", "alice", "SerialNumber", d.serial,
		"AuthenticationCode1", h.code(d, 0), "AuthenticationCode2", h.code(d, -1))
	h.ok("iam", alice, "EnableMFADevice", "UserName", "alice", "SerialNumber", d.serial,
		"AuthenticationCode1", h.code(d, -1), "AuthenticationCode2", h.code(d, 0))
	r = h.ok("iam", alice, "ListMFADevices")
	if mfaField(t, r.body, "SerialNumber") != d.serial || mfaField(t, r.body, "UserName") != "alice" || mfaField(t, r.body, "EnableDate") == "" {
		t.Errorf("ListMFADevices:\n%s", r.body)
	}

	// Without MFA, the trust policy refuses her.
	h.fail(403, "AccessDenied", "sts", alice, "AssumeRole", "RoleArn", adminARN, "RoleSessionName", "no-mfa")

	// A wrong code, or a code without a serial number, gets no session.
	h.advance(totp.Period)
	wrong := "000000"
	if wrong == h.code(d, 0) {
		wrong = "111111"
	}
	h.fail(403, "AccessDenied", "sts", alice, "GetSessionToken", "SerialNumber", d.serial, "TokenCode", wrong)
	h.fail(403, "AccessDenied", "sts", alice, "GetSessionToken", "TokenCode", h.code(d, 0))

	// With a valid code she gets an MFA session, and with it the role.
	code := h.code(d, 0)
	r = h.ok("sts", alice, "GetSessionToken", "SerialNumber", d.serial, "TokenCode", code)
	session := credentials(t, r)
	r = h.ok("sts", session, "AssumeRole", "RoleArn", adminARN, "RoleSessionName", "with-mfa")
	admin := credentials(t, r)
	// The role session carries the MFA.
	h.ok("iam", admin, "ListUsers")

	// The code is used up, even within its time step.
	r = h.fail(403, "AccessDenied", "sts", alice, "GetSessionToken", "SerialNumber", d.serial, "TokenCode", code)
	if msg := mfaField(t, r.body, "Message"); msg != "MultiFactorAuthentication failed with invalid MFA one time pass code." {
		t.Errorf("reused code: message %q", msg)
	}
	h.fail(403, "AccessDenied", "sts", alice, "AssumeRole", "RoleArn", adminARN, "RoleSessionName", "reused",
		"SerialNumber", d.serial, "TokenCode", code)

	// AssumeRole also takes a code directly, from long-term keys...
	h.advance(totp.Period)
	r = h.ok("sts", alice, "AssumeRole", "RoleArn", adminARN, "RoleSessionName", "direct",
		"SerialNumber", d.serial, "TokenCode", h.code(d, 0))
	h.ok("iam", credentials(t, r), "ListUsers")

	// ...and from a session that had none.
	plain := credentials(t, h.ok("sts", alice, "GetSessionToken"))
	h.fail(403, "AccessDenied", "sts", plain, "AssumeRole", "RoleArn", adminARN, "RoleSessionName", "plain")
	h.advance(totp.Period)
	h.ok("sts", plain, "AssumeRole", "RoleArn", adminARN, "RoleSessionName", "plain",
		"SerialNumber", d.serial, "TokenCode", h.code(d, 0))

	// A role session has no device of its own to default to.
	r = h.fail(400, "ValidationError", "iam", admin, "ListMFADevices")
	if msg := mfaField(t, r.body, "Message"); msg != "Must specify userName when calling with non-User credentials" {
		t.Errorf("role session ListMFADevices: message %q", msg)
	}

	// The device is in use until deactivated.
	h.fail(409, "DeleteConflict", "iam", alice, "DeleteVirtualMFADevice", "SerialNumber", d.serial)
	h.ok("iam", alice, "DeactivateMFADevice", "SerialNumber", d.serial)
	h.ok("iam", alice, "DeleteVirtualMFADevice", "SerialNumber", d.serial)
	h.advance(totp.Period)
	h.fail(403, "AccessDenied", "sts", alice, "GetSessionToken", "SerialNumber", d.serial, "TokenCode", h.code(d, 0))
}

// TestMFARootDevices checks that the root user manages its own devices
// and that no IAM principal can touch them, whatever its policies.
func TestMFARootDevices(t *testing.T) {
	h := newMFAHarness(t)
	h.ok("iam", mfaRoot, "CreateUser", "UserName", "alice")
	h.ok("iam", mfaRoot, "PutUserPolicy", "UserName", "alice", "PolicyName", "mfa", "PolicyDocument", aliceMFAPolicy)
	r := h.ok("iam", mfaRoot, "CreateAccessKey", "UserName", "alice")
	alice := mfaCred{id: mfaField(t, r.body, "AccessKeyId"), secret: mfaField(t, r.body, "SecretAccessKey")}

	d := h.createDevice(mfaRoot, "root-account-mfa-device")
	// No user name stands for root.
	h.fail(400, "ValidationError", "iam", alice, "EnableMFADevice", "UserName", "<root>", "SerialNumber", d.serial,
		"AuthenticationCode1", h.code(d, -1), "AuthenticationCode2", h.code(d, 0))
	// Root enables it for itself by naming no user.
	h.ok("iam", mfaRoot, "EnableMFADevice", "SerialNumber", d.serial,
		"AuthenticationCode1", h.code(d, -1), "AuthenticationCode2", h.code(d, 0))
	r = h.ok("iam", mfaRoot, "ListMFADevices")
	if mfaField(t, r.body, "SerialNumber") != d.serial {
		t.Errorf("root's ListMFADevices:\n%s", r.body)
	}
	r = h.ok("iam", mfaRoot, "ListVirtualMFADevices", "AssignmentStatus", "Assigned")
	if mfaField(t, r.body, "Arn") != "arn:aws:iam::"+mfaAccount+":root" || mfaField(t, r.body, "UserId") != mfaAccount {
		t.Errorf("ListVirtualMFADevices shows root's device as:\n%s", r.body)
	}

	h.advance(2 * totp.Period)
	r = h.fail(403, "AccessDenied", "iam", alice, "DeactivateMFADevice", "UserName", "alice", "SerialNumber", d.serial)
	if !strings.Contains(mfaField(t, r.body, "Message"), "root user") {
		t.Errorf("message does not name the root user: %s", r.body)
	}
	h.fail(403, "AccessDenied", "iam", alice, "DeleteVirtualMFADevice", "SerialNumber", d.serial)
	h.fail(403, "AccessDenied", "iam", alice, "ResyncMFADevice", "UserName", "alice", "SerialNumber", d.serial,
		"AuthenticationCode1", h.code(d, -1), "AuthenticationCode2", h.code(d, 0))
	h.fail(403, "AccessDenied", "iam", alice, "EnableMFADevice", "UserName", "alice", "SerialNumber", d.serial,
		"AuthenticationCode1", h.code(d, -1), "AuthenticationCode2", h.code(d, 0))
	// Alice cannot use root's device for her own session either.
	h.fail(403, "AccessDenied", "sts", alice, "GetSessionToken", "SerialNumber", d.serial, "TokenCode", h.code(d, 0))

	// Root gets an MFA session with it, and manages it.
	h.ok("sts", mfaRoot, "GetSessionToken", "SerialNumber", d.serial, "TokenCode", h.code(d, 0))
	h.advance(2 * totp.Period)
	h.ok("iam", mfaRoot, "ResyncMFADevice", "SerialNumber", d.serial,
		"AuthenticationCode1", h.code(d, -1), "AuthenticationCode2", h.code(d, 0))
	h.ok("iam", mfaRoot, "DeactivateMFADevice", "SerialNumber", d.serial)
	h.ok("iam", mfaRoot, "DeleteVirtualMFADevice", "SerialNumber", d.serial)
	r = h.ok("iam", mfaRoot, "ListVirtualMFADevices")
	if mfaField(t, r.body, "SerialNumber") != "" {
		t.Errorf("device still listed:\n%s", r.body)
	}
}
