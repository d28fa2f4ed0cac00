package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/gatehouse-dev/gatehouse/totp"
)

// Documents of the MFA scenario; the CLI's copy is in testdata/sessions.sh.
const (
	// docMFAUser lets a user assume roles and manage its own virtual MFA
	// device, and nothing else.
	docMFAUser = `{"Version":"2012-10-17","Statement":[` +
		`{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"},` +
		`{"Effect":"Allow","Action":"iam:*MFA*","Resource":["arn:aws:iam::` + accountID + `:mfa/${aws:username}","arn:aws:iam::` + accountID + `:user/${aws:username}"]},` +
		`{"Effect":"Allow","Action":"iam:CreateVirtualMFADevice","Resource":"arn:aws:iam::` + accountID + `:mfa/*"}]}`
	// docTrustAccountWithMFA trusts the whole account, with MFA only.
	docTrustAccountWithMFA = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + accountID + `"},` +
		`"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`

	msgReusedCode  = "MultiFactorAuthentication failed with invalid MFA one time pass code."
	msgDuration899 = "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"
)

// pngSignature starts every PNG file.
var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// roleARN is the ARN of a role at path /.
func roleARN(name string) string { return "arn:aws:iam::" + accountID + ":role/" + name }

// sessionARN is the ARN of a role session.
func sessionARN(role, session string) string {
	return "arn:aws:sts::" + accountID + ":assumed-role/" + role + "/" + session
}

// trustDenied is AWS's message for an AssumeRole the role's trust policy
// does not allow.
func trustDenied(user, role string) string {
	return "User: " + userARN(user) + " is not authorized to perform: sts:AssumeRole on resource: " + roleARN(role) +
		" because no role trust policy allows the sts:AssumeRole action"
}

// sessionNotAuthorized is AWS's implicit-deny message for a role session.
func sessionNotAuthorized(role, session, action, resource string) string {
	return "User: " + sessionARN(role, session) + " is not authorized to perform: " + action + " on resource: " + resource +
		" because no identity-based policy allows the " + action + " action"
}

// TestSessions plays MFA and temporary credentials end to end, with
// aws-sdk-go-v2 and the aws CLI v1 side by side on one server: a user
// enables a virtual MFA device with real TOTP codes, is refused a role
// whose trust policy requires MFA, gets an MFA session with a fresh code,
// assumes the role with it and acts within and outside the role's policy.
// Then the server stops and the audit trail must show every request and
// no secret.
func TestSessions(t *testing.T) {
	t.Parallel()
	srv := startServer(t, serverOptions{LogLevel: "debug"})
	secrets := &secretSet{m: map[string]string{"root secret access key": rootSecret, "root password": rootPassword}}
	calls := &callLog{}
	var cliOut string
	var sdkDone, cliDone bool

	t.Run("Scenario", func(t *testing.T) {
		t.Run("SDK", func(t *testing.T) {
			t.Parallel()
			sdkSessionScenario(t, srv, calls, secrets)
			sdkDone = true
		})
		t.Run("AWSCLIv1", func(t *testing.T) {
			t.Parallel()
			cliOut = cliSessionScenario(t, srv, secrets)
			cliDone = true
		})
	})
	// A check that failed without stopping its scenario leaves the audit
	// checks meaningful; a scenario that stopped half-way does not.
	if !sdkDone || !cliDone {
		t.FailNow()
	}
	// SIGTERM: the batched records of reads and denials are flushed.
	if err := srv.stop(t); err != nil {
		t.Fatalf("gatehouse after SIGTERM: %v", err)
	}
	all, allJSON := auditList(t, srv.DataDir)

	t.Run("Audit", func(t *testing.T) {
		bySeq := map[int64]bool{}
		byID := map[string]auditRec{}
		for _, r := range all {
			if bySeq[r.Seq] {
				t.Errorf("seq %d listed twice", r.Seq)
			}
			bySeq[r.Seq] = true
			if r.RequestID != "" {
				byID[r.RequestID] = r
			}
		}
		checkSDKAudit(t, calls, byID)
		checkCLIAudit(t, all)
		if t.Failed() {
			t.Logf("CLI output:\n%s", cliOut)
		}
	})

	t.Run("RootOnly", func(t *testing.T) {
		roots, _ := auditList(t, srv.DataDir, "--root-only")
		var want, got []int64
		for _, r := range all {
			if r.Root {
				want = append(want, r.Seq)
			}
		}
		for _, r := range roots {
			got = append(got, r.Seq)
			if !r.Root || r.PrincipalType != "Root" || r.PrincipalARN != "arn:aws:iam::"+accountID+":root" {
				t.Errorf("--root-only listed a non-root record: %+v", r)
			}
		}
		// Root made 5 SDK requests and 6 CLI requests.
		if len(want) < 11 || !slices.Equal(got, want) {
			t.Errorf("--root-only listed records %v; the root records of the full list are %v", got, want)
		}
	})

	t.Run("NoSecrets", func(t *testing.T) {
		s := secrets.all()
		// Root's 2; the SDK's dev secret, 2 for each of three sessions and
		// 4 forms of the seed; the CLI's dev secret, 2 for each of two
		// sessions and the seed's 4.
		if want := 2 + (1 + 3*2 + 4) + (1 + 2*2 + 4); len(s) < want {
			t.Fatalf("collected %d secrets, want %d: %v", len(s), want, keys(s))
		}
		// The records as printed, and their fields as decoded.
		var fields strings.Builder
		for _, r := range all {
			fmt.Fprintf(&fields, "%+v\n", r)
		}
		assertNoSecrets(t, s, map[string]string{
			"stdout": srv.stdout.String(), "stderr": srv.stderr.String(),
			"audit list --json output": allJSON, "audit record fields": fields.String(),
		}, srv.DataDir)
	})
}

