package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/account"
	accounttypes "github.com/aws/aws-sdk-go-v2/service/account/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/invoicing"
	invtypes "github.com/aws/aws-sdk-go-v2/service/invoicing/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Documents and fixtures of the root tasks scenario.
const (
	docAllowAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	// docTrustAccount trusts every principal of the account.
	docTrustAccount = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + accountID + `"},"Action":"sts:AssumeRole"}]}`

	invoiceEMEA = "EU-2025-02"
	invoiceInc  = "US-2025-02"

	// The invoices `gatehouse billing import` loads: a VAT invoice of AWS
	// Europe (downloadable by permitted IAM principals) and a tax invoice
	// of AWS Inc. (root only).
	invoicesJSON = `[
 {"InvoiceId":"` + invoiceEMEA + `","BillingPeriod":{"Year":2025,"Month":2},"IssuedDate":"2025-03-02T00:00:00Z","DueDate":"2025-03-30T00:00:00Z",
  "InvoicingEntity":"Amazon Web Services EMEA SARL","Type":"INVOICE","TaxInvoice":true,"Currency":"EUR","TotalAmount":"119.00",
  "Lines":[{"Description":"Amazon EC2","Amount":"100.00"},{"Description":"VAT 19%","Amount":"19.00"}]},
 {"InvoiceId":"` + invoiceInc + `","BillingPeriod":{"Year":2025,"Month":2},"IssuedDate":"2025-03-02T00:00:00Z","DueDate":"2025-03-30T00:00:00Z",
  "InvoicingEntity":"Amazon Web Services, Inc.","Type":"INVOICE","TaxInvoice":true,"Currency":"USD","TotalAmount":"42.50",
  "Lines":[{"Description":"Amazon S3","Amount":"40.00"},{"Description":"Sales tax","Amount":"2.50"}]}
]`
)

// rootOnlyDenied is Gatehouse's refusal of a root-only gatehouse operation
// (docs/root-tasks.md).
func rootOnlyDenied(principalARN, op string) string {
	return "User: " + principalARN + " is not authorized to perform: gatehouse:" + op +
		" on resource: arn:aws:iam::" + accountID + ":root because this action requires the account's root user"
}

// accountClosed is the refusal of every request while the account is closed.
const accountClosed = "The account " + accountID + " is closed."

// wantAudit is one refusal the audit log must hold.
type wantAudit struct {
	principalARN, principalType, service, action, decision, errorCode string
}

// cliResult is what one gatehouse client command did.
type cliResult struct {
	Stdout, Stderr string
	Code           int
}

// gatehouseCLI runs the gatehouse binary with c's key in the AWS_*
// variables (none when c is the zero value) and stdin as its input.
func gatehouseCLI(t testing.TB, c creds, stdin string, args ...string) cliResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, gatehouseBin, args...)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GATEHOUSE_") && !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	if c.ID != "" {
		env = append(env, "AWS_ACCESS_KEY_ID="+c.ID, "AWS_SECRET_ACCESS_KEY="+c.Secret, "AWS_REGION="+c.signingRegion())
		if c.Token != "" {
			env = append(env, "AWS_SESSION_TOKEN="+c.Token)
		}
	}
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := cliResult{Stdout: stdout.String(), Stderr: stderr.String()}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("gatehouse %s: %v", strings.Join(args, " "), err)
		}
		res.Code = ee.ExitCode()
	}
	return res
}

// cliOK runs a client command that must succeed and decodes its JSON.
func cliOK(t testing.TB, c creds, stdin string, args ...string) map[string]any {
	t.Helper()
	r := gatehouseCLI(t, c, stdin, args...)
	if r.Code != 0 {
		t.Fatalf("gatehouse %s: exit %d\n%s%s", strings.Join(args, " "), r.Code, r.Stdout, r.Stderr)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &out); err != nil {
		t.Fatalf("gatehouse %s printed no JSON object: %v\n%s", strings.Join(args, " "), err, r.Stdout)
	}
	return out
}

