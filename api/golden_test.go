package api_test

import (
	"bytes"
	"context"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/awsmanaged"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/sigv4"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
	"github.com/gatehouse-dev/gatehouse/sts"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const (
	accountID  = "123456789012"
	rootKeyID  = "AKIAIOSFODNN7EXAMPLE"
	rootSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	// placeholderID replaces the random request ID in golden files.
	placeholderID = "00000000-0000-4000-8000-000000000000"
	goldenDir     = "testdata/golden"
)

// start is the server's clock at the first request; each request moves
// the clock one minute on, so that timestamps differ but stay stable.
var start = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

// key is a signing identity; token is set for temporary credentials.
type key struct{ id, secret, token string }

var rootKey = key{id: rootKeyID, secret: rootSecret}

// harness is a Gatehouse server on an in-memory store with a
// deterministic clock and random source, so that IDs, secrets and
// timestamps are the same on every run.
type harness struct {
	url string
	srv *api.Server
	svc *iam.Service
	db  *sqlite.Store // the database behind srv.Store

	mu  sync.Mutex
	now time.Time

	// rootPassword is root's password once console gave it one; console
	// and consoleAt are the root sign-in session console keeps.
	rootPassword      string
	consoleKey        key
	consoleAt         time.Time
	consoleSignedInAs string
}

func (h *harness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *harness) tick() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.now = h.now.Add(time.Minute)
}