// secretSet collects the secrets a scenario handled, by label.
type secretSet struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *secretSet) add(label, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if value != "" {
		s.m[label] = value
	}
}

// addCreds adds the secret (and token) of c.
func (s *secretSet) addCreds(label string, c creds) {
	s.add(label+" secret access key", c.Secret)
	s.add(label+" session token", c.Token)
}

// addSeed adds an MFA seed in every form it travels or could be kept in:
// base32 as shown to people, base64 of that as on the wire, raw, hex.
func (s *secretSet) addSeed(label, b32 string, seed []byte) {
	s.add(label+" (base32)", b32)
	s.add(label+" (base64 of base32)", base64.StdEncoding.EncodeToString([]byte(b32)))
	s.add(label+" (raw bytes)", string(seed))
	s.add(label+" (hex)", hex.EncodeToString(seed))
}

func (s *secretSet) all() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]string, len(s.m))
	for k, v := range s.m {
		out[k] = v
	}
	return out
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// sdkCall is one request an SDK client sent and the server answered.
type sdkCall struct {
	Service, Operation, RequestID, AccessKeyID string
	// Want holds audit record fields (by JSON name) the call must have
	// left, beyond its service, action and access key.
	Want map[string]any
}

// callLog records every request of the clients it made, in order.
type callLog struct {
	mu    sync.Mutex
	calls []*sdkCall
}

// last returns the most recent call; it must be of operation op.
func (l *callLog) last(t testing.TB, op string) *sdkCall {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.calls) == 0 || l.calls[len(l.calls)-1].Operation != op {
		t.Fatalf("the last call recorded is not %s", op)
	}
	return l.calls[len(l.calls)-1]
}

// expect notes audit fields the last call, of operation op, must show.
func (l *callLog) expect(t testing.TB, op string, want map[string]any) {
	t.Helper()
	l.last(t, op).Want = want
}

// record is a deserialize middleware that notes each response's request
// ID, errors included.
func (l *callLog) record(service, keyID string) func(*middleware.Stack) error {
	return func(st *middleware.Stack) error {
		return st.Deserialize.Add(middleware.DeserializeMiddlewareFunc("e2eRecordCall",
			func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleDeserialize(ctx, in)
				if resp, ok := out.RawResponse.(*smithyhttp.Response); ok {
					l.mu.Lock()
					l.calls = append(l.calls, &sdkCall{Service: service, Operation: middleware.GetOperationName(ctx),
						RequestID: resp.Header.Get("X-Amzn-Requestid"), AccessKeyID: keyID})
					l.mu.Unlock()
				}
				return out, md, err
			}), middleware.After)
	}
}