// cliRefused runs a client command that must fail with exit 1 and the
// AWS error line of docs/root-tasks.md.
func cliRefused(t testing.TB, c creds, stdin, op, code, message string, args ...string) {
	t.Helper()
	r := gatehouseCLI(t, c, stdin, args...)
	name := "gatehouse " + strings.Join(args[:2], " ")
	want := name + ": An error occurred (" + code + ") when calling the " + op + " operation: " + message + "\n"
	if r.Code != 1 || r.Stderr != want {
		t.Fatalf("gatehouse %s: exit %d, stderr:\n%s\nwant exit 1, stderr:\n%s", strings.Join(args, " "), r.Code, r.Stderr, want)
	}
	if r.Stdout != "" {
		t.Errorf("gatehouse %s printed on stdout: %q", strings.Join(args, " "), r.Stdout)
	}
}

func (s *server) account(t testing.TB, c creds) *account.Client {
	return account.NewFromConfig(sdkConfig(t), func(o *account.Options) {
		o.HTTPClient = s.sdkHTTP()
		o.BaseEndpoint = aws.String(s.URL)
		o.Region = c.signingRegion()
		o.Credentials = credentials.NewStaticCredentialsProvider(c.ID, c.Secret, c.Token)
	})
}

func (s *server) invoicing(t testing.TB, c creds) *invoicing.Client {
	return invoicing.NewFromConfig(sdkConfig(t), func(o *invoicing.Options) {
		o.HTTPClient = s.sdkHTTP()
		o.BaseEndpoint = aws.String(s.URL)
		o.Region = c.signingRegion()
		o.Credentials = credentials.NewStaticCredentialsProvider(c.ID, c.Secret, c.Token)
	})
}