// newHarness starts a server with the AWS managed policies and account
// 123456789012 with a root access key. configure, when not nil, can
// change the Server (add test operations) before it serves.
func newHarness(t testing.TB, configure func(*api.Server)) *harness {
	t.Helper()
	ctx := context.Background()
	h := &harness{now: start}
	db, err := sqlite.Open(ctx, ":memory:", sqlite.Options{SecretKey: bytes.Repeat([]byte{7}, 32), Now: h.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h.db = db
	st := awsmanaged.Wrap(db, nil)
	var seed [32]byte
	copy(seed[:], "gatehouse golden tests seed.....")
	h.svc = &iam.Service{Store: gatehouse.Narrow[iam.Tx](st), Now: h.clock, Rand: rand.NewChaCha8(seed)}
	seed[0]++
	stsSvc := &sts.Service{Store: gatehouse.Narrow[sts.Tx](st), Now: h.clock, Rand: rand.NewChaCha8(seed)}
	if _, _, err := h.svc.CreateAccount(ctx, iam.AccountSpec{
		ID: accountID, Email: "root@example.com", Name: "golden",
		RootAccessKeyID: rootKeyID, RootSecretAccessKey: gatehouse.Secret(rootSecret),
	}); err != nil {
		t.Fatal(err)
	}
	h.srv = &api.Server{Store: st, IAM: h.svc, STS: stsSvc, Authz: &authz.Authorizer{Store: gatehouse.Narrow[authz.Tx](st)}, Now: h.clock}
	if configure != nil {
		configure(h.srv)
	}
	// Cleanups run last first: stop serving, then write the queued audit
	// records, then close the database (a record written after the close
	// is a data race on the store).
	t.Cleanup(func() { h.srv.Close() })
	ts := httptest.NewServer(h.srv.Handler())
	t.Cleanup(ts.Close)
	h.url = ts.URL
	return h
}

// response is an HTTP response read in full.
type response struct {
	status int
	header http.Header
	body   []byte
}

// form builds a Query request body.
func form(action, version string, kv ...string) url.Values {
	v := url.Values{"Action": {action}, "Version": {version}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

func iamForm(action string, kv ...string) url.Values { return form(action, "2010-05-08", kv...) }
func stsForm(action string, kv ...string) url.Values { return form(action, "2011-06-15", kv...) }

// send POSTs a form signed by k for service ("" sends it unsigned).
func (h *harness) send(t testing.TB, service string, k key, f url.Values) response {
	t.Helper()
	h.tick()
	body := []byte(f.Encode())
	r, err := http.NewRequest("POST", h.url+"/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if service != "" {
		s := sigv4.Signer{AccessKeyID: k.id, SecretAccessKey: k.secret, SessionToken: k.token, Region: "us-west-2", Service: service, Now: h.clock}
		if err := s.Sign(r, body); err != nil {
			t.Fatal(err)
		}
	}
	return h.do(t, r)
}

func (h *harness) do(t testing.TB, r *http.Request) response {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, b}
}

var requestIDPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// normalize checks the response's request ID and content type and
// returns the body with the request ID replaced by placeholderID.
func normalize(t testing.TB, name string, r response) []byte {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "text/xml" {
		t.Errorf("%s: Content-Type = %q, want text/xml", name, ct)
	}
	id := r.header.Get("X-Amzn-Requestid")
	if !requestIDPattern.MatchString(id) {
		t.Errorf("%s: X-Amzn-Requestid = %q, want a random UUID", name, id)
		return r.body
	}
	if n := bytes.Count(r.body, []byte(id)); n != 1 {
		t.Errorf("%s: the request ID occurs %d times in the body, want once:\n%s", name, n, r.body)
	}
	return bytes.ReplaceAll(r.body, []byte(id), []byte(placeholderID))
}

// indent lays out an XML body one element per line for reading. The
// bodies Gatehouse writes have no whitespace between tags and escape '<'
// and '>' in text, so every "><" is a boundary between two tags and
// compact(indent(b)) == b.
func indent(body []byte) []byte {
	var out bytes.Buffer
	depth := 0
	parts := strings.Split(string(body), "><")
	for i, p := range parts {
		if i > 0 {
			p = "<" + p
		}
		if i < len(parts)-1 {
			p += ">"
		}
		closing := strings.HasPrefix(p, "</")
		if closing {
			depth--
		}
		out.WriteString(strings.Repeat("  ", max(depth, 0)))
		out.WriteString(p)
		out.WriteByte('\n')
		// An opening tag without its end on the same line opens a level.
		if !closing && !strings.HasPrefix(p, "<?") && !strings.HasSuffix(p, "/>") && !strings.Contains(p, "</") {
			depth++
		}
	}
	return out.Bytes()
}

var betweenTags = regexp.MustCompile(`>\s*\n\s*<`)

// compact undoes indent.
func compact(b []byte) []byte {
	return betweenTags.ReplaceAll(bytes.TrimSpace(b), []byte("><"))
}

// goldens checks responses against testdata/golden and remembers what
// it checked for the botocore pass.
type goldens struct {
	h    *harness
	jobs []parseJob
	seen map[string]bool
}

// parseJob is one golden file for testdata/botoparse.py.
type parseJob struct {
	Service   string `json:"service"`
	Operation string `json:"operation"`
	File      string `json:"file"`
	Status    int    `json:"status"`
}

// check compares r with testdata/golden/<name>.xml (rewriting it with
// -update) and its status with want. Names are "<Operation>" or
// "<Operation>_<variant>" for successes and "error_<what>" for errors.
func (g *goldens) check(t *testing.T, name, service, action string, want int, r response) response {
	t.Helper()
	if g.seen[name] {
		t.Fatalf("golden %s checked twice", name)
	}
	g.seen[name] = true
	if r.status != want {
		t.Errorf("%s: HTTP %d, want %d\n%s", name, r.status, want, r.body)
	}
	body := normalize(t, name, r)
	got := indent(body)
	if !bytes.Equal(compact(got), body) {
		t.Fatalf("%s: indent does not round-trip:\n%s", name, body)
	}
	file := filepath.Join(goldenDir, name+".xml")
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
	} else if wantBody, err := os.ReadFile(file); err != nil {
		t.Errorf("%s: %v (run go test ./api -run TestGolden -update)", name, err)
	} else if !bytes.Equal(compact(wantBody), body) {
		t.Errorf("%s: body differs from %s\n--- got:\n%s--- want:\n%s", name, file, got, wantBody)
	}
	g.jobs = append(g.jobs, parseJob{Service: service, Operation: action, File: file, Status: want})
	return r
}

// iam sends an IAM request signed by k and checks it against a golden.
func (g *goldens) iam(t *testing.T, name string, want int, k key, f url.Values) response {
	t.Helper()
	return g.check(t, name, "iam", f.Get("Action"), want, g.h.send(t, "iam", k, f))
}

// root sends an IAM request as root that must succeed, checked against
// the golden named after the action (and variant, when given).
func (g *goldens) root(t *testing.T, variant string, f url.Values) response {
	t.Helper()
	name := f.Get("Action")
	if variant != "" {
		name += "_" + variant
	}
	return g.iam(t, name, 200, rootKey, f)
}

// setup sends an IAM request as root that must succeed, without a golden.
func (g *goldens) setup(t *testing.T, f url.Values) response {
	t.Helper()
	r := g.h.send(t, "iam", rootKey, f)
	if r.status != 200 {
		t.Fatalf("%s: HTTP %d\n%s", f.Get("Action"), r.status, r.body)
	}
	return r
}

// mfaDevice returns the serial number and the TOTP seed of the device in
// a CreateVirtualMFADevice answer (its Base32StringSeed is the base64 of
// the base32 seed).
func mfaDevice(t *testing.T, body []byte) (serial string, seed []byte) {
	t.Helper()
	b32, err := base64.StdEncoding.DecodeString(field(t, body, "Base32StringSeed"))
	if err != nil {
		t.Fatalf("Base32StringSeed is not base64: %v", err)
	}
	if seed, err = base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(string(b32)); err != nil {
		t.Fatalf("Base32StringSeed %q: %v", b32, err)
	}
	return field(t, body, "SerialNumber"), seed
}

// field returns the text of the first element called name in an XML body.
func field(t *testing.T, body []byte, name string) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err != nil {
			t.Fatalf("no <%s> in %s", name, body)
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

const (
	readOnlyARN   = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
	appPolicyARN  = "arn:aws:iam::" + accountID + ":policy/app/app-bucket-read"
	aliceDocument = `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"Read","Effect":"Allow","Action":["iam:Get*","iam:List*","iam:DeleteUser","sts:AssumeRole"],"Resource":"*"},` +
		`{"Sid":"NoDelete","Effect":"Deny","Action":"iam:DeleteUser","Resource":"arn:aws:iam::123456789012:user/*"}]}`
	// appDocument has characters that URL encoding must escape: spaces,
	// '/', ':', '*', '$', '{', '+', '&' and non-ASCII.
	appDocument = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": ["s3:GetObject", "s3:ListBucket"],
    "Resource": ["arn:aws:s3:::app-bucket", "arn:aws:s3:::app-bucket/${aws:username}/*"],
    "Condition": {"StringLike": {"s3:prefix": ["a+b & c", "café/*"]}}
  }]
}`
	appDocumentV2 = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::app-bucket/*"}]}`
	roleARN       = "arn:aws:iam::" + accountID + ":role/svc/deployer"
	trustDocument = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
		`"Principal":{"AWS":"arn:aws:iam::123456789012:user/eng/alice"},"Action":["sts:AssumeRole","sts:SetSourceIdentity"]}]}`
	trustDocumentV2 = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
		`"Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["sts:AssumeRole","sts:SetSourceIdentity"],` +
		`"Condition":{"StringEquals":{"sts:ExternalId":"golden"}}}]}`
	sessionDocument = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:List*","Resource":"*"}]}`
	groupDocument   = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:GetCallerIdentity","Resource":"*"}}`
)