// loggedIAM and loggedSTS are clients whose calls l records.
func (s *server) loggedIAM(t testing.TB, c creds, l *callLog) *iam.Client {
	base := s.iam(t, c)
	return iam.New(base.Options(), func(o *iam.Options) { o.APIOptions = append(o.APIOptions, l.record("iam", c.ID)) })
}

func (s *server) loggedSTS(t testing.TB, c creds, l *callLog) *sts.Client {
	base := s.sts(t, c)
	return sts.New(base.Options(), func(o *sts.Options) { o.APIOptions = append(o.APIOptions, l.record("sts", c.ID)) })
}

// tempCreds converts the temporary credentials STS returned, which
// must be an ASIA key with a secret and a session token.
func tempCreds(t testing.TB, c *ststypes.Credentials) creds {
	t.Helper()
	if c == nil {
		t.Fatalf("no Credentials in the response")
	}
	out := creds{ID: aws.ToString(c.AccessKeyId), Secret: aws.ToString(c.SecretAccessKey), Token: aws.ToString(c.SessionToken)}
	if !strings.HasPrefix(out.ID, "ASIA") || out.Secret == "" || out.Token == "" {
		t.Fatalf("temporary credentials: key %q, secret set %v, token set %v; want ASIA…, a secret and a token", out.ID, out.Secret != "", out.Token != "")
	}
	return out
}

// codeAt returns the TOTP code of a time step.
func codeAt(seed []byte, step int64) string {
	return totp.Code(seed, time.Unix(step*int64(totp.Period/time.Second), 0))
}

// waitForStep sleeps until the TOTP step is at least step, plus a little
// so that the server's clock, read later, agrees.
func waitForStep(t testing.TB, step int64) {
	t.Helper()
	start := time.Unix(step*int64(totp.Period/time.Second), 0).Add(100 * time.Millisecond)
	if d := time.Until(start); d > 0 {
		if d > totp.Period+time.Second {
			t.Fatalf("would wait %s for TOTP step %d", d, step)
		}
		t.Logf("waiting %s for the next TOTP step", d.Round(time.Millisecond))
		time.Sleep(d)
	}
}

