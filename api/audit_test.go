package api_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/sigv4"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
	"github.com/gatehouse-dev/gatehouse/sts"
)

const (
	audAccount    = "123456789012"
	audRootKeyID  = "AKIAAUDITROOT0000001"
	audRootSecret = "audit/root/SECRET/0123456789abcdefghijklm"
	// audWrongSecret signs requests whose signature must not match.
	audWrongSecret = "audit/WRONG/secret/0123456789abcdefghijkl"
	audUserAgent   = "audit-test/1.0"
)

// audCred is a signing identity; token is set for temporary credentials.
type audCred struct{ id, secret, token string }

// audHarness is a server on an in-memory store whose queued audit
// records wait an hour: any record found before Close was committed with
// its request's change.
type audHarness struct {
	t     *testing.T
	url   string
	srv   *api.Server
	store *sqlite.Store
	// secrets collects every secret and session token the test used.
	secrets []string
}

func newAudHarness(t *testing.T) *audHarness {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.MemoryPath, sqlite.Options{SecretKey: bytes.Repeat([]byte{9}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := &iam.Service{Store: gatehouse.Narrow[iam.Tx](st)}
	if _, _, err := svc.CreateAccount(ctx, iam.AccountSpec{ID: audAccount, Email: "root@example.com", Name: "audit",
		RootAccessKeyID: audRootKeyID, RootSecretAccessKey: gatehouse.Secret(audRootSecret)}); err != nil {
		t.Fatal(err)
	}
	srv := &api.Server{Store: st, IAM: svc, STS: &sts.Service{Store: gatehouse.Narrow[sts.Tx](st)}, Authz: &authz.Authorizer{Store: gatehouse.Narrow[authz.Tx](st)}}
	api.SetAuditFlushInterval(srv, time.Hour)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	t.Cleanup(func() { srv.Close() })
	return &audHarness{t: t, url: ts.URL, srv: srv, store: st, secrets: []string{audRootSecret, audWrongSecret}}
}

// audResponse is what a request returned.
type audResponse struct {
	status    int
	requestID string
	body      []byte
}

// send POSTs an iam or sts Query request signed with c (unsigned when c
// is the zero value) and returns its request ID.
func (h *audHarness) send(service string, c audCred, action string, kv ...string) audResponse {
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
	r.Header.Set("User-Agent", audUserAgent)
	if c.id != "" {
		s := sigv4.Signer{AccessKeyID: c.id, SecretAccessKey: c.secret, SessionToken: c.token, Region: "us-east-1", Service: service}
		if err := s.Sign(r, body); err != nil {
			h.t.Fatal(err)
		}
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
	out := audResponse{status: resp.StatusCode, requestID: resp.Header.Get("X-Amzn-Requestid"), body: b}
	if out.requestID == "" {
		var e struct {
			RequestID string `xml:"RequestId"`
		}
		if err := xml.Unmarshal(b, &e); err != nil || e.RequestID == "" {
			h.t.Fatalf("%s: no request ID in %d response %s", action, resp.StatusCode, b)
		}
		out.requestID = e.RequestID
	}
	return out
}

// records returns the stored records of request id.
func (h *audHarness) records(id string) []*gatehouse.AuditRecord {
	h.t.Helper()
	var out []*gatehouse.AuditRecord
	err := h.store.View(context.Background(), func(tx gatehouse.Tx) error {
		recs, err := tx.AuditRecords(gatehouse.AuditFilter{})
		for _, r := range recs {
			if r.RequestID == id {
				out = append(out, r)
			}
		}
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return out
}

// record waits for the one record of request id: a queued record is
// written by Close, which may run before the handler has queued it.
func (h *audHarness) record(id string) *gatehouse.AuditRecord {
	h.t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		recs := h.records(id)
		if len(recs) > 1 {
			h.t.Fatalf("request %s has %d audit records, want 1", id, len(recs))
		}
		if len(recs) == 1 {
			return recs[0]
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("request %s has no audit record", id)
		}
	}
}

// credentials reads the temporary credentials of a GetSessionToken or
// AssumeRole response.
func (h *audHarness) credentials(r audResponse) audCred {
	h.t.Helper()
	var out struct {
		Result struct { // <ActionResult>
			Creds struct {
				AccessKeyID     string `xml:"AccessKeyId"`
				SecretAccessKey string
				SessionToken    string
			} `xml:"Credentials"`
		} `xml:",any"`
	}
	if err := xml.Unmarshal(r.body, &out); err != nil || out.Result.Creds.SessionToken == "" {
		h.t.Fatalf("no credentials in %s (%v)", r.body, err)
	}
	c := out.Result.Creds
	h.secrets = append(h.secrets, c.SecretAccessKey, c.SessionToken)
	return audCred{c.AccessKeyID, c.SecretAccessKey, c.SessionToken}
}

// audWant is the part of a record a case checks; Time, RequestID,
// SourceIP, UserAgent and Seq are checked for every record.
type audWant struct {
	AccountID, PrincipalARN, PrincipalType string
	Root                                   bool
	AccessKeyID, Service, Action           string
	Resource, Decision, ErrorCode          string
}

func TestAudit(t *testing.T) {
	ctx := context.Background()
	h := newAudHarness(t)
	root := audCred{id: audRootKeyID, secret: audRootSecret}
	rootARN := "arn:aws:iam::" + audAccount + ":root"
	userARN := func(name string) string { return gatehouse.EntityARN("", audAccount, "user", "/", name) }

	// alice may list users and assume deploy, and may not delete users;
	// deploy may list users. Set up directly, so it leaves no record.
	svc := h.srv.IAM
	if _, err := svc.CreateUser(ctx, audAccount, iam.CreateUserInput{UserName: "alice", Path: "/"}); err != nil {
		t.Fatal(err)
	}
	if err := svc.PutInlinePolicy(ctx, audAccount, gatehouse.EntityRef{Kind: gatehouse.KindUser, Name: "alice"}, "p",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListUsers","sts:AssumeRole"],"Resource":"*"},
		{"Effect":"Deny","Action":"iam:DeleteUser","Resource":"*"}]}`); err != nil {
		t.Fatal(err)
	}
	k, err := svc.CreateAccessKey(ctx, audAccount, "alice")
	if err != nil {
		t.Fatal(err)
	}
	alice := audCred{id: k.ID, secret: k.Secret.Reveal()}
	h.secrets = append(h.secrets, alice.secret)
	if _, err := svc.CreateRole(ctx, audAccount, iam.CreateRoleInput{RoleName: "deploy", Path: "/",
		AssumeRolePolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + userARN("alice") + `"},"Action":"sts:AssumeRole"}]}`,
	}); err != nil {
		t.Fatal(err)
	}
	if err := svc.PutInlinePolicy(ctx, audAccount, gatehouse.EntityRef{Kind: gatehouse.KindRole, Name: "deploy"}, "p",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`); err != nil {
		t.Fatal(err)
	}
	roleARN := gatehouse.EntityARN("", audAccount, "role", "/", "deploy")

	// Requests that change something: their record commits with the
	// change, so it is there as soon as the response is.
	created := h.send("iam", root, "CreateUser", "UserName", "bob")
	if created.status != http.StatusOK {
		t.Fatalf("CreateUser: %d %s", created.status, created.body)
	}
	if recs := h.records(created.requestID); len(recs) != 1 {
		t.Fatalf("CreateUser left %d audit records at its response, want 1 written with the change", len(recs))
	}
	sessResp := h.send("sts", alice, "GetSessionToken")
	sess := h.credentials(sessResp)
	roleResp := h.send("sts", alice, "AssumeRole", "RoleArn", roleARN, "RoleSessionName", "ci")
	role := h.credentials(roleResp)
	for _, r := range []audResponse{sessResp, roleResp} {
		if recs := h.records(r.requestID); len(recs) != 1 {
			t.Fatalf("a request creating a session left %d audit records at its response, want 1", len(recs))
		}
	}

	// Requests that change nothing: their records are queued, not
	// written before Close.
	listed := h.send("iam", alice, "ListUsers")
	if recs := h.records(listed.requestID); len(recs) != 0 {
		t.Fatalf("ListUsers left %d audit records before the batch was due, want 0", len(recs))
	}

	cases := []struct {
		name string
		resp audResponse
		want audWant
	}{
		{"RootWrite", created, audWant{audAccount, rootARN, gatehouse.PrincipalRoot, true, audRootKeyID, "iam", "CreateUser",
			userARN("bob"), gatehouse.DecisionAllowed, ""}},
		{"UserRead", listed, audWant{audAccount, userARN("alice"), gatehouse.PrincipalIAMUser, false, alice.id, "iam", "ListUsers",
			"*", gatehouse.DecisionAllowed, ""}},
		{"ImplicitDeny", h.send("iam", alice, "CreateUser", "UserName", "carol"), audWant{audAccount, userARN("alice"),
			gatehouse.PrincipalIAMUser, false, alice.id, "iam", "CreateUser", userARN("carol"), gatehouse.DecisionImplicitDeny, "AccessDenied"}},
		{"ExplicitDeny", h.send("iam", alice, "DeleteUser", "UserName", "bob"), audWant{audAccount, userARN("alice"),
			gatehouse.PrincipalIAMUser, false, alice.id, "iam", "DeleteUser", userARN("bob"), gatehouse.DecisionExplicitDeny, "AccessDenied"}},
		{"NoPermissionNeeded", sessResp, audWant{audAccount, userARN("alice"), gatehouse.PrincipalIAMUser, false, alice.id,
			"sts", "GetSessionToken", "", "", ""}},
		// A GetSessionToken session without MFA may not call IAM.
		{"UserSession", h.send("iam", sess, "ListUsers"), audWant{audAccount, userARN("alice"), gatehouse.PrincipalIAMUser, false,
			sess.id, "iam", "ListUsers", "", "", "InvalidClientTokenId"}},
		{"AssumeRole", roleResp, audWant{audAccount, userARN("alice"), gatehouse.PrincipalIAMUser, false, alice.id,
			"sts", "AssumeRole", roleARN, gatehouse.DecisionAllowed, ""}},
		{"RoleSession", h.send("iam", role, "ListUsers"), audWant{audAccount, authz.SessionARN("", audAccount, "deploy", "ci"),
			gatehouse.PrincipalAssumedRole, false, role.id, "iam", "ListUsers", "*", gatehouse.DecisionAllowed, ""}},
		{"RootDenied", h.send("sts", root, "AssumeRole", "RoleArn", roleARN, "RoleSessionName", "root-try"), audWant{audAccount, rootARN,
			gatehouse.PrincipalRoot, true, audRootKeyID, "sts", "AssumeRole", "", "", "AccessDenied"}},
		{"BadSignature", h.send("iam", audCred{id: alice.id, secret: audWrongSecret}, "ListUsers"), audWant{audAccount, "",
			gatehouse.PrincipalAnonymous, false, alice.id, "iam", "", "", "", "SignatureDoesNotMatch"}},
		{"UnknownKey", h.send("iam", audCred{id: "AKIAUNKNOWN000000000", secret: audWrongSecret}, "ListUsers"), audWant{"", "",
			gatehouse.PrincipalAnonymous, false, "AKIAUNKNOWN000000000", "iam", "", "", "", "InvalidClientTokenId"}},
		{"WrongSessionToken", h.send("iam", audCred{sess.id, sess.secret, role.token}, "ListUsers"), audWant{audAccount, "",
			gatehouse.PrincipalAnonymous, false, sess.id, "iam", "ListUsers", "", "", "InvalidClientTokenId"}},
		{"Unsigned", h.send("iam", audCred{}, "ListUsers"), audWant{"", "", gatehouse.PrincipalAnonymous, false, "", "", "", "", "",
			"MissingAuthenticationToken"}},
	}
	if err := h.srv.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	after := h.send("iam", alice, "ListUsers") // served after Close: written at once
	cases = append(cases, struct {
		name string
		resp audResponse
		want audWant
	}{"AfterClose", after, audWant{audAccount, userARN("alice"), gatehouse.PrincipalIAMUser, false, alice.id, "iam", "ListUsers",
		"*", gatehouse.DecisionAllowed, ""}})

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := h.record(tc.resp.requestID)
			got := audWant{rec.AccountID, rec.PrincipalARN, rec.PrincipalType, rec.Root, rec.AccessKeyID, rec.Service, rec.Action,
				rec.Resource, rec.Decision, rec.ErrorCode}
			if got != tc.want {
				t.Errorf("record:\n got  %+v\n want %+v", got, tc.want)
			}
			if rec.SourceIP != "127.0.0.1" || rec.UserAgent != audUserAgent || rec.Time.IsZero() || rec.Seq == 0 {
				t.Errorf("record source %q, user agent %q, time %v, seq %d", rec.SourceIP, rec.UserAgent, rec.Time, rec.Seq)
			}
		})
	}

	t.Run("NoSecrets", func(t *testing.T) {
		var recs []*gatehouse.AuditRecord
		if err := h.store.View(ctx, func(tx gatehouse.Tx) error {
			var err error
			recs, err = tx.AuditRecords(gatehouse.AuditFilter{})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(recs) != len(cases) {
			t.Errorf("%d audit records after %d requests", len(recs), len(cases))
		}
		for _, rec := range recs {
			v := reflect.ValueOf(*rec)
			for i := range v.NumField() {
				f := v.Field(i)
				if f.Kind() != reflect.String {
					continue
				}
				for _, secret := range h.secrets {
					if secret != "" && strings.Contains(f.String(), secret) {
						t.Errorf("record of request %s: %s holds a secret", rec.RequestID, v.Type().Field(i).Name)
					}
				}
			}
		}
	})
}

// TestAuditCommitsWithChange checks that the record of a request that
// changed something is in the store once the response is, and that a
// request whose change rolled back still leaves its record.
func TestAuditCommitsWithChange(t *testing.T) {
	h := newAudHarness(t)
	root := audCred{id: audRootKeyID, secret: audRootSecret}
	first := h.send("iam", root, "CreateUser", "UserName", "bob")
	if recs := h.records(first.requestID); len(recs) != 1 || recs[0].ErrorCode != "" || recs[0].Decision != gatehouse.DecisionAllowed {
		t.Fatalf("records of a committed CreateUser at its response: %d, want 1 allowed", len(recs))
	}
	dup := h.send("iam", root, "CreateUser", "UserName", "BOB") // the store refuses it: EntityAlreadyExists
	if dup.status == http.StatusOK {
		t.Fatal("a duplicate CreateUser succeeded")
	}
	if err := h.srv.Close(); err != nil {
		t.Fatal(err)
	}
	rec := h.record(dup.requestID)
	if rec.Decision != gatehouse.DecisionAllowed || rec.ErrorCode != "EntityAlreadyExists" {
		t.Errorf("record of the failed CreateUser: decision %q, error %q", rec.Decision, rec.ErrorCode)
	}
}