// TestRootTasks plays the root-only account tasks through the gatehouse
// CLI, the Account API, a closed account and the billing access gate with
// aws-sdk-go-v2, against one server, then checks every refusal in the
// audit log.
func TestRootTasks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := startServer(t, serverOptions{})
	endpoint := "--endpoint-url=" + srv.URL
	rootIAM := srv.iam(t, rootCreds)

	// An administrator with AdministratorAccess and an explicit "*" allow,
	// a user with no permission, a role the administrator assumes.
	admin := newUserWithKey(t, rootIAM, "admin", adminAccess)
	must(rootIAM.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("admin"), PolicyName: aws.String("everything"), PolicyDocument: aws.String(docAllowAll)}))(t)
	nobody := newUserWithKey(t, rootIAM, "nobody")
	must(rootIAM.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("ops"), AssumeRolePolicyDocument: aws.String(docTrustAccount)}))(t)
	must(rootIAM.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("ops"), PolicyArn: aws.String(adminAccess)}))(t)
	must(rootIAM.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("ops"), PolicyName: aws.String("everything"), PolicyDocument: aws.String(docAllowAll)}))(t)
	assumed := must(srv.sts(t, admin).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN("ops")), RoleSessionName: aws.String("admin-ops")}))(t)
	role := tempCreds(t, assumed.Credentials)

	adminARN, roleSession := userARN("admin"), sessionARN("ops", "admin-ops")
	var audits []wantAudit
	// refuseRootKey checks that root's access key is refused a
	// console-only task: AWS offers these only to a root sign-in.
	refuseRootKey := func(t *testing.T, stdin, op string, args ...string) {
		t.Helper()
		cliRefused(t, rootCreds, stdin, op, "AccessDeniedException", keyRefused(op), append(args, endpoint)...)
		audits = append(audits, wantAudit{rootARN, "Root", "gatehouse", op, "explicitDeny", "AccessDenied"})
	}
	// console is root's sign-in session (gatehouse root sign-in), which
	// the console-only tasks need.
	var console creds
	needConsole := func(t *testing.T) {
		t.Helper()
		if console.ID == "" {
			t.Fatal("no root sign-in session: the ChangePassword subtest failed")
		}
	}
	// refuseIAMPrincipals checks that the admin and the role session are
	// refused a root-only operation through the CLI.
	refuseIAMPrincipals := func(t *testing.T, stdin, op string, args ...string) {
		t.Helper()
		args = append(args, endpoint)
		cliRefused(t, admin, stdin, op, "AccessDeniedException", rootOnlyDenied(adminARN, op), args...)
		cliRefused(t, role, stdin, op, "AccessDeniedException", rootOnlyDenied(roleSession, op), args...)
		audits = append(audits,
			wantAudit{adminARN, "IAMUser", "gatehouse", op, "explicitDeny", "AccessDenied"},
			wantAudit{roleSession, "AssumedRole", "gatehouse", op, "explicitDeny", "AccessDenied"})
	}

	// What ChangePassword and ChangeEmail change root's password and
	// email address to; CloseAndReopen signs in with them.
	const next, newEmail = "e2e-Next-root-passphrase-3", "ops-root@e2e.gatehouse.test"
	t.Run("ChangePassword", func(t *testing.T) {
		refuseIAMPrincipals(t, rootPassword+"\n"+next+"\n", "ChangeRootPassword", "root", "change-password")
		refuseRootKey(t, rootPassword+"\n"+next+"\n", "ChangeRootPassword", "root", "change-password")
		console = rootSignIn(t, srv, rootEmail, rootPassword, "")
		if out := cliOK(t, console, rootPassword+"\n"+next+"\n", "root", "change-password", endpoint); len(out) != 0 {
			t.Errorf("change-password printed %v, want {}", out)
		}
		// The old password is no longer the current one.
		cliRefused(t, console, rootPassword+"\nyet-another-passphrase\n", "ChangeRootPassword", "AccessDeniedException",
			"The current password is incorrect.", "root", "change-password", endpoint)
	})

	t.Run("ChangeEmail", func(t *testing.T) {
		needConsole(t)
		refuseIAMPrincipals(t, "", "StartRootEmailUpdate", "root", "change-email", "--new", newEmail)
		refuseRootKey(t, "", "StartRootEmailUpdate", "root", "change-email", "--new", newEmail)
		if out := cliOK(t, console, "", "root", "change-email", "--new", newEmail, endpoint); out["Status"] != "PENDING" {
			t.Fatalf("change-email printed %v, want Status PENDING", out)
		}
		code := confirmationCode(t, srv.DataDir, newEmail)
		refuseIAMPrincipals(t, "", "ConfirmRootEmailUpdate", "root", "confirm-email", "--new", newEmail, "--code", code)
		refuseRootKey(t, "", "ConfirmRootEmailUpdate", "root", "confirm-email", "--new", newEmail, "--code", code)
		if out := cliOK(t, console, "", "root", "confirm-email", "--new", newEmail, "--code", code, endpoint); out["Status"] != "ACCEPTED" {
			t.Fatalf("confirm-email printed %v, want Status ACCEPTED", out)
		}
		// The code works once.
		r := gatehouseCLI(t, console, "", "root", "confirm-email", "--new", newEmail, "--code", code, endpoint)
		if r.Code != 1 || !strings.Contains(r.Stderr, "(ValidationException)") {
			t.Errorf("second confirm-email: exit %d, stderr %s; want a ValidationException", r.Code, r.Stderr)
		}
	})

	t.Run("BillingAccess", func(t *testing.T) {
		needConsole(t)
		refuseIAMPrincipals(t, "", "UpdateIAMBillingAccess", "billing", "iam-access", "--enable")
		refuseRootKey(t, "", "UpdateIAMBillingAccess", "billing", "iam-access", "--enable")
		if out := cliOK(t, admin, "", "billing", "iam-access", endpoint); out["IamUserAccessToBilling"] != "DENY" {
			t.Errorf("admin's billing iam-access printed %v, want DENY (new accounts start with it off)", out)
		}
		if out := cliOK(t, console, "", "billing", "iam-access", "--enable", endpoint); out["IamUserAccessToBilling"] != "ALLOW" {
			t.Fatalf("root's billing iam-access --enable printed %v, want ALLOW", out)
		}
		if out := cliOK(t, role, "", "billing", "iam-access", endpoint); out["IamUserAccessToBilling"] != "ALLOW" {
			t.Errorf("role's billing iam-access printed %v, want ALLOW", out)
		}
		// Back to the default for the billing gate below.
		if out := cliOK(t, console, "", "billing", "iam-access", "--disable", endpoint); out["IamUserAccessToBilling"] != "DENY" {
			t.Fatalf("root's billing iam-access --disable printed %v, want DENY", out)
		}
	})

	t.Run("AccountAPI", func(t *testing.T) {
		for _, p := range []struct {
			name string
			c    creds
		}{{"root", rootCreds}, {"admin", admin}} {
			acct := srv.account(t, p.c)
			info := &accounttypes.ContactInformation{
				FullName: aws.String("Contact of " + p.name), AddressLine1: aws.String("1 Main St"), City: aws.String("Seattle"),
				StateOrRegion: aws.String("WA"), PostalCode: aws.String("98101"), CountryCode: aws.String("US"), PhoneNumber: aws.String("+12065550100"),
			}
			must(acct.PutContactInformation(ctx, &account.PutContactInformationInput{ContactInformation: info}))(t)
			got := must(acct.GetContactInformation(ctx, &account.GetContactInformationInput{}))(t).ContactInformation
			if got == nil || aws.ToString(got.FullName) != "Contact of "+p.name || aws.ToString(got.PostalCode) != "98101" {
				t.Errorf("%s: GetContactInformation = %+v", p.name, got)
			}
			must(acct.PutAccountName(ctx, &account.PutAccountNameInput{AccountName: aws.String("named-by-" + p.name)}))(t)
		}
		got := must(srv.account(t, rootCreds).GetAccountInformation(ctx, &account.GetAccountInformationInput{}))(t)
		if aws.ToString(got.AccountName) != "named-by-admin" {
			t.Errorf("AccountName = %q, want named-by-admin", aws.ToString(got.AccountName))
		}

		acct := srv.account(t, nobody)
		resource := "arn:aws:account::" + accountID + ":account"
		_, err := acct.GetContactInformation(ctx, &account.GetContactInformationInput{})
		wantErrMessage(t, err, "AccessDeniedException", http.StatusForbidden, notAuthorized("nobody", "account:GetContactInformation", resource))
		_, err = acct.PutContactInformation(ctx, &account.PutContactInformationInput{ContactInformation: &accounttypes.ContactInformation{
			FullName: aws.String("x"), AddressLine1: aws.String("x"), City: aws.String("x"), PostalCode: aws.String("1"), CountryCode: aws.String("US"), PhoneNumber: aws.String("+12065550100"),
		}})
		wantErrMessage(t, err, "AccessDeniedException", http.StatusForbidden, notAuthorized("nobody", "account:PutContactInformation", resource))
		_, err = acct.PutAccountName(ctx, &account.PutAccountNameInput{AccountName: aws.String("hijacked")})
		wantErrMessage(t, err, "AccessDeniedException", http.StatusForbidden, notAuthorized("nobody", "account:PutAccountName", resource))
		for _, op := range []string{"GetContactInformation", "PutContactInformation", "PutAccountName"} {
			audits = append(audits, wantAudit{userARN("nobody"), "IAMUser", "account", op, "implicitDeny", "AccessDenied"})
		}
	})

	t.Run("CloseAndReopen", func(t *testing.T) {
		must(rootIAM.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("survivor")}))(t)
		refuseIAMPrincipals(t, "", "CloseAccount", "root", "close-account")
		refuseIAMPrincipals(t, "", "ReopenAccount", "root", "reopen-account")
		needConsole(t)
		refuseRootKey(t, "", "CloseAccount", "root", "close-account")
		out := cliOK(t, console, "", "root", "close-account", endpoint)
		if out["AccountState"] != "CLOSED" {
			t.Fatalf("close-account printed %v, want AccountState CLOSED", out)
		}
		if _, err := time.Parse(time.RFC3339, stringOf(out["ClosedAt"])); err != nil {
			t.Errorf("close-account ClosedAt %v: %v", out["ClosedAt"], err)
		}

		// Every key of the account is refused, root's included.
		for _, p := range []struct {
			c              creds
			arn, principal string
		}{{admin, adminARN, "IAMUser"}, {role, roleSession, "AssumedRole"}, {rootCreds, "arn:aws:iam::" + accountID + ":root", "Root"}} {
			c := srv.iam(t, p.c)
			_, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("survivor")})
			wantErrMessage(t, err, "AccessDenied", http.StatusForbidden, accountClosed)
			_, err = c.ListUsers(ctx, &iam.ListUsersInput{})
			wantErrMessage(t, err, "AccessDenied", http.StatusForbidden, accountClosed)
			audits = append(audits,
				wantAudit{p.arn, p.principal, "iam", "GetUser", "", "AccessDenied"},
				wantAudit{p.arn, p.principal, "iam", "ListUsers", "", "AccessDenied"})
		}
		// The admin cannot reopen it; root still reads its status.
		cliRefused(t, admin, "", "ReopenAccount", "AccessDeniedException", accountClosed, "root", "reopen-account", endpoint)
		audits = append(audits, wantAudit{adminARN, "IAMUser", "gatehouse", "ReopenAccount", "", "AccessDenied"})
		// Root's access key is refused too; root signs in with its
		// password (gatehouse root sign-in) to read the status and reopen.
		cliRefused(t, rootCreds, "", "ReopenAccount", "AccessDeniedException", accountClosed, "root", "reopen-account", endpoint)
		audits = append(audits, wantAudit{"arn:aws:iam::" + accountID + ":root", "Root", "gatehouse", "ReopenAccount", "", "AccessDenied"})
		r := gatehouseCLI(t, creds{}, "wrong password\n", "root", "sign-in", "--email", newEmail, endpoint)
		if r.Code != 1 || !strings.Contains(r.Stderr, "(AccessDeniedException) when signing in") {
			t.Errorf("sign-in with a wrong password: exit %d %s", r.Code, r.Stderr)
		}
		out = cliOK(t, creds{}, next+"\n", "root", "sign-in", "--email", newEmail, endpoint)
		if out["AccountState"] != "CLOSED" || out["RootUserArn"] != "arn:aws:iam::"+accountID+":root" {
			t.Errorf("sign-in printed %v", out)
		}
		cred, _ := out["Credentials"].(map[string]any)
		signedIn := creds{ID: stringOf(cred["AccessKeyId"]), Secret: stringOf(cred["SecretAccessKey"]), Token: stringOf(cred["SessionToken"])}
		if out := cliOK(t, signedIn, "", "root", "status", endpoint); out["AccountState"] != "CLOSED" {
			t.Errorf("status printed %v, want CLOSED", out)
		}
		// A signed-in root may reopen, and nothing else while closed.
		_, err := srv.iam(t, signedIn).ListUsers(ctx, &iam.ListUsersInput{})
		wantErrMessage(t, err, "AccessDenied", http.StatusForbidden, accountClosed)
		if out := cliOK(t, signedIn, "", "root", "reopen-account", endpoint); out["AccountState"] != "ACTIVE" {
			t.Fatalf("reopen-account printed %v, want ACTIVE", out)
		}
		console = signedIn
		notice := false
		for _, m := range outboxMessages(t, srv.DataDir) {
			notice = notice || m.To == newEmail && strings.Contains(m.Subject, "Root user sign-in")
		}
		if !notice {
			t.Errorf("no sign-in notice to %s in the outbox", newEmail)
		}
		// The session's secrets and the password are in no log and no
		// data file (the secret is sealed, the token and password hashed).
		assertNoSecrets(t, map[string]string{"sign-in secret access key": signedIn.Secret, "sign-in session token": signedIn.Token,
			"root password": next}, map[string]string{"stdout": srv.stdout.String(), "stderr": srv.stderr.String()}, srv.DataDir)
		for _, c := range []creds{admin, role, rootCreds} {
			users := must(srv.iam(t, c).ListUsers(ctx, &iam.ListUsersInput{}))(t).Users
			if names := userNames(users); !slices.Contains(names, "survivor") {
				t.Errorf("after reopening, ListUsers(%s) = %v, want survivor among them", c.ID, names)
			}
			must(srv.iam(t, c).GetUser(ctx, &iam.GetUserInput{UserName: aws.String("survivor")}))(t)
		}
	})

	t.Run("BillingGate", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "invoices.json")
		if err := os.WriteFile(file, []byte(invoicesJSON), 0o600); err != nil {
			t.Fatal(err)
		}
		r := gatehouseCLI(t, creds{}, "", "billing", "import", "--data", srv.DataDir, "--account", accountID, file)
		if r.Code != 0 {
			t.Fatalf("billing import: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
		}

		sel := &invtypes.InvoiceSummariesSelector{ResourceType: invtypes.ListInvoiceSummariesResourceTypeAccountId, Value: aws.String(accountID)}
		list := func(c creds) ([]string, error) {
			out, err := srv.invoicing(t, c).ListInvoiceSummaries(ctx, &invoicing.ListInvoiceSummariesInput{Selector: sel})
			if err != nil {
				return nil, err
			}
			var ids []string
			for _, s := range out.InvoiceSummaries {
				ids = append(ids, aws.ToString(s.InvoiceId))
			}
			slices.Sort(ids)
			return ids, nil
		}
		both := []string{invoiceEMEA, invoiceInc}

		// Switch DENY (as BillingAccess left it): the admin is refused.
		_, err := list(admin)
		wantErrMessage(t, err, "AccessDeniedException", http.StatusBadRequest,
			"User: "+adminARN+" is not authorized to perform: invoicing:ListInvoiceSummaries on resource: * because IAM user and role access to Billing information is not activated for account "+accountID+" (only the root user can activate it)")
		audits = append(audits, wantAudit{adminARN, "IAMUser", "invoicing", "ListInvoiceSummaries", "explicitDeny", "AccessDenied"})
		if ids := must(list(rootCreds))(t); !slices.Equal(ids, both) {
			t.Errorf("root lists %v with the switch off, want %v", ids, both)
		}

		// Switch ALLOW.
		needConsole(t)
		cliOK(t, console, "", "billing", "iam-access", "--enable", endpoint)
		if ids := must(list(admin))(t); !slices.Equal(ids, both) {
			t.Errorf("admin lists %v with the switch on, want %v", ids, both)
		}
		pdf := must(srv.invoicing(t, admin).GetInvoicePDF(ctx, &invoicing.GetInvoicePDFInput{InvoiceId: aws.String(invoiceEMEA)}))(t)
		if pdf.InvoicePDF == nil || aws.ToString(pdf.InvoicePDF.InvoiceId) != invoiceEMEA {
			t.Fatalf("GetInvoicePDF(%s) = %+v", invoiceEMEA, pdf.InvoicePDF)
		}
		wantPDF(t, aws.ToString(pdf.InvoicePDF.DocumentUrl))

		_, err = srv.invoicing(t, admin).GetInvoicePDF(ctx, &invoicing.GetInvoicePDFInput{InvoiceId: aws.String(invoiceInc)})
		wantErrMessage(t, err, "AccessDeniedException", http.StatusBadRequest,
			"User: "+adminARN+" is not authorized to download invoice "+invoiceInc+" because tax invoices issued by Amazon Web Services, Inc. can be downloaded by the account's root user only")
		// The root-only tax invoice rule is a root rule of authorization
		// (docs/invoicing.md, Authorization 3; docs/architecture.md: root
		// rules and gates decide), so its refusal is audited as a deny.
		audits = append(audits, wantAudit{adminARN, "IAMUser", "invoicing", "GetInvoicePDF", "explicitDeny", "AccessDenied"})
		// Root's key downloads the VAT invoice, but AWS Inc.'s tax invoice
		// only in a sign-in (the console's Bills page).
		pdf = must(srv.invoicing(t, rootCreds).GetInvoicePDF(ctx, &invoicing.GetInvoicePDFInput{InvoiceId: aws.String(invoiceEMEA)}))(t)
		wantPDF(t, aws.ToString(pdf.InvoicePDF.DocumentUrl))
		_, err = srv.invoicing(t, rootCreds).GetInvoicePDF(ctx, &invoicing.GetInvoicePDFInput{InvoiceId: aws.String(invoiceInc)})
		wantErrMessage(t, err, "AccessDeniedException", http.StatusBadRequest, consoleDenied(rootARN, "invoicing:GetInvoicePDF", "*", msgSignInNeeded))
		audits = append(audits, wantAudit{rootARN, "Root", "invoicing", "GetInvoicePDF", "explicitDeny", "AccessDenied"})
		pdf = must(srv.invoicing(t, console).GetInvoicePDF(ctx, &invoicing.GetInvoicePDFInput{InvoiceId: aws.String(invoiceInc)}))(t)
		wantPDF(t, aws.ToString(pdf.InvoicePDF.DocumentUrl))
	})

	t.Run("Audit", func(t *testing.T) {
		if err := srv.stop(t); err != nil {
			t.Fatalf("gatehouse after SIGTERM: %v", err)
		}
		recs, _ := auditList(t, srv.DataDir)
		// Each expected refusal takes its own record, in order: the admin's
		// ReopenAccount is refused twice, for two reasons.
		used := make([]bool, len(recs))
		for _, w := range audits {
			var near []string
			found := false
			for i, r := range recs {
				if used[i] || r.PrincipalARN != w.principalARN || r.Service != w.service || r.Action != w.action || r.ErrorCode != w.errorCode {
					continue
				}
				// Every refusal listed is of an access key or an STS
				// session, none of a sign-in.
				if r.PrincipalType == w.principalType && r.Decision == w.decision && r.AccountID == accountID && !r.SignIn && !r.MFA {
					used[i], found = true, true
					break
				}
				near = append(near, fmt.Sprintf("principalType %s, decision %s, account %s, signIn %v, mfa %v", r.PrincipalType, r.Decision, r.AccountID, r.SignIn, r.MFA))
			}
			if !found {
				t.Errorf("no audit record of %s refused %s:%s (%s) with principalType %s, decision %q; records of it: %v",
					w.principalARN, w.service, w.action, w.errorCode, w.principalType, w.decision, near)
			}
		}
		// Each console-only task root did was done in a sign-in (root
		// has no MFA device here), and root's key was refused each.
		consoleOnly := []string{"ChangeRootPassword", "StartRootEmailUpdate", "ConfirmRootEmailUpdate", "UpdateIAMBillingAccess", "CloseAccount", "ReopenAccount"}
		done := map[string]int{}
		for _, r := range recs {
			if r.Service != "gatehouse" || !slices.Contains(consoleOnly, r.Action) || r.Decision != "allowed" {
				continue
			}
			done[r.Action]++
			if r.PrincipalARN != rootARN || !r.SignIn || r.MFA || !strings.HasPrefix(r.AccessKeyID, "ASIA") {
				t.Errorf("audit record %d: %s allowed to %s (key %s, signIn %v, mfa %v); want root's sign-in session without MFA",
					r.Seq, r.Action, r.PrincipalARN, r.AccessKeyID, r.SignIn, r.MFA)
			}
		}
		for _, op := range consoleOnly {
			if done[op] == 0 {
				t.Errorf("no audit record of root's %s allowed", op)
			}
		}
	})
}