// sdkSessionScenario is steps 1-5 with aws-sdk-go-v2.
func sdkSessionScenario(t *testing.T, srv *server, calls *callLog, secrets *secretSet) {
	ctx := context.Background()
	root := srv.loggedIAM(t, rootCreds, calls)
	rootSelf := map[string]any{"principalArn": "arn:aws:iam::" + accountID + ":root", "principalType": "Root", "root": true}

	// 1. Root sets up the user and the role.
	must(root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dev")}))(t)
	calls.expect(t, "CreateUser", merge(rootSelf, map[string]any{"decision": "allowed", "errorCode": "", "resource": userARN("dev")}))
	must(root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("dev"), PolicyName: aws.String("mfa-and-roles"), PolicyDocument: aws.String(docMFAUser)}))(t)
	k := must(root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("dev")}))(t).AccessKey
	devKey := creds{ID: aws.ToString(k.AccessKeyId), Secret: aws.ToString(k.SecretAccessKey)}
	secrets.addCreds("SDK dev's", devKey)
	role := must(root.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("ops"), AssumeRolePolicyDocument: aws.String(docTrustAccountWithMFA)}))(t).Role
	calls.expect(t, "CreateRole", merge(rootSelf, map[string]any{"decision": "allowed", "errorCode": "", "resource": roleARN("ops")}))
	roleID := aws.ToString(role.RoleId)
	if !strings.HasPrefix(roleID, "AROA") {
		t.Errorf("RoleId %q, want AROA…", roleID)
	}
	must(root.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("ops"), PolicyArn: aws.String(iamReadOnly)}))(t)

	devIAM := srv.loggedIAM(t, devKey, calls)
	devSTS := srv.loggedSTS(t, devKey, calls)
	devSelf := map[string]any{"principalArn": userARN("dev"), "principalType": "IAMUser", "root": false, "accountId": accountID}

	// 2. dev creates a virtual MFA device and enables it with real codes.
	serial := "arn:aws:iam::" + accountID + ":mfa/dev"
	dev := must(devIAM.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("dev")}))(t).VirtualMFADevice
	calls.expect(t, "CreateVirtualMFADevice", merge(devSelf, map[string]any{"decision": "allowed", "errorCode": "", "resource": serial}))
	if got := aws.ToString(dev.SerialNumber); got != serial {
		t.Fatalf("SerialNumber %s, want %s", got, serial)
	}
	// The SDK has base64-decoded the blobs: the seed is the base32 text.
	b32 := string(dev.Base32StringSeed)
	seed, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimRight(b32, "="))
	if err != nil || len(seed) < 10 {
		t.Fatalf("Base32StringSeed (%d characters) does not decode to a seed: %d bytes, %v", len(b32), len(seed), err)
	}
	secrets.addSeed("SDK dev's TOTP seed", b32, seed)
	if !bytes.HasPrefix(dev.QRCodePNG, pngSignature) {
		t.Errorf("QRCodePNG (%d bytes) does not start with the PNG signature", len(dev.QRCodePNG))
	}
	step := totp.Step(time.Now())
	enable := func(code1, code2 string) error {
		_, err := devIAM.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("dev"), SerialNumber: aws.String(serial),
			AuthenticationCode1: aws.String(code1), AuthenticationCode2: aws.String(code2)})
		return err
	}
	wrong1, wrong2 := codeAt(seed, step+1), codeAt(seed, step) // the right codes, in the wrong order
	if wrong1 == wrong2 {
		wrong1, wrong2 = "000000", "000000"
		if wrong1 == codeAt(seed, step) {
			wrong1, wrong2 = "111111", "111111"
		}
	}
	wantErrMessage(t, enable(wrong1, wrong2), "InvalidAuthenticationCode", http.StatusForbidden, "Authentication code for device is not valid.")
	calls.expect(t, "EnableMFADevice", merge(devSelf, map[string]any{"errorCode": "InvalidAuthenticationCode"}))
	if err := enable(codeAt(seed, step), codeAt(seed, step+1)); err != nil {
		t.Fatalf("EnableMFADevice with the codes of steps %d and %d: %v", step, step+1, err)
	}
	calls.expect(t, "EnableMFADevice", merge(devSelf, map[string]any{"decision": "allowed", "errorCode": "", "resource": userARN("dev")}))
	ds := must(devIAM.ListMFADevices(ctx, &iam.ListMFADevicesInput{}))(t).MFADevices
	if len(ds) != 1 || aws.ToString(ds[0].SerialNumber) != serial || aws.ToString(ds[0].UserName) != "dev" {
		t.Errorf("ListMFADevices after enabling: %+v", ds)
	}

	// 3. Without MFA the trust policy refuses dev.
	_, err = devSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN("ops")), RoleSessionName: aws.String("no-mfa")})
	wantErrMessage(t, err, "AccessDenied", http.StatusForbidden, trustDenied("dev", "ops"))
	calls.expect(t, "AssumeRole", merge(devSelf, map[string]any{"decision": "implicitDeny", "errorCode": "AccessDenied", "resource": roleARN("ops")}))

	// An input that breaks the API's constraints is refused as invalid
	// before any authorization, whoever asks: here a caller the trust
	// policy refuses.
	t.Run("ValidationBeforeAuthorization", func(t *testing.T) {
		_, err := devSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN("ops")), RoleSessionName: aws.String("too-short"), DurationSeconds: aws.Int32(899)})
		wantErrMessage(t, err, "ValidationError", http.StatusBadRequest, msgDuration899)
	})

	// 4. An MFA session. The codes of steps up to step+1 were used to
	// enable the device: the second one is refused, and a fresh one
	// (step+2) is inside the server's one-step window from step+1 on.
	getSession := func(code string) (*sts.GetSessionTokenOutput, error) {
		return devSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String(code)})
	}
	_, err = getSession(codeAt(seed, step+1))
	wantErrMessage(t, err, "AccessDenied", http.StatusForbidden, msgReusedCode)
	calls.expect(t, "GetSessionToken", merge(devSelf, map[string]any{"errorCode": "AccessDenied"}))
	waitForStep(t, step+1)
	fresh := codeAt(seed, max(step+2, totp.Step(time.Now())))
	st := must(getSession(fresh))(t)
	calls.expect(t, "GetSessionToken", merge(devSelf, map[string]any{"errorCode": ""}))
	session := tempCreds(t, st.Credentials)
	secrets.addCreds("SDK dev's MFA session", session)
	_, err = getSession(fresh)
	wantErrMessage(t, err, "AccessDenied", http.StatusForbidden, msgReusedCode)
	calls.expect(t, "GetSessionToken", merge(devSelf, map[string]any{"errorCode": "AccessDenied"}))

	sessSTS := srv.loggedSTS(t, session, calls)
	if got := aws.ToString(must(sessSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t).Arn); got != userARN("dev") {
		t.Errorf("the MFA session's caller is %s, want dev", got)
	}
	ar := must(sessSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN("ops")), RoleSessionName: aws.String("sdk-session")}))(t)
	calls.expect(t, "AssumeRole", merge(devSelf, map[string]any{"decision": "allowed", "errorCode": "", "resource": roleARN("ops")}))
	opsKey := tempCreds(t, ar.Credentials)
	secrets.addCreds("SDK ops session", opsKey)
	opsARN := sessionARN("ops", "sdk-session")
	if got := aws.ToString(ar.AssumedRoleUser.Arn); got != opsARN {
		t.Errorf("AssumedRoleUser.Arn %s, want %s", got, opsARN)
	}
	if got := aws.ToString(ar.AssumedRoleUser.AssumedRoleId); got != roleID+":sdk-session" {
		t.Errorf("AssumedRoleId %s, want %s:sdk-session", got, roleID)
	}
	opsSelf := map[string]any{"principalArn": opsARN, "principalType": "AssumedRole", "root": false, "accountId": accountID}

	opsSTS := srv.loggedSTS(t, opsKey, calls)
	id := must(opsSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
	calls.expect(t, "GetCallerIdentity", merge(opsSelf, map[string]any{"errorCode": ""}))
	if aws.ToString(id.Arn) != opsARN || aws.ToString(id.Account) != accountID {
		t.Errorf("role session's GetCallerIdentity: Arn %s Account %s, want %s %s", aws.ToString(id.Arn), aws.ToString(id.Account), opsARN, accountID)
	}
	if uid := aws.ToString(id.UserId); !strings.HasPrefix(uid, "AROA") || uid != roleID+":sdk-session" {
		t.Errorf("role session's UserId %s, want %s:sdk-session", uid, roleID)
	}
	opsIAM := srv.loggedIAM(t, opsKey, calls)
	must(opsIAM.ListUsers(ctx, &iam.ListUsersInput{}))(t)
	calls.expect(t, "ListUsers", merge(opsSelf, map[string]any{"decision": "allowed", "errorCode": ""}))
	_, err = opsIAM.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("intruder")})
	wantErrMessage(t, err, "AccessDenied", http.StatusForbidden, sessionNotAuthorized("ops", "sdk-session", "iam:CreateUser", userARN("intruder")))
	calls.expect(t, "CreateUser", merge(opsSelf, map[string]any{"decision": "implicitDeny", "errorCode": "AccessDenied", "resource": userARN("intruder")}))

	// 5. Expiry, without waiting for it: 900 s is the shortest session.
	_, err = sessSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN("ops")), RoleSessionName: aws.String("short"), DurationSeconds: aws.Int32(899)})
	wantErrMessage(t, err, "ValidationError", http.StatusBadRequest, msgDuration899)
	calls.expect(t, "AssumeRole", merge(devSelf, map[string]any{"errorCode": "ValidationError"}))
	before := time.Now()
	short := must(sessSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN("ops")), RoleSessionName: aws.String("short"), DurationSeconds: aws.Int32(900)}))(t)
	shortKey := tempCreds(t, short.Credentials)
	secrets.addCreds("SDK short ops session", shortKey)
	exp := aws.ToTime(short.Credentials.Expiration)
	if d := exp.Sub(before); d < 895*time.Second || d > 905*time.Second {
		t.Errorf("Expiration %s is %s after the request; want 900s ± 5s", exp.Format(time.RFC3339), d)
	}
	must(srv.loggedSTS(t, shortKey, calls).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
	_, err = srv.loggedSTS(t, creds{ID: shortKey.ID, Secret: shortKey.Secret}, calls).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantErrMessage(t, err, "InvalidClientTokenId", http.StatusForbidden, msgInvalidToken)
	calls.expect(t, "GetCallerIdentity", map[string]any{"principalType": "Anonymous", "errorCode": "InvalidClientTokenId", "principalArn": ""})
	// Nor with another session's token.
	_, err = srv.loggedIAM(t, creds{ID: shortKey.ID, Secret: shortKey.Secret, Token: opsKey.Token}, calls).ListUsers(ctx, &iam.ListUsersInput{})
	wantErrMessage(t, err, "InvalidClientTokenId", http.StatusForbidden, msgInvalidToken)
	calls.expect(t, "ListUsers", map[string]any{"principalType": "Anonymous", "errorCode": "InvalidClientTokenId", "principalArn": ""})
}

