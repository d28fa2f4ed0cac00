package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/iam"
)

// TestAccountAccess checks that the Account Management operations are
// authorized like IAM's: an IAM user without permissions is denied with
// AWS's message, root and an administrator are allowed, and the
// account: condition keys reach policies.
func TestAccountAccess(t *testing.T) {
	h := newHarness(t, nil)
	g := &goldens{h: h, seen: map[string]bool{}}
	newUser := func(name string) key {
		g.setup(t, iamForm("CreateUser", "UserName", name))
		r := g.setup(t, iamForm("CreateAccessKey", "UserName", name))
		return key{id: field(t, r.body, "AccessKeyId"), secret: field(t, r.body, "SecretAccessKey")}
	}
	nobody := newUser("nobody")
	admin := newUser("admin")
	g.setup(t, iamForm("AttachUserPolicy", "UserName", "admin", "PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"))
	billing := newUser("billing")
	g.setup(t, iamForm("PutUserPolicy", "UserName", "billing", "PolicyName", "billing-contact", "PolicyDocument",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"account:*AlternateContact",`+
			`"Resource":"arn:aws:account::123456789012:account",`+
			`"Condition":{"StringEquals":{"account:AlternateContactTypes":"BILLING"}}}]}`))

	r := h.sendJSON(t, "PutContactInformation", nobody, contactJSON)
	if r.status != 403 || r.header.Get("X-Amzn-Errortype") != "AccessDeniedException" {
		t.Fatalf("nobody: HTTP %d %s %s", r.status, r.header.Get("X-Amzn-Errortype"), r.body)
	}
	var e struct{ Message string }
	json.Unmarshal(r.body, &e)
	want := "User: arn:aws:iam::123456789012:user/nobody is not authorized to perform: account:PutContactInformation on resource: " +
		"arn:aws:account::123456789012:account because no identity-based policy allows the account:PutContactInformation action"
	if e.Message != want {
		t.Errorf("message %q\nwant    %q", e.Message, want)
	}
	for _, k := range []key{rootKey, admin} {
		if r := h.sendJSON(t, "PutContactInformation", k, contactJSON); r.status != 200 {
			t.Errorf("%s PutContactInformation: HTTP %d %s", k.id, r.status, r.body)
		}
		if r := h.sendJSON(t, "ListRegions", k, ``); r.status != 200 {
			t.Errorf("%s ListRegions: HTTP %d %s", k.id, r.status, r.body)
		}
	}
	contact := `{"Name":"B","Title":"T","EmailAddress":"b@example.com","PhoneNumber":"+1 555","AlternateContactType":"%s"}`
	if r := h.sendJSON(t, "PutAlternateContact", billing, strings.Replace(contact, "%s", "BILLING", 1)); r.status != 200 {
		t.Errorf("billing contact: HTTP %d %s", r.status, r.body)
	}
	if r := h.sendJSON(t, "PutAlternateContact", billing, strings.Replace(contact, "%s", "SECURITY", 1)); r.status != 403 {
		t.Errorf("security contact by the billing user: HTTP %d %s, want 403", r.status, r.body)
	}
	if r := h.sendJSON(t, "NoSuchOperation", rootKey, `{}`); r.status != 404 ||
		r.header.Get("X-Amzn-Errortype") != "UnknownOperationException" {
		t.Errorf("unknown path: HTTP %d %s", r.status, r.header.Get("X-Amzn-Errortype"))
	}
}

// TestAccountCLI drives the Account Management API with the aws CLI.
func TestAccountCLI(t *testing.T) {
	aws, err := exec.LookPath("aws")
	if err != nil {
		t.Fatalf("the aws CLI is needed for this test: %v", err)
	}
	h := newHarness(t, nil)
	h.mu.Lock()
	h.now = time.Now() // the CLI signs with the real clock
	h.mu.Unlock()
	run := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command(aws, append([]string{"account", "--endpoint-url", h.url, "--region", "us-east-1", "--output", "json"}, args...)...)
		cmd.Env = []string{"AWS_ACCESS_KEY_ID=" + rootKeyID, "AWS_SECRET_ACCESS_KEY=" + rootSecret,
			"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "HOME=" + t.TempDir(), "PATH=/usr/bin:/bin:" + strings.TrimSuffix(aws, "/aws")}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("aws account %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return out
	}
	run("put-contact-information", "--contact-information",
		"FullName=Jane Doe,AddressLine1=410 Terry Ave N,City=Seattle,PostalCode=98109,CountryCode=US,PhoneNumber=+1 206-555-0100")
	var got struct {
		ContactInformation struct{ FullName, PhoneNumber string }
	}
	if err := json.Unmarshal(run("get-contact-information"), &got); err != nil {
		t.Fatal(err)
	}
	if got.ContactInformation.FullName != "Jane Doe" || got.ContactInformation.PhoneNumber != "+1 206-555-0100" {
		t.Errorf("get-contact-information: %+v", got)
	}
	var regions struct {
		Regions []struct{ RegionName, RegionOptStatus string }
	}
	if err := json.Unmarshal(run("list-regions", "--region-opt-status-contains", "DISABLED"), &regions); err != nil {
		t.Fatal(err)
	}
	if len(regions.Regions) != 12 || regions.Regions[0].RegionName != "af-south-1" {
		t.Errorf("list-regions: %+v", regions)
	}
}

// TestPrimaryEmailUpdate checks GetPrimaryEmail and
// Start/AcceptPrimaryEmailUpdate, which follow one rule: the model's
// validation comes first, for any caller, then every request is refused
// as AWS refuses an account outside an organization, even for root or an
// administrator naming its own account.
func TestPrimaryEmailUpdate(t *testing.T) {
	h := newHarness(t, nil)
	g := &goldens{h: h, seen: map[string]bool{}}
	g.setup(t, iamForm("CreateUser", "UserName", "admin"))
	r := g.setup(t, iamForm("CreateAccessKey", "UserName", "admin"))
	admin := key{id: field(t, r.body, "AccessKeyId"), secret: field(t, r.body, "SecretAccessKey")}
	g.setup(t, iamForm("AttachUserPolicy", "UserName", "admin", "PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"))

	for _, c := range []struct {
		op, body string
		k        key
		status   int
		errType  string
		message  string
	}{
		{"StartPrimaryEmailUpdate", `{}`, admin, 400, "ValidationException", "2 validation errors detected: " +
			"Value at 'accountId' failed to satisfy constraint: Member must not be null; " +
			"Value at 'primaryEmail' failed to satisfy constraint: Member must not be null"},
		{"StartPrimaryEmailUpdate", `{"AccountId":"123456789012","PrimaryEmail":"a@b"}`, rootKey, 400, "ValidationException",
			"1 validation error detected: Value at 'primaryEmail' failed to satisfy constraint: Member must have length greater than or equal to 5"},
		{"AcceptPrimaryEmailUpdate", `{"AccountId":"123456789012","PrimaryEmail":"new@example.com"}`, rootKey, 400, "ValidationException",
			"1 validation error detected: Value at 'otp' failed to satisfy constraint: Member must not be null"},
		{"StartPrimaryEmailUpdate", `{"AccountId":"123456789012","PrimaryEmail":"new@example.com"}`, admin, 403, "AccessDeniedException",
			"User: arn:aws:iam::123456789012:user/admin is not authorized to perform: account:StartPrimaryEmailUpdate"},
		{"AcceptPrimaryEmailUpdate", `{"AccountId":"123456789012","PrimaryEmail":"new@example.com","Otp":"abc123"}`, admin, 403,
			"AccessDeniedException", "User: arn:aws:iam::123456789012:user/admin is not authorized to perform: account:AcceptPrimaryEmailUpdate"},
		{"StartPrimaryEmailUpdate", `{"AccountId":"123456789012","PrimaryEmail":"new@example.com"}`, rootKey, 403, "AccessDeniedException",
			"User: arn:aws:iam::123456789012:root is not authorized to perform: account:StartPrimaryEmailUpdate"},
		{"GetPrimaryEmail", `{}`, admin, 400, "ValidationException",
			"1 validation error detected: Value at 'accountId' failed to satisfy constraint: Member must not be null"},
		{"GetPrimaryEmail", `{"AccountId":"1234"}`, rootKey, 400, "ValidationException",
			"1 validation error detected: Value at 'accountId' failed to satisfy constraint: Member must satisfy regular expression pattern: \\d{12}"},
		{"GetPrimaryEmail", `{"AccountId":"123456789012"}`, rootKey, 403, "AccessDeniedException",
			"User: arn:aws:iam::123456789012:root is not authorized to perform: account:GetPrimaryEmail"},
		{"GetPrimaryEmail", `{"AccountId":"123456789012"}`, admin, 403, "AccessDeniedException",
			"User: arn:aws:iam::123456789012:user/admin is not authorized to perform: account:GetPrimaryEmail"},
		{"GetPrimaryEmail", `{"AccountId":"210987654321"}`, admin, 403, "AccessDeniedException",
			"User: arn:aws:iam::123456789012:user/admin is not authorized to perform: account:GetPrimaryEmail"},
	} {
		r := h.sendJSON(t, c.op, c.k, c.body)
		var e struct{ Message string }
		json.Unmarshal(r.body, &e)
		if r.status != c.status || r.header.Get("X-Amzn-Errortype") != c.errType || e.Message != c.message {
			t.Errorf("%s %s: HTTP %d %s %s, want %d %s %q", c.op, c.body, r.status, r.header.Get("X-Amzn-Errortype"), r.body,
				c.status, c.errType, c.message)
		}
	}
	// The root email is unchanged.
	if a := rootAccount(t, h); a.Email != "root@example.com" || a.PendingEmail != nil {
		t.Errorf("root email %q, pending %v", a.Email, a.PendingEmail)
	}
}

// TestAccountNameDefault: AWS accounts always have a name. An account
// created without one is named after its root email's local part, and an
// account stored without a name (created before that default) is
// answered with the same default.
func TestAccountNameDefault(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	err := h.srv.Store.Update(ctx, func(tx gatehouse.Tx) error {
		a, err := tx.Account(accountID)
		if err != nil {
			return err
		}
		a.Name = ""
		return tx.UpdateAccount(a)
	})
	if err != nil {
		t.Fatal(err)
	}
	r := h.sendJSON(t, "GetAccountInformation", rootKey, `{}`)
	var info struct{ AccountId, AccountName string }
	if err := json.Unmarshal(r.body, &info); err != nil || r.status != 200 || info.AccountName != "root" || info.AccountId != accountID {
		t.Errorf("GetAccountInformation of an account stored without a name: HTTP %d %s", r.status, r.body)
	}
	if strings.Contains(string(r.body), `"AccountName":""`) {
		t.Errorf("empty AccountName: %s", r.body)
	}

	a, _, err := h.svc.CreateAccount(ctx, iam.AccountSpec{ID: "210987654321", Email: "ops.team+billing@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "ops.team+billing" {
		t.Errorf("account created without a name is named %q", a.Name)
	}
	var stored string
	h.srv.Store.View(ctx, func(tx gatehouse.Tx) error {
		a, err := tx.Account("210987654321")
		if err == nil {
			stored = a.Name
		}
		return err
	})
	if stored != "ops.team+billing" {
		t.Errorf("stored name %q", stored)
	}
}