// outboxMessage is a message as `gatehouse outbox list --json` prints it.
type outboxMessage struct {
	To, Subject, Body string
}

// outboxMessages reads the outbox with `gatehouse outbox list --json`,
// run on the live server's data directory.
func outboxMessages(t testing.TB, dataDir string) []outboxMessage {
	t.Helper()
	r := gatehouseCLI(t, creds{}, "", "outbox", "list", "--data", dataDir, "--account", accountID, "--json")
	if r.Code != 0 {
		t.Fatalf("outbox list: exit %d\n%s", r.Code, r.Stderr)
	}
	var msgs []outboxMessage
	if err := json.Unmarshal([]byte(r.Stdout), &msgs); err != nil {
		t.Fatalf("outbox list printed no JSON array: %v\n%s", err, r.Stdout)
	}
	return msgs
}

// confirmationCode reads the email confirmation code sent to addr from
// the outbox.
func confirmationCode(t testing.TB, dataDir, addr string) string {
	t.Helper()
	codeRE := regexp.MustCompile(`Confirmation code: ([0-9]{6})\b`)
	code := ""
	for _, m := range outboxMessages(t, dataDir) {
		if m.To == addr {
			if c := codeRE.FindStringSubmatch(m.Body); c != nil {
				code = c[1]
			}
		}
	}
	if code == "" {
		t.Fatalf("no confirmation code to %s in the outbox", addr)
	}
	return code
}

// wantPDF downloads a presigned invoice URL and checks it is a PDF.
func wantPDF(t testing.TB, url string) {
	t.Helper()
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !bytes.HasPrefix(body, []byte("%PDF-")) {
		t.Fatalf("GET %s: HTTP %d, %d bytes starting %q; want 200 and a PDF", url, resp.StatusCode, len(body), body[:min(len(body), 16)])
	}
}

func stringOf(v any) string {
	s, _ := v.(string)
	return s
}