// merge returns the union of maps; later ones win.
func merge(ms ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// cliSessionScenario runs testdata/sessions.sh with the aws CLI v1 and
// returns its output.
func cliSessionScenario(t *testing.T, srv *server, secrets *secretSet) string {
	cli := findAWSCLIv1(t)
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatalf("bash not found: %v", err)
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Fatalf("python3 is not on PATH (%v): %s", err, installHint)
	}
	script, err := filepath.Abs(filepath.Join("testdata", "sessions.sh"))
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	sc := scenario{name: "aws-cli-v1", argv: []string{bash, script}, awsCLI: cli, prefix: "cli", state: filepath.Join(work, "state.env")}
	out := runScenario(t, srv, sc, "run")

	state := readState(t, sc.state)
	for _, k := range []string{"DEV_SECRET", "SESSION_SECRET", "SESSION_TOKEN", "ROLE_SECRET", "ROLE_TOKEN"} {
		if state[k] == "" {
			t.Errorf("the script left no %s in its state file", k)
		}
		secrets.add("CLI "+k, state[k])
	}
	b32, err := os.ReadFile(state["SEED_FILE"])
	if err != nil {
		t.Fatalf("the CLI's seed file: %v", err)
	}
	s := strings.TrimSpace(string(b32))
	seed, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimRight(s, "="))
	if err != nil || len(seed) < 10 {
		t.Fatalf("the CLI's seed file does not hold a base32 seed: %d bytes, %v", len(seed), err)
	}
	secrets.addSeed("CLI TOTP seed", s, seed)

	for _, want := range []string{
		"ok: cli-dev identity",
		"serial: arn:aws:iam::" + accountID + ":mfa/cli-dev",
		"ok: QR code is a PNG",
		"denied: InvalidAuthenticationCode EnableMFADevice",
		"ok: MFA device enabled",
		"denied: AccessDenied AssumeRole",
		"denied: AccessDenied GetSessionToken",
		"session: ASIA",
		"assumed: " + sessionARN("cli-ops", "cli-session"),
		"caller: " + sessionARN("cli-ops", "cli-session"),
		"ok: role session UserId",
		"ok: role session lists users",
		"denied: AccessDenied CreateUser",
		"SESSIONS OK",
	} {
		if !strings.Contains(out, "\n"+want) && !strings.HasPrefix(out, want) {
			t.Errorf("the CLI scenario's output lacks %q", want)
		}
	}
	if n := strings.Count(out, "denied: AccessDenied GetSessionToken\n"); n != 2 {
		t.Errorf("the CLI scenario had %d reused codes refused, want 2", n)
	}
	if t.Failed() {
		t.Logf("output:\n%s", out)
	}
	return out
}