// TestGolden runs one scenario through every IAM and STS operation and
// compares each response with its golden file, then has botocore parse
// every golden.
func TestGolden(t *testing.T) {
	h := newHarness(t, func(s *api.Server) {
		api.AddTestOperation(s, "iam", "TestInternalError", func() (any, error) {
			return nil, fmt.Errorf("disk on fire")
		})
	})
	g := &goldens{h: h, seen: map[string]bool{}}
	if *update {
		old, _ := filepath.Glob(filepath.Join(goldenDir, "*.xml"))
		for _, f := range old {
			os.Remove(f)
		}
	}

	// Users.
	g.root(t, "", iamForm("CreateUser", "UserName", "alice", "Path", "/eng/",
		"Tags.member.1.Key", "team", "Tags.member.1.Value", "blue + grün"))
	g.setup(t, iamForm("CreateUser", "UserName", "bob"))
	g.iam(t, "error_EntityAlreadyExists", 409, rootKey, iamForm("CreateUser", "UserName", "alice"))
	g.iam(t, "error_ValidationError", 400, rootKey, iamForm("CreateUser", "Path", "/eng/"))
	g.iam(t, "error_NoSuchEntity", 404, rootKey, iamForm("GetUser", "UserName", "nobody"))
	g.root(t, "", iamForm("PutUserPermissionsBoundary", "UserName", "bob", "PermissionsBoundary", readOnlyARN))
	g.root(t, "", iamForm("TagUser", "UserName", "bob",
		"Tags.member.1.Key", "env", "Tags.member.1.Value", "dev",
		"Tags.member.2.Key", "owner", "Tags.member.2.Value", "ops"))
	g.root(t, "", iamForm("GetUser", "UserName", "bob"))
	g.root(t, "root", iamForm("GetUser"))
	g.root(t, "", iamForm("ListUsers"))
	r := g.root(t, "truncated", iamForm("ListUsers", "MaxItems", "1"))
	g.root(t, "last_page", iamForm("ListUsers", "MaxItems", "1", "Marker", field(t, r.body, "Marker")))
	g.root(t, "empty", iamForm("ListUsers", "PathPrefix", "/nobody/"))
	g.root(t, "", iamForm("ListUserTags", "UserName", "bob"))
	g.root(t, "", iamForm("UntagUser", "UserName", "bob", "TagKeys.member.1", "owner"))
	g.root(t, "", iamForm("UpdateUser", "UserName", "bob", "NewPath", "/ops/"))
	g.root(t, "", iamForm("DeleteUserPermissionsBoundary", "UserName", "bob"))

	// Access keys, and what alice may do with hers.
	r = g.root(t, "", iamForm("CreateAccessKey", "UserName", "alice"))
	alice := key{id: field(t, r.body, "AccessKeyId"), secret: field(t, r.body, "SecretAccessKey")}
	g.iam(t, "error_AccessDenied", 403, alice, iamForm("GetUser", "UserName", "bob"))
	g.root(t, "", iamForm("PutUserPolicy", "UserName", "alice", "PolicyName", "self-service", "PolicyDocument", aliceDocument))
	g.iam(t, "error_AccessDenied_explicit", 403, alice, iamForm("DeleteUser", "UserName", "bob"))
	g.check(t, "GetCallerIdentity_user", "sts", "GetCallerIdentity", 200, h.send(t, "sts", alice, stsForm("GetCallerIdentity")))
	g.check(t, "GetCallerIdentity", "sts", "GetCallerIdentity", 200, h.send(t, "sts", rootKey, stsForm("GetCallerIdentity")))
	r = g.setup(t, iamForm("CreateAccessKey", "UserName", "alice"))
	second := field(t, r.body, "AccessKeyId")
	g.iam(t, "error_LimitExceeded", 409, rootKey, iamForm("CreateAccessKey", "UserName", "alice"))
	g.root(t, "", iamForm("ListAccessKeys", "UserName", "alice"))
	g.root(t, "", iamForm("UpdateAccessKey", "UserName", "alice", "AccessKeyId", second, "Status", "Inactive"))
	g.root(t, "", iamForm("GetAccessKeyLastUsed", "AccessKeyId", alice.id))
	g.root(t, "unused", iamForm("GetAccessKeyLastUsed", "AccessKeyId", second))
	g.root(t, "", iamForm("DeleteAccessKey", "UserName", "alice", "AccessKeyId", second))

	// Inline user policies.
	g.root(t, "", iamForm("GetUserPolicy", "UserName", "alice", "PolicyName", "self-service"))
	g.setup(t, iamForm("PutUserPolicy", "UserName", "alice", "PolicyName", "temporary", "PolicyDocument", groupDocument))
	g.root(t, "", iamForm("ListUserPolicies", "UserName", "alice"))
	g.root(t, "", iamForm("DeleteUserPolicy", "UserName", "alice", "PolicyName", "temporary"))
	g.root(t, "", iamForm("SimulatePrincipalPolicy", "PolicySourceArn", "arn:aws:iam::123456789012:user/eng/alice",
		"ActionNames.member.1", "iam:GetUser", "ActionNames.member.2", "iam:DeleteUser", "ActionNames.member.3", "iam:CreateUser",
		"ResourceArns.member.1", "arn:aws:iam::123456789012:user/ops/bob"))
	g.root(t, "", iamForm("SimulateCustomPolicy", "PolicyInputList.member.1", appDocument,
		"ActionNames.member.1", "s3:ListBucket", "ResourceArns.member.1", "arn:aws:s3:::app-bucket",
		"ContextEntries.member.1.ContextKeyName", "s3:prefix", "ContextEntries.member.1.ContextKeyType", "string",
		"ContextEntries.member.1.ContextKeyValues.member.1", "a+b & c"))
	g.root(t, "", iamForm("GetContextKeysForCustomPolicy", "PolicyInputList.member.1", appDocument))
	g.root(t, "", iamForm("GetContextKeysForPrincipalPolicy", "PolicySourceArn", "arn:aws:iam::123456789012:user/eng/alice",
		"PolicyInputList.member.1", appDocument))
	g.iam(t, "error_MalformedPolicyDocument", 400, rootKey, iamForm("PutUserPolicy", "UserName", "alice",
		"PolicyName", "broken", "PolicyDocument", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}`))

	// Groups.
	g.root(t, "", iamForm("CreateGroup", "GroupName", "admins", "Path", "/staff/"))
	g.root(t, "", iamForm("AddUserToGroup", "GroupName", "admins", "UserName", "alice"))
	g.setup(t, iamForm("AddUserToGroup", "GroupName", "admins", "UserName", "bob"))
	g.root(t, "", iamForm("GetGroup", "GroupName", "admins"))
	g.root(t, "", iamForm("ListGroups"))
	g.root(t, "", iamForm("ListGroupsForUser", "UserName", "alice"))
	g.iam(t, "error_DeleteConflict", 409, rootKey, iamForm("DeleteGroup", "GroupName", "admins"))
	g.root(t, "", iamForm("PutGroupPolicy", "GroupName", "admins", "PolicyName", "whoami", "PolicyDocument", groupDocument))
	g.root(t, "", iamForm("GetGroupPolicy", "GroupName", "admins", "PolicyName", "whoami"))
	g.root(t, "", iamForm("ListGroupPolicies", "GroupName", "admins"))

	// Managed policies.
	g.root(t, "", iamForm("CreatePolicy", "PolicyName", "app-bucket-read", "Path", "/app/", "PolicyDocument", appDocument,
		"Description", "Read the app bucket", "Tags.member.1.Key", "cost-center", "Tags.member.1.Value", "42"))
	g.root(t, "", iamForm("TagPolicy", "PolicyArn", appPolicyARN, "Tags.member.1.Key", "owner", "Tags.member.1.Value", "data"))
	g.root(t, "", iamForm("GetPolicy", "PolicyArn", appPolicyARN))
	g.root(t, "", iamForm("ListPolicyTags", "PolicyArn", appPolicyARN))
	g.root(t, "", iamForm("UntagPolicy", "PolicyArn", appPolicyARN, "TagKeys.member.1", "owner"))
	g.root(t, "", iamForm("CreatePolicyVersion", "PolicyArn", appPolicyARN, "PolicyDocument", appDocumentV2, "SetAsDefault", "true"))
	g.root(t, "", iamForm("GetPolicyVersion", "PolicyArn", appPolicyARN, "VersionId", "v1"))
	g.root(t, "", iamForm("ListPolicyVersions", "PolicyArn", appPolicyARN))
	g.root(t, "", iamForm("SetDefaultPolicyVersion", "PolicyArn", appPolicyARN, "VersionId", "v1"))
	g.root(t, "", iamForm("DeletePolicyVersion", "PolicyArn", appPolicyARN, "VersionId", "v2"))
	g.root(t, "", iamForm("AttachUserPolicy", "UserName", "alice", "PolicyArn", appPolicyARN))
	g.root(t, "", iamForm("AttachGroupPolicy", "GroupName", "admins", "PolicyArn", appPolicyARN))
	g.setup(t, iamForm("AttachUserPolicy", "UserName", "alice", "PolicyArn", readOnlyARN))
	g.root(t, "", iamForm("ListPolicies", "Scope", "Local"))
	g.root(t, "aws", iamForm("ListPolicies", "Scope", "AWS", "MaxItems", "3"))
	g.root(t, "", iamForm("ListAttachedUserPolicies", "UserName", "alice"))
	g.root(t, "", iamForm("ListAttachedGroupPolicies", "GroupName", "admins"))
	g.root(t, "", iamForm("ListEntitiesForPolicy", "PolicyArn", appPolicyARN))
	g.root(t, "", iamForm("DetachUserPolicy", "UserName", "alice", "PolicyArn", appPolicyARN))
	g.root(t, "", iamForm("DetachGroupPolicy", "GroupName", "admins", "PolicyArn", appPolicyARN))
	g.root(t, "", iamForm("DeletePolicy", "PolicyArn", appPolicyARN))

	// Account.
	g.root(t, "", iamForm("CreateAccountAlias", "AccountAlias", "golden-example"))
	g.root(t, "", iamForm("ListAccountAliases"))
	g.root(t, "", iamForm("GetAccountSummary"))
	g.root(t, "", iamForm("DeleteAccountAlias", "AccountAlias", "golden-example"))
	g.root(t, "empty", iamForm("ListAccountAliases"))

	// Roles and temporary credentials.
	g.root(t, "", iamForm("CreateRole", "RoleName", "deployer", "Path", "/svc/", "AssumeRolePolicyDocument", trustDocument,
		"Description", "Deploys the app", "MaxSessionDuration", "7200",
		"Tags.member.1.Key", "team", "Tags.member.1.Value", "platform"))
	g.setup(t, iamForm("CreateRole", "RoleName", "auditor", "AssumeRolePolicyDocument", trustDocument))
	g.root(t, "", iamForm("PutRolePermissionsBoundary", "RoleName", "deployer", "PermissionsBoundary", readOnlyARN))
	g.root(t, "", iamForm("TagRole", "RoleName", "deployer", "Tags.member.1.Key", "env", "Tags.member.1.Value", "prod"))
	r = g.check(t, "AssumeRole", "sts", "AssumeRole", 200, h.send(t, "sts", alice, stsForm("AssumeRole", "RoleArn", roleARN,
		"RoleSessionName", "golden-session", "DurationSeconds", "900", "Policy", sessionDocument, "SourceIdentity", "alice")))
	role := key{id: field(t, r.body, "AccessKeyId"), secret: field(t, r.body, "SecretAccessKey"), token: field(t, r.body, "SessionToken")}
	g.check(t, "GetCallerIdentity_role", "sts", "GetCallerIdentity", 200, h.send(t, "sts", role, stsForm("GetCallerIdentity")))
	g.check(t, "GetSessionToken", "sts", "GetSessionToken", 200, h.send(t, "sts", alice, stsForm("GetSessionToken", "DurationSeconds", "900")))
	g.check(t, "GetAccessKeyInfo", "sts", "GetAccessKeyInfo", 200, h.send(t, "sts", rootKey, stsForm("GetAccessKeyInfo", "AccessKeyId", alice.id)))
	g.root(t, "", iamForm("GetRole", "RoleName", "deployer"))
	g.root(t, "", iamForm("ListRoles"))
	g.root(t, "", iamForm("ListRoleTags", "RoleName", "deployer"))
	g.root(t, "", iamForm("UntagRole", "RoleName", "deployer", "TagKeys.member.1", "env"))
	g.root(t, "", iamForm("UpdateRole", "RoleName", "deployer", "Description", "Deploys the app & more", "MaxSessionDuration", "3600"))
	g.root(t, "", iamForm("UpdateAssumeRolePolicy", "RoleName", "deployer", "PolicyDocument", trustDocumentV2))
	g.root(t, "", iamForm("AttachRolePolicy", "RoleName", "deployer", "PolicyArn", readOnlyARN))
	g.root(t, "", iamForm("ListAttachedRolePolicies", "RoleName", "deployer"))
	g.root(t, "", iamForm("DetachRolePolicy", "RoleName", "deployer", "PolicyArn", readOnlyARN))
	g.root(t, "", iamForm("PutRolePolicy", "RoleName", "deployer", "PolicyName", "whoami", "PolicyDocument", groupDocument))
	g.root(t, "", iamForm("GetRolePolicy", "RoleName", "deployer", "PolicyName", "whoami"))
	g.root(t, "", iamForm("ListRolePolicies", "RoleName", "deployer"))
	g.root(t, "", iamForm("DeleteRolePolicy", "RoleName", "deployer", "PolicyName", "whoami"))
	g.root(t, "", iamForm("DeleteRolePermissionsBoundary", "RoleName", "deployer"))
	// The role session was issued for 15 minutes, and the clock has
	// moved on one minute per request since.
	g.check(t, "error_ExpiredToken", "sts", "GetCallerIdentity", 403, h.send(t, "sts", role, stsForm("GetCallerIdentity")))
	g.iam(t, "error_ReportNotPresent", 410, rootKey, iamForm("GetCredentialReport"))
	g.root(t, "", iamForm("GenerateCredentialReport"))
	g.root(t, "complete", iamForm("GenerateCredentialReport"))
	g.root(t, "", iamForm("GetCredentialReport"))
	g.root(t, "", iamForm("GetAccountAuthorizationDetails"))
	g.root(t, "filtered", iamForm("GetAccountAuthorizationDetails", "Filter.member.1", "Role", "MaxItems", "1"))
	g.root(t, "", iamForm("DeleteRole", "RoleName", "deployer"))

	// Tearing down.
	g.root(t, "", iamForm("DeleteGroupPolicy", "GroupName", "admins", "PolicyName", "whoami"))
	g.root(t, "", iamForm("UpdateGroup", "GroupName", "admins", "NewGroupName", "operators", "NewPath", "/ops/"))
	g.root(t, "", iamForm("RemoveUserFromGroup", "GroupName", "operators", "UserName", "alice"))
	g.setup(t, iamForm("RemoveUserFromGroup", "GroupName", "operators", "UserName", "bob"))
	g.root(t, "", iamForm("DeleteGroup", "GroupName", "operators"))
	g.root(t, "", iamForm("DeleteUser", "UserName", "bob"))

	// Errors from the edge, before any operation runs, and an internal one.
	g.iam(t, "error_InvalidAction", 400, rootKey, iamForm("Foo"))
	g.check(t, "error_STS_InvalidAction", "sts", "GetSessionTokenX", 400, h.send(t, "sts", rootKey, stsForm("GetSessionTokenX")))
	g.check(t, "error_MissingAuthenticationToken", "iam", "ListUsers", 403, h.send(t, "", key{}, iamForm("ListUsers")))
	g.iam(t, "error_SignatureDoesNotMatch", 403, key{id: rootKeyID, secret: "not-the-secret"}, iamForm("ListUsers"))
	g.iam(t, "error_InvalidClientTokenId", 403, key{id: "AKIAUNKNOWNKEY000000", secret: rootSecret}, iamForm("ListUsers"))
	g.iam(t, "error_ServiceFailure", 500, rootKey, iamForm("TestInternalError"))

	mfaGoldens(t, g)
	passwordGoldens(t, g)
	rootTaskGoldens(t, g) // before accountMgmtGoldens, which checks every JSON golden is used
	invoicingGoldens(t, g)
	sellerTaxGovCloudGoldens(t, g)
	accountMgmtGoldens(t, g)

	// Every operation of every table has a golden named after it.
	for _, svc := range []string{"iam", "sts", "account", "gatehouse", "tax", "invoicing"} {
		for _, op := range api.OperationNames(svc) {
			if !g.seen[op] {
				t.Errorf("%s %s has no golden file: add a request to TestGolden and run go test ./api -run TestGolden -update", svc, op)
			}
		}
	}
	if !*update {
		files, _ := filepath.Glob(filepath.Join(goldenDir, "*.xml"))
		for _, f := range files {
			if !g.seen[strings.TrimSuffix(filepath.Base(f), ".xml")] {
				t.Errorf("%s is not checked by any request: delete it or run -update", f)
			}
		}
	}
	if t.Failed() {
		return
	}
	checkBotocore(t, g.jobs)
}

// requirePython fails the test when python3 with botocore is missing: the
// golden files are only worth something if an AWS SDK reads them.
func requirePython(t *testing.T) {
	t.Helper()
	if out, err := exec.Command("python3", "-c", "import botocore").CombinedOutput(); err != nil {
		t.Fatalf("python3 with botocore is needed to check the golden files against the AWS SDK "+
			"(apt-get install python3-botocore): %v\n%s", err, out)
	}
}

// parsed is botoparse.py's answer for one golden file.
type parsed struct {
	File     string         `json:"file"`
	Parsed   map[string]any `json:"parsed"`
	Problems []string       `json:"problems"`
	Error    string         `json:"error"`
}

// allowedProblems are model deviations AWS itself has: the root user's
// GetUser has neither Path nor UserName (brendanhay/amazonka#102 shows
// AWS's body).
var allowedProblems = map[string][]string{
	"GetUser_root": {
		"GetUserResult/User/Path: required member missing",
		"GetUserResult/User/UserName: required member missing",
	},
}

func checkBotocore(t *testing.T, jobs []parseJob) {
	requirePython(t)
	in, err := json.Marshal(jobs)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("python3", "testdata/botoparse.py", "-")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("botoparse.py: %v\n%s", err, stderr.String())
	}
	var results []parsed
	if err := json.Unmarshal(out, &results); err != nil || len(results) != len(jobs) {
		t.Fatalf("botoparse.py output: %v (%d results for %d files)\n%s", err, len(results), len(jobs), out)
	}
	for i, res := range results {
		job := jobs[i]
		name := strings.TrimSuffix(filepath.Base(job.File), ".xml")
		t.Run(name, func(t *testing.T) {
			if res.Error != "" {
				t.Fatalf("botocore cannot parse %s: %s", job.File, res.Error)
			}
			for _, p := range res.Problems {
				if !slices.Contains(allowedProblems[name], p) {
					t.Errorf("%s: %s", job.File, p)
				}
			}
			v := res.Parsed
			if got := get(v, "ResponseMetadata.RequestId"); got != placeholderID {
				t.Errorf("ResponseMetadata.RequestId = %v", got)
			}
			if job.Status >= 300 {
				checkErrorShape(t, name, job.Status, v)
				return
			}
			checks, ok := expectations[name]
			if !ok {
				// Operations without output parse to ResponseMetadata only.
				if len(v) != 1 {
					t.Errorf("no expectations for %s, which has output: %v", name, v)
				}
				return
			}
			for _, c := range checks {
				c(t, v)
			}
		})
	}
}

// errorCodes are the codes the error goldens must carry.
var errorCodes = map[string]string{
	"error_STS_InvalidAction":     "InvalidAction",
	"error_AccessDenied_explicit": "AccessDenied",
}

func checkErrorShape(t *testing.T, name string, status int, v map[string]any) {
	code := errorCodes[name]
	if code == "" {
		code = strings.TrimPrefix(name, "error_")
	}
	if got := get(v, "Error.Code"); got != code {
		t.Errorf("Error.Code = %v, want %s", got, code)
	}
	typ := "Sender"
	if status >= 500 {
		typ = "Receiver"
	}
	if got := get(v, "Error.Type"); got != typ {
		t.Errorf("Error.Type = %v, want %s", got, typ)
	}
	if msg, _ := get(v, "Error.Message").(string); msg == "" {
		t.Errorf("Error.Message is empty")
	}
	want := map[string]string{
		"error_ValidationError":       "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null",
		"error_InvalidAction":         "Could not find operation Foo for version 2010-05-08",
		"error_AccessDenied":          "User: arn:aws:iam::123456789012:user/eng/alice is not authorized to perform: iam:GetUser on resource: arn:aws:iam::123456789012:user/ops/bob because no identity-based policy allows the iam:GetUser action",
		"error_AccessDenied_explicit": "User: arn:aws:iam::123456789012:user/eng/alice is not authorized to perform: iam:DeleteUser on resource: arn:aws:iam::123456789012:user/ops/bob with an explicit deny in an identity-based policy",
		"error_ServiceFailure":        "An internal error occurred.",
	}[name]
	if want != "" && get(v, "Error.Message") != want {
		t.Errorf("Error.Message = %q\nwant            %q", get(v, "Error.Message"), want)
	}
}

// get walks a parsed response along a dotted path; list elements are
// addressed by index ("Users.0.UserName"). It returns nil for a missing
// path.
func get(v any, path string) any {
	for _, p := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			var i int
			if _, err := fmt.Sscan(p, &i); err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

type expectation func(t *testing.T, v map[string]any)

func eq(path string, want any) expectation {
	return func(t *testing.T, v map[string]any) {
		t.Helper()
		if got := get(v, path); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s = %v (%T), want %v", path, got, got, want)
		}
	}
}

func absent(path string) expectation {
	return func(t *testing.T, v map[string]any) {
		t.Helper()
		parent, last := any(v), path
		if i := strings.LastIndexByte(path, '.'); i >= 0 {
			parent, last = get(v, path[:i]), path[i+1:]
		}
		m, ok := parent.(map[string]any)
		if !ok {
			t.Errorf("%s: the parent is missing", path)
			return
		}
		if _, present := m[last]; present {
			t.Errorf("%s = %v, want it absent", path, m[last])
		}
	}
}

func matches(path, pattern string) expectation {
	re := regexp.MustCompile("^(?:" + pattern + ")$")
	return func(t *testing.T, v map[string]any) {
		t.Helper()
		if s := get(v, path); s == nil || !re.MatchString(fmt.Sprint(s)) {
			t.Errorf("%s = %v, want a match of %s", path, get(v, path), pattern)
		}
	}
}

func length(path string, n int) expectation {
	return func(t *testing.T, v map[string]any) {
		t.Helper()
		l, ok := get(v, path).([]any)
		if !ok || len(l) != n {
			t.Errorf("%s = %v, want a list of %d", path, get(v, path), n)
		}
	}
}

// timestamp checks that botocore parsed path as a timestamp (it prints
// datetimes in ISO 8601 with an offset).
func timestamp(path string) expectation {
	return func(t *testing.T, v map[string]any) {
		t.Helper()
		s, _ := get(v, path).(string)
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			t.Errorf("%s = %v, want a timestamp", path, get(v, path))
		}
	}
}

// document checks that a policy document came out of json_decode_policies
// as JSON (not a string) with the right Version.
func document(path string) expectation {
	return func(t *testing.T, v map[string]any) {
		t.Helper()
		doc, ok := get(v, path).(map[string]any)
		if !ok || doc["Version"] != "2012-10-17" || doc["Statement"] == nil {
			t.Errorf("%s = %v, want a decoded policy document", path, get(v, path))
		}
	}
}

func listPage(list string, n int, truncated bool) []expectation {
	e := []expectation{length(list, n), eq("IsTruncated", truncated)}
	if truncated {
		return append(e, func(t *testing.T, v map[string]any) {
			if s, _ := v["Marker"].(string); s == "" {
				t.Errorf("Marker = %v, want a marker", v["Marker"])
			}
		})
	}
	return append(e, absent("Marker"))
}

// expectations are the key fields an SDK user must find in each golden.
var expectations = map[string][]expectation{
	"CreateUser": {eq("User.UserName", "alice"), eq("User.Path", "/eng/"), timestamp("User.CreateDate"),
		eq("User.Tags.0.Value", "blue + grün"), absent("User.PermissionsBoundary")},
	"GetUser": {eq("User.UserName", "bob"), eq("User.Arn", "arn:aws:iam::123456789012:user/bob"), timestamp("User.CreateDate"),
		length("User.Tags", 2), eq("User.PermissionsBoundary.PermissionsBoundaryType", "Policy"),
		eq("User.PermissionsBoundary.PermissionsBoundaryArn", readOnlyARN)},
	"GetUser_root": {eq("User.UserId", accountID), eq("User.Arn", "arn:aws:iam::123456789012:root"),
		timestamp("User.CreateDate"), absent("User.UserName"), absent("User.Path")},
	"ListUsers": append(listPage("Users", 2, false), eq("Users.0.UserName", "alice"), timestamp("Users.1.CreateDate"),
		absent("Users.0.Tags"), absent("Users.1.Tags"), absent("Users.1.PermissionsBoundary")),
	"ListUsers_truncated": listPage("Users", 1, true),
	"ListUsers_last_page": append(listPage("Users", 1, false), eq("Users.0.UserName", "bob")),
	"ListUsers_empty":     listPage("Users", 0, false),
	"ListUserTags":        append(listPage("Tags", 2, false), eq("Tags.1.Key", "owner")),
	"CreateAccessKey": {eq("AccessKey.UserName", "alice"), eq("AccessKey.Status", "Active"),
		matches("AccessKey.SecretAccessKey", "[0-9a-zA-Z/+]{40}"), matches("AccessKey.AccessKeyId", "AKIA[A-Z2-7]{16}"), timestamp("AccessKey.CreateDate")},
	"GetCallerIdentity":      {eq("UserId", accountID), eq("Account", accountID), eq("Arn", "arn:aws:iam::123456789012:root")},
	"GetCallerIdentity_user": {eq("Account", accountID), eq("Arn", "arn:aws:iam::123456789012:user/eng/alice")},
	"ListAccessKeys": append(listPage("AccessKeyMetadata", 2, false), eq("AccessKeyMetadata.0.UserName", "alice"),
		timestamp("AccessKeyMetadata.0.CreateDate"), absent("AccessKeyMetadata.0.SecretAccessKey")),
	"GetAccessKeyLastUsed": {eq("UserName", "alice"), timestamp("AccessKeyLastUsed.LastUsedDate"),
		eq("AccessKeyLastUsed.ServiceName", "sts"), eq("AccessKeyLastUsed.Region", "us-west-2")},
	"GetAccessKeyLastUsed_unused": {eq("UserName", "alice"), absent("AccessKeyLastUsed.LastUsedDate"),
		eq("AccessKeyLastUsed.ServiceName", "N/A"), eq("AccessKeyLastUsed.Region", "N/A")},
	"GetUserPolicy": {eq("UserName", "alice"), eq("PolicyName", "self-service"), document("PolicyDocument"),
		eq("PolicyDocument.Statement.1.Sid", "NoDelete")},
	"ListUserPolicies":  append(listPage("PolicyNames", 2, false), eq("PolicyNames.0", "self-service")),
	"CreateGroup":       {eq("Group.GroupName", "admins"), eq("Group.Path", "/staff/"), timestamp("Group.CreateDate")},
	"GetGroup":          append(listPage("Users", 2, false), eq("Group.GroupName", "admins"), absent("Users.0.Tags")),
	"ListGroups":        append(listPage("Groups", 1, false), eq("Groups.0.Arn", "arn:aws:iam::123456789012:group/staff/admins")),
	"ListGroupsForUser": listPage("Groups", 1, false),
	"GetGroupPolicy":    {eq("GroupName", "admins"), eq("PolicyName", "whoami"), document("PolicyDocument")},
	"ListGroupPolicies": append(listPage("PolicyNames", 1, false), eq("PolicyNames.0", "whoami")),
	"CreatePolicy": {eq("Policy.PolicyName", "app-bucket-read"), eq("Policy.DefaultVersionId", "v1"),
		eq("Policy.AttachmentCount", 0), eq("Policy.IsAttachable", true), eq("Policy.Description", "Read the app bucket"),
		timestamp("Policy.CreateDate"), timestamp("Policy.UpdateDate"), length("Policy.Tags", 1)},
	"GetPolicy": {eq("Policy.Arn", appPolicyARN), eq("Policy.PermissionsBoundaryUsageCount", 0),
		eq("Policy.Description", "Read the app bucket"), length("Policy.Tags", 2)},
	"ListPolicyTags": append(listPage("Tags", 2, false), eq("Tags.1.Key", "owner")),
	"CreatePolicyVersion": {eq("PolicyVersion.VersionId", "v2"), eq("PolicyVersion.IsDefaultVersion", true),
		absent("PolicyVersion.Document"), timestamp("PolicyVersion.CreateDate")},
	"GetPolicyVersion": {eq("PolicyVersion.VersionId", "v1"), eq("PolicyVersion.IsDefaultVersion", false),
		document("PolicyVersion.Document"),
		eq("PolicyVersion.Document.Statement.0.Condition.StringLike.s3:prefix.1", "café/*"),
		eq("PolicyVersion.Document.Statement.0.Resource.1", "arn:aws:s3:::app-bucket/${aws:username}/*")},
	"ListPolicyVersions": append(listPage("Versions", 2, false), eq("Versions.0.VersionId", "v2"),
		absent("Versions.0.Document"), eq("Versions.0.IsDefaultVersion", true)),
	"ListPolicies": append(listPage("Policies", 1, false), eq("Policies.0.AttachmentCount", 2),
		absent("Policies.0.Tags"), absent("Policies.0.Description")),
	"ListPolicies_aws":          append(listPage("Policies", 3, true), eq("Policies.0.Arn", "arn:aws:iam::aws:policy/AIDevOpsAgentAccessPolicy"), eq("Policies.0.IsAttachable", true)),
	"ListAttachedUserPolicies":  append(listPage("AttachedPolicies", 2, false), eq("AttachedPolicies.0.PolicyArn", appPolicyARN)),
	"ListAttachedGroupPolicies": append(listPage("AttachedPolicies", 1, false), eq("AttachedPolicies.0.PolicyName", "app-bucket-read")),
	"ListEntitiesForPolicy": append(listPage("PolicyUsers", 1, false), length("PolicyGroups", 1), length("PolicyRoles", 0),
		eq("PolicyUsers.0.UserName", "alice"), eq("PolicyGroups.0.GroupName", "admins")),
	"GenerateCredentialReport":          {eq("State", "STARTED"), eq("Description", "No report exists. Starting a new report generation task")},
	"GenerateCredentialReport_complete": {eq("State", "COMPLETE"), absent("Description")},
	"GetCredentialReport": {eq("ReportFormat", "text/csv"), timestamp("GeneratedTime"),
		matches("Content", "(?s)^user,arn,user_creation_time,password_enabled,.*\n<root_account>,arn:aws:iam::123456789012:root,.*\nalice,arn:aws:iam::123456789012:user/eng/alice,.*")},
	"GetAccountAuthorizationDetails": {length("UserDetailList", 2), eq("UserDetailList.0.UserName", "alice"),
		eq("UserDetailList.0.UserPolicyList.0.PolicyName", "self-service"), document("UserDetailList.0.UserPolicyList.0.PolicyDocument"),
		eq("UserDetailList.0.GroupList.0", "admins"), eq("UserDetailList.0.AttachedManagedPolicies.0.PolicyArn", readOnlyARN),
		length("GroupDetailList", 1), document("GroupDetailList.0.GroupPolicyList.0.PolicyDocument"),
		length("RoleDetailList", 2), eq("RoleDetailList.1.RoleName", "deployer"), document("RoleDetailList.1.AssumeRolePolicyDocument"),
		length("RoleDetailList.1.InstanceProfileList", 0), timestamp("RoleDetailList.1.RoleLastUsed.LastUsedDate"),
		length("Policies", 1), eq("Policies.0.Arn", readOnlyARN), eq("Policies.0.AttachmentCount", 1),
		document("Policies.0.PolicyVersionList.0.Document"), eq("Policies.0.PolicyVersionList.0.IsDefaultVersion", true),
		eq("IsTruncated", false)},
	"GetAccountAuthorizationDetails_filtered": {length("UserDetailList", 0), length("GroupDetailList", 0), length("Policies", 0),
		length("RoleDetailList", 1), eq("RoleDetailList.0.RoleName", "auditor"), eq("IsTruncated", true), matches("Marker", ".+")},
	"ListAccountAliases":       append(listPage("AccountAliases", 1, false), eq("AccountAliases.0", "golden-example")),
	"ListAccountAliases_empty": listPage("AccountAliases", 0, false),
	"CreateRole": {eq("Role.RoleName", "deployer"), eq("Role.Path", "/svc/"), timestamp("Role.CreateDate"),
		eq("Role.AssumeRolePolicyDocument.Statement.0.Principal.AWS", "arn:aws:iam::123456789012:user/eng/alice"),
		eq("Role.Description", "Deploys the app"), eq("Role.MaxSessionDuration", 7200), length("Role.Tags", 1), absent("Role.RoleLastUsed")},
	"GetRole": {eq("Role.Arn", roleARN), document("Role.AssumeRolePolicyDocument"), eq("Role.PermissionsBoundary.PermissionsBoundaryArn", readOnlyARN),
		length("Role.Tags", 2), timestamp("Role.RoleLastUsed.LastUsedDate")},
	"ListRoles": append(listPage("Roles", 2, false), eq("Roles.1.RoleName", "deployer"), document("Roles.1.AssumeRolePolicyDocument"),
		absent("Roles.1.PermissionsBoundary"), absent("Roles.1.Tags"), absent("Roles.1.RoleLastUsed")),
	"ListRoleTags":             append(listPage("Tags", 2, false), eq("Tags.1.Key", "env")),
	"ListAttachedRolePolicies": append(listPage("AttachedPolicies", 1, false), eq("AttachedPolicies.0.PolicyArn", readOnlyARN)),
	"GetRolePolicy":            {eq("RoleName", "deployer"), eq("PolicyName", "whoami"), document("PolicyDocument")},
	"ListRolePolicies":         append(listPage("PolicyNames", 1, false), eq("PolicyNames.0", "whoami")),
	"UpdateRole":               {},
	"AssumeRole": {matches("Credentials.AccessKeyId", "ASIA[A-Z2-7]{16}"), matches("Credentials.SecretAccessKey", ".{40}"),
		matches("Credentials.SessionToken", ".{40,}"), timestamp("Credentials.Expiration"),
		eq("AssumedRoleUser.Arn", "arn:aws:sts::123456789012:assumed-role/deployer/golden-session"),
		matches("AssumedRoleUser.AssumedRoleId", "AROA[A-Z2-7]{17}:golden-session"), matches("PackedPolicySize", "[0-9]+"),
		eq("SourceIdentity", "alice")},
	"GetCallerIdentity_role": {eq("Account", accountID), eq("Arn", "arn:aws:sts::123456789012:assumed-role/deployer/golden-session"),
		matches("UserId", "AROA[A-Z2-7]{17}:golden-session")},
	"GetSessionToken":  {matches("Credentials.AccessKeyId", "ASIA[A-Z2-7]{16}"), timestamp("Credentials.Expiration")},
	"GetAccessKeyInfo": {eq("Account", accountID)},
	"SimulatePrincipalPolicy": append(listPage("EvaluationResults", 3, false),
		eq("EvaluationResults.0.EvalActionName", "iam:GetUser"), eq("EvaluationResults.0.EvalDecision", "allowed"),
		eq("EvaluationResults.1.EvalDecision", "explicitDeny"), eq("EvaluationResults.2.EvalDecision", "implicitDeny"),
		eq("EvaluationResults.0.EvalResourceName", "arn:aws:iam::123456789012:user/ops/bob")),
	"SimulateCustomPolicy": append(listPage("EvaluationResults", 1, false), eq("EvaluationResults.0.EvalDecision", "allowed"),
		length("EvaluationResults.0.MatchedStatements", 1)),
	"GetContextKeysForCustomPolicy":    {length("ContextKeyNames", 1), eq("ContextKeyNames.0", "s3:prefix")},
	"GetContextKeysForPrincipalPolicy": {length("ContextKeyNames", 1), eq("ContextKeyNames.0", "s3:prefix")},
	"GetAccountSummary": {eq("SummaryMap.Users", 2), eq("SummaryMap.Groups", 1), eq("SummaryMap.UsersQuota", 5000),
		eq("SummaryMap.AccountAccessKeysPresent", 1)},
}
