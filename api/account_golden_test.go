package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// The Account Management API (REST-JSON) part of TestGolden: goldens are
// the JSON bodies, indented, in testdata/golden/<name>.json; botocore's
// RestJSONParser reads each one (testdata/botoparse_json.py).

// sendJSON POSTs a REST-JSON request of the account service signed by k.
func (h *harness) sendJSON(t testing.TB, op string, k key, body string) response {
	t.Helper()
	h.tick()
	r, err := httpRequest(h.url+"/"+strings.ToLower(op[:1])+op[1:], body)
	if err != nil {
		t.Fatal(err)
	}
	s := sigv4.Signer{AccessKeyID: k.id, SecretAccessKey: k.secret, SessionToken: k.token, Region: "us-east-1", Service: "account", Now: h.clock}
	if err := s.Sign(r, []byte(body)); err != nil {
		t.Fatal(err)
	}
	return h.do(t, r)
}

// jsonJob is one JSON golden for botoparse_json.py.
type jsonJob struct {
	Service   string `json:"service"`
	Operation string `json:"operation"`
	File      string `json:"file"`
	Status    int    `json:"status"`
	ErrorType string `json:"errorType,omitempty"`
}

// accountGoldens checks REST-JSON responses against their goldens.
type accountGoldens struct {
	g    *goldens
	jobs []jsonJob
}