// findAWSCLIv1 returns an aws CLI of major version 1: the one on PATH, or
// /usr/bin/aws.
func findAWSCLIv1(t *testing.T) string {
	t.Helper()
	var seen []string
	for _, c := range []string{"aws", awsV2Path} {
		p, err := exec.LookPath(c)
		if err != nil {
			continue
		}
		major := awsCLIMajor(t, p)
		if major == "1" {
			return p
		}
		seen = append(seen, p+" is v"+major)
	}
	t.Fatalf("no aws CLI v1 found (%s): install it with `pip install awscli` or `apt-get install awscli`", strings.Join(seen, ", "))
	return ""
}

// readState reads KEY=VALUE lines.
func readState(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("scenario state: %v", err)
	}
	vars := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			vars[k] = v
		}
	}
	return vars
}

// auditRec is one record of `gatehouse audit list --json`.
type auditRec struct {
	Seq           int64     `json:"seq"`
	Time          time.Time `json:"time"`
	RequestID     string    `json:"requestId"`
	AccountID     string    `json:"accountId"`
	PrincipalARN  string    `json:"principalArn"`
	PrincipalType string    `json:"principalType"`
	Root          bool      `json:"root"`
	AccessKeyID   string    `json:"accessKeyId"`
	SignIn        bool      `json:"signIn"`
	MFA           bool      `json:"mfa"`
	Service       string    `json:"service"`
	Action        string    `json:"action"`
	Resource      string    `json:"resource"`
	Decision      string    `json:"decision"`
	ErrorCode     string    `json:"errorCode"`
	SourceIP      string    `json:"sourceIp"`
	UserAgent     string    `json:"userAgent"`
}

