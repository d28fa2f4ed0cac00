package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/account"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// The seller's bank details and tax ID (docs/root-tasks.md D1): secrets
// that only ever leave the server masked to their last 4 digits.
const (
	sellerName    = "E2E Seller LLC"
	sellerBank    = "4920118873551207"
	sellerRouting = "021000021"
	sellerTaxID   = "98-7654321"
)

// TestSellerAndGovCloud plays the RI Marketplace seller registration (D1)
// and the AWS GovCloud (US) sign-up and root key request (C1, C2) through
// the gatehouse CLI, aws-sdk-go-v2 and the aws CLI against one server.
func TestSellerAndGovCloud(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := startServer(t, serverOptions{})
	endpoint := "--endpoint-url=" + srv.URL
	rootIAM := srv.iam(t, rootCreds)

	// An administrator with AdministratorAccess and an explicit "*" allow;
	// a reader granted only gatehouse:GetMarketplaceSellerProfile.
	admin := newUserWithKey(t, rootIAM, "admin", adminAccess)
	must(rootIAM.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("admin"), PolicyName: aws.String("everything"), PolicyDocument: aws.String(docAllowAll)}))(t)
	reader := newUserWithKey(t, rootIAM, "seller-reader")
	must(rootIAM.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("seller-reader"), PolicyName: aws.String("profile"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"gatehouse:GetMarketplaceSellerProfile","Resource":"*"}]}`)}))(t)
	adminARN := userARN("admin")
	// Registration and the GovCloud tasks are console tasks: root does
	// them in a sign-in, and its access key is refused.
	console := rootSignIn(t, srv, rootEmail, rootPassword, "")

	// Secrets whose full value must never leave the server.
	secrets := map[string]string{
		"bank account number":     sellerBank,
		"routing number":          sellerRouting,
		"tax ID":                  sellerTaxID,
		"tax ID without its dash": strings.ReplaceAll(sellerTaxID, "-", ""),
		"root sign-in secret":     console.Secret,
		"root sign-in token":      console.Token,
	}

	t.Run("Seller", func(t *testing.T) {
		stdin := sellerBank + "\n" + sellerRouting + "\n" + sellerTaxID + "\n"
		register := []string{"seller", "register", "--legal-name", sellerName, endpoint}
		cliRefused(t, admin, stdin, "RegisterMarketplaceSeller", "AccessDeniedException", rootOnlyDenied(adminARN, "RegisterMarketplaceSeller"), register...)

		wantMasked := func(who string, out map[string]any) {
			t.Helper()
			want := map[string]string{
				"Status":            "REGISTERED",
				"LegalName":         sellerName,
				"BankAccountNumber": "************1207",
				"RoutingNumber":     "*****0021",
				"TaxId":             "*****4321",
			}
			for k, v := range want {
				if got := stringOf(out[k]); got != v {
					t.Errorf("%s: %s = %q, want %q", who, k, got, v)
				}
			}
			if _, err := time.Parse(time.RFC3339, stringOf(out["RegisteredAt"])); err != nil {
				t.Errorf("%s: RegisteredAt %v: %v", who, out["RegisteredAt"], err)
			}
		}
		cliRefused(t, rootCreds, stdin, "RegisterMarketplaceSeller", "AccessDeniedException", keyRefused("RegisterMarketplaceSeller"), register...)
		wantMasked("root's seller register", cliOK(t, console, stdin, register...))
		wantMasked("root's seller profile", cliOK(t, rootCreds, "", "seller", "profile", endpoint))
		wantMasked("reader's seller profile", cliOK(t, reader, "", "seller", "profile", endpoint))
	})

	var govID, caseID string
	var govRoot creds // the GovCloud account's root key, once issued
	t.Run("GovCloud", func(t *testing.T) {
		acct := srv.account(t, rootCreds)
		_, err := acct.GetGovCloudAccountInformation(ctx, &account.GetGovCloudAccountInformationInput{})
		if e := errorOf(t, err); e.Code != "ResourceNotFoundException" {
			t.Errorf("GetGovCloudAccountInformation before sign-up: %s (HTTP %d) %q, want ResourceNotFoundException", e.Code, e.Status, e.Message)
		}

		cliRefused(t, admin, "", "SignUpGovCloud", "AccessDeniedException", rootOnlyDenied(adminARN, "SignUpGovCloud"), "govcloud", "sign-up", endpoint)
		cliRefused(t, rootCreds, "", "SignUpGovCloud", "AccessDeniedException", keyRefused("SignUpGovCloud"), "govcloud", "sign-up", endpoint)
		out := cliOK(t, console, "", "govcloud", "sign-up", endpoint)
		govID = stringOf(out["GovCloudAccountId"])
		if !regexp.MustCompile(`^[0-9]{12}$`).MatchString(govID) || govID == accountID {
			t.Fatalf("sign-up printed GovCloudAccountId %q, want a new 12-digit ID", govID)
		}
		if out["Partition"] != "aws-us-gov" || out["RootUserArn"] != "arn:aws-us-gov:iam::"+govID+":root" || out["AccountState"] != "ACTIVE" {
			t.Errorf("sign-up printed %v", out)
		}

		info := must(acct.GetGovCloudAccountInformation(ctx, &account.GetGovCloudAccountInformationInput{}))(t)
		if aws.ToString(info.GovCloudAccountId) != govID || info.AccountState != "ACTIVE" {
			t.Errorf("GetGovCloudAccountInformation = %s, %s; want %s, ACTIVE", aws.ToString(info.GovCloudAccountId), info.AccountState, govID)
		}

		awsOut := awsCLIv1(t, srv, "account", "get-gov-cloud-account-information")
		var cliInfo map[string]any
		if err := json.Unmarshal([]byte(awsOut), &cliInfo); err != nil {
			t.Fatalf("aws account get-gov-cloud-account-information printed no JSON: %v\n%s", err, awsOut)
		}
		if cliInfo["GovCloudAccountId"] != govID || cliInfo["AccountState"] != "ACTIVE" {
			t.Errorf("aws account get-gov-cloud-account-information printed %v, want %s, ACTIVE", cliInfo, govID)
		}

		cliRefused(t, admin, "", "RequestGovCloudRootAccessKeys", "AccessDeniedException", rootOnlyDenied(adminARN, "RequestGovCloudRootAccessKeys"), "govcloud", "request-root-keys", endpoint)
		cliRefused(t, rootCreds, "", "RequestGovCloudRootAccessKeys", "AccessDeniedException", keyRefused("RequestGovCloudRootAccessKeys"), "govcloud", "request-root-keys", endpoint)
		c := cliOK(t, console, "", "govcloud", "request-root-keys", endpoint)
		caseID = stringOf(c["CaseId"])
		if !regexp.MustCompile(`^case-`+accountID+`-[0-9]{10}$`).MatchString(caseID) || c["Status"] != "OPEN" || c["Kind"] != "GOVCLOUD_ROOT_ACCESS_KEYS" {
			t.Fatalf("request-root-keys printed %v", c)
		}
	})

	t.Run("Fulfil", func(t *testing.T) {
		if caseID == "" {
			t.Fatal("no support case: the GovCloud subtest failed")
		}
		r := gatehouseCLI(t, creds{}, "", "support", "fulfill", "--case", caseID, "--data", srv.DataDir)
		if r.Code != 0 {
			t.Fatalf("support fulfill: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
		}
		keyID := regexp.MustCompile(`(?m)^AccessKeyId:\s+(AKIA[A-Z0-9]{16})$`).FindStringSubmatch(r.Stdout)
		secret := regexp.MustCompile(`(?m)^SecretAccessKey:\s+([A-Za-z0-9/+]{40})$`).FindStringSubmatch(r.Stdout)
		if keyID == nil || secret == nil || !strings.Contains(r.Stdout, "Case "+caseID+" resolved.") ||
			!strings.Contains(r.Stdout, "arn:aws-us-gov:iam::"+govID+":root") {
			t.Fatalf("support fulfill printed:\n%s", r.Stdout)
		}
		if n := strings.Count(r.Stdout, secret[1]); n != 1 {
			t.Errorf("the secret is printed %d times, want once", n)
		}
		secrets["GovCloud root secret"] = secret[1]
		govRoot = creds{ID: keyID[1], Secret: secret[1], Region: govRegion}

		if out := cliOK(t, rootCreds, "", "govcloud", "case", "--id", caseID, endpoint); out["Status"] != "RESOLVED" || stringOf(out["ResolvedAt"]) == "" {
			t.Errorf("case printed %v, want RESOLVED with ResolvedAt", out)
		}

		again := gatehouseCLI(t, creds{}, "", "support", "fulfill", "--case", caseID, "--data", srv.DataDir)
		if again.Code != 1 || !strings.Contains(again.Stderr, "Support case "+caseID+" is RESOLVED.") || again.Stdout != "" {
			t.Errorf("second support fulfill: exit %d\nstdout: %s\nstderr: %s\nwant exit 1, nothing on stdout, the case is RESOLVED", again.Code, again.Stdout, again.Stderr)
		}
	})

	// The GovCloud account is an account of its own in partition
	// aws-us-gov: its root key works, and every ARN in it says so.
	t.Run("GovCloudAccount", func(t *testing.T) {
		if govRoot.ID == "" {
			t.Fatal("no GovCloud root key: the Fulfil subtest failed")
		}
		govARN := func(resource string) string { return "arn:aws-us-gov:iam::" + govID + ":" + resource }
		id := must(srv.sts(t, govRoot).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
		if aws.ToString(id.Account) != govID || aws.ToString(id.Arn) != govARN("root") {
			t.Fatalf("GetCallerIdentity with the GovCloud root key: %s %s", aws.ToString(id.Account), aws.ToString(id.Arn))
		}
		// It signs with a GovCloud region: a standard one would forge
		// aws:RequestedRegion, and is refused as AWS refuses it.
		_, err := srv.sts(t, creds{ID: govRoot.ID, Secret: govRoot.Secret, Region: "us-west-2"}).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if msg := wantErr(t, err, "SignatureDoesNotMatch", http.StatusForbidden); !strings.HasPrefix(msg, "Credential should be scoped to a valid region, not 'us-west-2'.") {
			t.Errorf("GovCloud root key signed for us-west-2: %q", msg)
		}
		govIAM := srv.iam(t, govRoot)
		u := must(govIAM.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("gov-ops")}))(t).User
		if aws.ToString(u.Arn) != govARN("user/gov-ops") {
			t.Errorf("CreateUser in the GovCloud account: Arn %s", aws.ToString(u.Arn))
		}
		k := must(govIAM.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("gov-ops")}))(t).AccessKey
		ops := creds{ID: aws.ToString(k.AccessKeyId), Secret: aws.ToString(k.SecretAccessKey), Region: govRegion}
		secrets["GovCloud user secret"] = ops.Secret
		_, err = srv.iam(t, ops).ListUsers(ctx, &iam.ListUsersInput{})
		wantErrMessage(t, err, "AccessDenied", http.StatusForbidden, "User: "+govARN("user/gov-ops")+
			" is not authorized to perform: iam:ListUsers on resource: * because no identity-based policy allows the iam:ListUsers action")
		// AWS managed policies are named in the account's partition.
		must(govIAM.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("gov-ops"),
			PolicyArn: aws.String("arn:aws-us-gov:iam::aws:policy/IAMReadOnlyAccess")}))(t)
		attached := must(govIAM.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("gov-ops")}))(t).AttachedPolicies
		if len(attached) != 1 || aws.ToString(attached[0].PolicyArn) != "arn:aws-us-gov:iam::aws:policy/IAMReadOnlyAccess" {
			t.Errorf("ListAttachedUserPolicies in the GovCloud account: %+v", attached)
		}
		users := must(srv.iam(t, ops).ListUsers(ctx, &iam.ListUsersInput{}))(t).Users
		if names := userNames(users); len(names) != 1 || names[0] != "gov-ops" {
			t.Errorf("ListUsers in the GovCloud account = %v, want only gov-ops", names)
		}
		// Roles and their sessions too.
		trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + govARN("user/gov-ops") +
			`"},"Action":"sts:AssumeRole"}]}`
		role := must(govIAM.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("gov-deploy"), AssumeRolePolicyDocument: aws.String(trust)}))(t).Role
		if aws.ToString(role.Arn) != govARN("role/gov-deploy") {
			t.Errorf("CreateRole in the GovCloud account: Arn %s", aws.ToString(role.Arn))
		}
		assumed := must(srv.sts(t, ops).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role.Arn, RoleSessionName: aws.String("s1")}))(t)
		if got, want := aws.ToString(assumed.AssumedRoleUser.Arn), "arn:aws-us-gov:sts::"+govID+":assumed-role/gov-deploy/s1"; got != want {
			t.Errorf("AssumeRole in the GovCloud account: %s, want %s", got, want)
		}
		secrets["GovCloud session secret"] = aws.ToString(assumed.Credentials.SecretAccessKey)
		// The accounts are apart: the standard root does not see the GovCloud user.
		_, err = rootIAM.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("gov-ops")})
		wantErr(t, err, "NoSuchEntity", http.StatusNotFound)
		// A GovCloud account does not sign up for GovCloud: sign-up is a
		// console task, and the GovCloud root user has only its access key
		// (no email address, so no sign-in), which is refused.
		cliRefused(t, govRoot, "", "SignUpGovCloud", "AccessDeniedException",
			consoleDenied(govARN("root"), "gatehouse:SignUpGovCloud", govARN("root"), msgSignInNeeded), "govcloud", "sign-up", endpoint)
	})

	t.Run("NoSecrets", func(t *testing.T) {
		if err := srv.stop(t); err != nil {
			t.Fatalf("gatehouse after SIGTERM: %v", err)
		}
		assertNoSecrets(t, secrets, map[string]string{"stdout": srv.stdout.String(), "stderr": srv.stderr.String()}, srv.DataDir)
	})
}

// awsCLIv1 runs the aws CLI on PATH (v1 here) with root's key against srv
// and returns its stdout.
func awsCLIv1(t *testing.T, srv *server, args ...string) string {
	t.Helper()
	cli, err := exec.LookPath("aws")
	if err != nil {
		t.Fatalf("the aws CLI is not on PATH (%v): %s", err, installHint)
	}
	if major := awsCLIMajor(t, cli); major != "1" {
		t.Fatalf("the aws CLI on PATH is v%s; this check is of v1: %s", major, installHint)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	missing := filepath.Join(t.TempDir(), "absent")
	cmd := exec.CommandContext(ctx, cli, append(args, "--endpoint-url", srv.URL, "--output", "json")...)
	cmd.Env = append(clientEnviron(),
		"AWS_ACCESS_KEY_ID="+rootKeyID,
		"AWS_SECRET_ACCESS_KEY="+rootSecret,
		"AWS_DEFAULT_REGION="+region,
		"AWS_CONFIG_FILE="+missing,
		"AWS_SHARED_CREDENTIALS_FILE="+missing,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=",
	)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("aws %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}