// check compares r with testdata/golden/<name>.json (rewriting it with
// -update), its status with want, and its headers with REST-JSON's.
func (a *accountGoldens) check(t *testing.T, name, op string, want int, r response) response {
	t.Helper()
	if a.g.seen[name] {
		t.Fatalf("golden %s checked twice", name)
	}
	a.g.seen[name] = true
	if r.status != want {
		t.Errorf("%s: HTTP %d, want %d\n%s", name, r.status, want, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: Content-Type = %q, want application/json", name, ct)
	}
	if id := r.header.Get("X-Amzn-Requestid"); !requestIDPattern.MatchString(id) {
		t.Errorf("%s: X-Amzn-Requestid = %q", name, id)
	}
	errType := r.header.Get("X-Amzn-Errortype")
	if (want >= 300) != (errType != "") {
		t.Errorf("%s: x-amzn-ErrorType = %q for HTTP %d", name, errType, want)
	}
	var got bytes.Buffer
	if err := json.Indent(&got, r.body, "", "  "); err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", name, err, r.body)
	}
	got.WriteByte('\n')
	file := filepath.Join(goldenDir, name+".json")
	if *update {
		if err := os.WriteFile(file, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if wantBody, err := os.ReadFile(file); err != nil {
		t.Errorf("%s: %v (run go test ./api -run TestGolden -update)", name, err)
	} else if !bytes.Equal(wantBody, got.Bytes()) {
		t.Errorf("%s: body differs from %s\n--- got:\n%s--- want:\n%s", name, file, got.Bytes(), wantBody)
	}
	a.jobs = append(a.jobs, jsonJob{Service: "account", Operation: op, File: file, Status: want, ErrorType: errType})
	return r
}

// root sends a request as root that must succeed, golden <op>[_variant].
func (a *accountGoldens) root(t *testing.T, op, variant, body string) response {
	t.Helper()
	name := op
	if variant != "" {
		name += "_" + variant
	}
	return a.check(t, name, op, 200, a.g.h.sendJSON(t, op, rootKey, body))
}

// fail sends a request that must fail with status, golden
// error_account_<Code>[_variant].
func (a *accountGoldens) fail(t *testing.T, name, op string, status int, k key, body string) response {
	t.Helper()
	return a.check(t, "error_account_"+name, op, status, a.g.h.sendJSON(t, op, k, body))
}

const contactJSON = `{"ContactInformation":{"FullName":"Jane Doe","AddressLine1":"410 Terry Ave N","City":"Seattle",` +
	`"StateOrRegion":"WA","PostalCode":"98109","CountryCode":"US","PhoneNumber":"+1 206-555-0100","CompanyName":"Example & Co"}}`

// accountMgmtGoldens runs the Account Management operations for
// TestGolden. TestGolden calls it after the MFA goldens.
func accountMgmtGoldens(t *testing.T, g *goldens) {
	t.Helper()
	a := &accountGoldens{g: g}
	a.root(t, "GetAccountInformation", "", `{}`)
	a.root(t, "PutAccountName", "", `{"AccountName":"Golden Prod"}`)
	a.root(t, "GetAccountInformation", "renamed", ``)
	a.fail(t, "ResourceNotFoundException", "GetContactInformation", 404, rootKey, `{}`)
	a.root(t, "PutContactInformation", "", contactJSON)
	a.root(t, "GetContactInformation", "", `{}`)
	a.fail(t, "ValidationException", "PutContactInformation", 400, rootKey,
		`{"ContactInformation":{"FullName":"Jane Doe","AddressLine1":"x","City":"Seattle","PostalCode":"1","CountryCode":"USA","PhoneNumber":"206"}}`)
	a.fail(t, "ValidationException_unknown_member", "GetContactInformation", 400, rootKey, `{"Bogus":1}`)
	a.root(t, "PutAlternateContact", "", `{"AlternateContactType":"SECURITY","Name":"Sec Team","Title":"CISO",`+
		`"EmailAddress":"security@example.com","PhoneNumber":"+1 (206) 555-0199"}`)
	a.root(t, "GetAlternateContact", "", `{"AlternateContactType":"SECURITY"}`)
	a.root(t, "DeleteAlternateContact", "", `{"AlternateContactType":"SECURITY"}`)
	a.fail(t, "ResourceNotFoundException_alternate", "DeleteAlternateContact", 404, rootKey, `{"AlternateContactType":"SECURITY"}`)
	a.root(t, "ListRegions", "", `{}`)
	r := a.root(t, "ListRegions", "truncated", `{"MaxResults":2}`)
	var page struct{ NextToken string }
	json.Unmarshal(r.body, &page)
	a.root(t, "ListRegions", "next_page", `{"MaxResults":2,"NextToken":"`+page.NextToken+`"}`)
	a.root(t, "EnableRegion", "", `{"RegionName":"af-south-1"}`)
	a.root(t, "GetRegionOptStatus", "", `{"RegionName":"af-south-1"}`)
	a.root(t, "ListRegions", "enabled", `{"RegionOptStatusContains":["ENABLED"]}`)
	a.root(t, "DisableRegion", "", `{"RegionName":"af-south-1"}`)
	a.fail(t, "ValidationException_region", "EnableRegion", 400, rootKey, `{"RegionName":"us-east-1"}`)
	// GetPrimaryEmail follows the same rule as the updates below.
	a.check(t, "GetPrimaryEmail", "GetPrimaryEmail", 403, g.h.sendJSON(t, "GetPrimaryEmail", rootKey, `{"AccountId":"`+accountID+`"}`))
	a.fail(t, "ValidationException_get_primary_email", "GetPrimaryEmail", 400, rootKey, `{}`)
	a.fail(t, "AccessDeniedException_account_id", "GetContactInformation", 403, rootKey, `{"AccountId":"210987654321"}`)
	// Primary email updates: validated as the model says, then refused
	// as AWS refuses an account outside an organization (own ID included).
	a.check(t, "StartPrimaryEmailUpdate", "StartPrimaryEmailUpdate", 403, g.h.sendJSON(t, "StartPrimaryEmailUpdate", rootKey,
		`{"AccountId":"`+accountID+`","PrimaryEmail":"new-root@example.com"}`))
	a.fail(t, "ValidationException_start_primary_email", "StartPrimaryEmailUpdate", 400, rootKey, `{"AccountId":"12345"}`)
	a.check(t, "AcceptPrimaryEmailUpdate", "AcceptPrimaryEmailUpdate", 403, g.h.sendJSON(t, "AcceptPrimaryEmailUpdate", rootKey,
		`{"AccountId":"210987654321","PrimaryEmail":"new-root@example.com","Otp":"A1b2C3"}`))
	a.fail(t, "ValidationException_accept_primary_email", "AcceptPrimaryEmailUpdate", 400, rootKey,
		`{"AccountId":"`+accountID+`","PrimaryEmail":"new-root@example.com","Otp":"12-456"}`)
	g.setup(t, iamForm("CreateUser", "UserName", "carol"))
	r = g.setup(t, iamForm("CreateAccessKey", "UserName", "carol"))
	carol := key{id: field(t, r.body, "AccessKeyId"), secret: field(t, r.body, "SecretAccessKey")}
	a.fail(t, "AccessDeniedException", "GetContactInformation", 403, carol, `{}`)

	if !*update {
		files, _ := filepath.Glob(filepath.Join(goldenDir, "*.json"))
		for _, f := range files {
			if !g.seen[strings.TrimSuffix(filepath.Base(f), ".json")] {
				t.Errorf("%s is not checked by any request: delete it or run -update", f)
			}
		}
	}
	if !t.Failed() {
		checkBotocoreJSON(t, a.jobs)
	}
}

// accountExpectations are the key fields an SDK user must find.
var accountExpectations = map[string][]expectation{
	"GetAccountInformation": {eq("AccountId", accountID), eq("AccountName", "golden"), eq("AccountState", "ACTIVE"),
		timestamp("AccountCreatedDate")},
	"GetAccountInformation_renamed": {eq("AccountName", "Golden Prod")},
	"GetContactInformation": {eq("ContactInformation.FullName", "Jane Doe"), eq("ContactInformation.CompanyName", "Example & Co"),
		eq("ContactInformation.PhoneNumber", "+1 206-555-0100"), absent("ContactInformation.AddressLine2")},
	"GetAlternateContact": {eq("AlternateContact.AlternateContactType", "SECURITY"),
		eq("AlternateContact.EmailAddress", "security@example.com")},
	"ListRegions": {length("Regions", 29), eq("Regions.0.RegionName", "af-south-1"), eq("Regions.0.RegionOptStatus", "DISABLED"),
		absent("NextToken")},
	"ListRegions_truncated": {length("Regions", 2), matches("NextToken", ".+")},
	"ListRegions_next_page": {length("Regions", 2), eq("Regions.0.RegionName", "ap-northeast-1"),
		eq("Regions.0.RegionOptStatus", "ENABLED_BY_DEFAULT")},
	"ListRegions_enabled": {length("Regions", 1), eq("Regions.0.RegionName", "af-south-1"), eq("Regions.0.RegionOptStatus", "ENABLED")},
	"GetRegionOptStatus":  {eq("RegionName", "af-south-1"), eq("RegionOptStatus", "ENABLED")},
}

// accountErrorChecks are the code, reason and message each error golden
// must parse to.
var accountErrorChecks = map[string][]expectation{
	"error_account_ResourceNotFoundException": {eq("Error.Code", "ResourceNotFoundException")},
	"error_account_ValidationException": {eq("Error.Code", "ValidationException"), eq("reason", "fieldValidationFailed"),
		length("fieldList", 2), eq("fieldList.0.name", "contactInformation.countryCode"),
		eq("fieldList.1.name", "contactInformation.phoneNumber")},
	"error_account_ValidationException_unknown_member":  {eq("Error.Code", "ValidationException"), eq("reason", "fieldValidationFailed")},
	"error_account_ResourceNotFoundException_alternate": {eq("Error.Code", "ResourceNotFoundException")},
	"error_account_ValidationException_region":          {eq("Error.Code", "ValidationException"), eq("reason", "invalidRegionOptTarget")},
	"error_account_AccessDeniedException_account_id": {eq("Error.Code", "AccessDeniedException"),
		eq("Error.Message", "User: arn:aws:iam::123456789012:root is not authorized to perform: account:GetContactInformation")},
	"GetPrimaryEmail": {eq("Error.Code", "AccessDeniedException"),
		eq("Error.Message", "User: arn:aws:iam::123456789012:root is not authorized to perform: account:GetPrimaryEmail")},
	"error_account_ValidationException_get_primary_email": {eq("Error.Code", "ValidationException"),
		eq("reason", "fieldValidationFailed"), length("fieldList", 1), eq("fieldList.0.name", "accountId"),
		eq("fieldList.0.message", "Member must not be null")},
	"StartPrimaryEmailUpdate": {eq("Error.Code", "AccessDeniedException"),
		eq("Error.Message", "User: arn:aws:iam::123456789012:root is not authorized to perform: account:StartPrimaryEmailUpdate")},
	"AcceptPrimaryEmailUpdate": {eq("Error.Code", "AccessDeniedException"),
		eq("Error.Message", "User: arn:aws:iam::123456789012:root is not authorized to perform: account:AcceptPrimaryEmailUpdate")},
	"error_account_ValidationException_start_primary_email": {eq("Error.Code", "ValidationException"),
		eq("reason", "fieldValidationFailed"), length("fieldList", 2), eq("fieldList.0.name", "accountId"),
		eq("fieldList.1.name", "primaryEmail"), eq("fieldList.1.message", "Member must not be null")},
	"error_account_ValidationException_accept_primary_email": {eq("Error.Code", "ValidationException"),
		eq("reason", "fieldValidationFailed"), length("fieldList", 1), eq("fieldList.0.name", "otp"),
		eq("fieldList.0.message", "Member must satisfy regular expression pattern: [a-zA-Z0-9]{6}")},
	"error_account_AccessDeniedException": {eq("Error.Code", "AccessDeniedException"),
		eq("Error.Message", "User: arn:aws:iam::123456789012:user/carol is not authorized to perform: account:GetContactInformation "+
			"on resource: arn:aws:account::123456789012:account because no identity-based policy allows the account:GetContactInformation action")},
}

func checkBotocoreJSON(t *testing.T, jobs []jsonJob) {
	requirePython(t)
	in, err := json.Marshal(jobs)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("python3", "testdata/botoparse_json.py", "-")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("botoparse_json.py: %v\n%s", err, stderr.String())
	}
	var results []parsed
	if err := json.Unmarshal(out, &results); err != nil || len(results) != len(jobs) {
		t.Fatalf("botoparse_json.py output: %v (%d results for %d files)\n%s", err, len(results), len(jobs), out)
	}
	for i, res := range results {
		job := jobs[i]
		name := strings.TrimSuffix(filepath.Base(job.File), ".json")
		t.Run(name, func(t *testing.T) {
			if res.Error != "" {
				t.Fatalf("botocore cannot parse %s: %s", job.File, res.Error)
			}
			for _, p := range res.Problems {
				t.Errorf("%s: %s", job.File, p)
			}
			v := res.Parsed
			if job.Status >= 300 {
				checks := accountErrorChecks[name]
				if len(checks) == 0 {
					t.Errorf("no error checks for %s", name)
				}
				for _, c := range checks {
					c(t, v)
				}
				return
			}
			checks, ok := accountExpectations[name]
			if !ok {
				keys := slices.Collect(func(yield func(string) bool) {
					for k := range v {
						if k != "ResponseMetadata" && !yield(k) {
							return
						}
					}
				})
				if len(keys) != 0 {
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

// httpRequest builds a REST-JSON POST.
func httpRequest(url, body string) (*http.Request, error) {
	r, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	return r, nil
}