// field returns a record's field by its JSON name.
func (r auditRec) field(name string) any {
	switch name {
	case "requestId":
		return r.RequestID
	case "accountId":
		return r.AccountID
	case "principalArn":
		return r.PrincipalARN
	case "principalType":
		return r.PrincipalType
	case "root":
		return r.Root
	case "accessKeyId":
		return r.AccessKeyID
	case "signIn":
		return r.SignIn
	case "mfa":
		return r.MFA
	case "service":
		return r.Service
	case "action":
		return r.Action
	case "resource":
		return r.Resource
	case "decision":
		return r.Decision
	case "errorCode":
		return r.ErrorCode
	}
	return fmt.Sprintf("<no field %s>", name)
}

// auditList runs `gatehouse audit list --json --limit 0` on a data
// directory and returns the records and the raw output.
func auditList(t *testing.T, dataDir string, extra ...string) ([]auditRec, string) {
	t.Helper()
	args := append([]string{"audit", "list", "--data", dataDir, "--json", "--limit", "0"}, extra...)
	cmd := exec.Command(gatehouseBin, args...)
	cmd.Env = environ(nil)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("gatehouse %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	var recs []auditRec
	if err := json.Unmarshal(stdout.Bytes(), &recs); err != nil {
		t.Fatalf("gatehouse %s printed no JSON array: %v\n%s", strings.Join(args, " "), err, tail(stdout.String(), 2000))
	}
	return recs, stdout.String()
}

// checkSDKAudit checks that every SDK request left its record, with the
// fields the scenario noted.
func checkSDKAudit(t *testing.T, calls *callLog, byID map[string]auditRec) {
	calls.mu.Lock()
	defer calls.mu.Unlock()
	if len(calls.calls) < 20 {
		t.Errorf("only %d SDK calls recorded", len(calls.calls))
	}
	noted := 0
	for i, c := range calls.calls {
		if c.RequestID == "" {
			t.Errorf("SDK call %d (%s) got no request ID", i, c.Operation)
			continue
		}
		r, ok := byID[c.RequestID]
		if !ok {
			t.Errorf("SDK call %d (%s:%s by %s) has no audit record", i, c.Service, c.Operation, c.AccessKeyID)
			continue
		}
		if r.Service != c.Service || r.Action != c.Operation || r.AccessKeyID != c.AccessKeyID {
			t.Errorf("SDK call %d %s:%s by %s: audit record says %s:%s by %s", i, c.Service, c.Operation, c.AccessKeyID, r.Service, r.Action, r.AccessKeyID)
		}
		if !strings.Contains(r.UserAgent, "aws-sdk-go-v2") || r.SourceIP != "127.0.0.1" || r.Time.IsZero() {
			t.Errorf("SDK call %d (%s): user agent %q, source IP %q, time %s", i, c.Operation, r.UserAgent, r.SourceIP, r.Time)
		}
		if c.Want != nil {
			noted++
		}
		for k, want := range c.Want {
			if got := r.field(k); got != want {
				t.Errorf("SDK call %d (%s): audit %s = %v, want %v", i, c.Operation, k, got, want)
			}
		}
	}
	if noted < 15 {
		t.Errorf("only %d SDK calls have expectations noted", noted)
	}
}

// checkCLIAudit finds the records of the CLI scenario's key requests.
func checkCLIAudit(t *testing.T, all []auditRec) {
	devARN, opsARN := userARN("cli-dev"), sessionARN("cli-ops", "cli-session")
	type want struct {
		what                     string
		principal, action        string
		resource, decision, code string // "" resource or decision: any
		n                        int
	}
	for _, w := range []want{
		{"root's CreateRole", "arn:aws:iam::" + accountID + ":root", "CreateRole", roleARN("cli-ops"), "allowed", "", 1},
		{"CreateVirtualMFADevice", devARN, "CreateVirtualMFADevice", "arn:aws:iam::" + accountID + ":mfa/cli-dev", "allowed", "", 1},
		{"wrong EnableMFADevice", devARN, "EnableMFADevice", "", "", "InvalidAuthenticationCode", 1},
		{"EnableMFADevice", devARN, "EnableMFADevice", userARN("cli-dev"), "allowed", "", 1},
		{"denied AssumeRole", devARN, "AssumeRole", roleARN("cli-ops"), "implicitDeny", "AccessDenied", 1},
		{"reused GetSessionToken", devARN, "GetSessionToken", "", "", "AccessDenied", 2},
		{"GetSessionToken", devARN, "GetSessionToken", "", "", "", 1},
		{"AssumeRole", devARN, "AssumeRole", roleARN("cli-ops"), "allowed", "", 1},
		{"role session's GetCallerIdentity", opsARN, "GetCallerIdentity", "", "", "", 1},
		{"role session's ListUsers", opsARN, "ListUsers", "", "allowed", "", 1},
		{"role session's denied CreateUser", opsARN, "CreateUser", userARN("cli-intruder"), "implicitDeny", "AccessDenied", 1},
	} {
		var got []auditRec
		for _, r := range all {
			if r.PrincipalARN == w.principal && r.Action == w.action && r.ErrorCode == w.code &&
				(w.resource == "" || r.Resource == w.resource) && (w.decision == "" || r.Decision == w.decision) {
				got = append(got, r)
			}
		}
		if len(got) != w.n {
			t.Errorf("CLI %s: %d audit records, want %d", w.what, len(got), w.n)
			continue
		}
		for _, r := range got {
			wantType, wantRoot := "IAMUser", false
			switch w.principal {
			case opsARN:
				wantType = "AssumedRole"
			case "arn:aws:iam::" + accountID + ":root":
				wantType, wantRoot = "Root", true
			}
			if r.PrincipalType != wantType || r.Root != wantRoot || r.AccountID != accountID ||
				!strings.HasPrefix(r.UserAgent, "aws-cli/1.") || r.SourceIP != "127.0.0.1" {
				t.Errorf("CLI %s: %+v; want principal type %s, root %v, account %s, an aws-cli/1 user agent, source 127.0.0.1",
					w.what, r, wantType, wantRoot, accountID)
			}
		}
	}
}
