package e2e

import (
	"bytes"
	"context"
	"encoding/base32"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"

	"github.com/gatehouse-dev/gatehouse/totp"
)

// rootARN is the root user of the test account.
const rootARN = "arn:aws:iam::" + accountID + ":root"

// Gatehouse's refusals of a console-only task (docs/root-tasks.md, Root
// sign-in): to a root credential that is not a sign-in's (root's access
// key, a GetSessionToken session), and to a sign-in made without MFA while
// root has an MFA device.
const (
	msgSignInNeeded = "This task is done only when you sign in as the root user: run 'gatehouse root sign-in' with the root " +
		"email and password (and an MFA code when root has an MFA device) and use the session it prints; " +
		"a root access key cannot do it."
	msgMFASignInNeeded = "This task needs a root sign-in with MFA: the root user has an MFA device, so sign in again with " +
		"'gatehouse root sign-in --mfa-code CODE'."
	// msgSignInMFACode is the sign-in's own refusal when root has MFA and
	// no code was given.
	msgSignInMFACode = "The root user has MFA: an MFA code (MFACode) is required to sign in."
)

// consoleDenied is the refusal of action on resource to a root principal
// that did not sign in as the task needs; why is msgSignInNeeded or
// msgMFASignInNeeded.
func consoleDenied(principalARN, action, resource, why string) string {
	return "User: " + principalARN + " is not authorized to perform: " + action + " on resource: " + resource + ". " + why
}

// keyRefused is the refusal of gatehouse operation op to the test
// account's root access key.
func keyRefused(op string) string {
	return consoleDenied(rootARN, "gatehouse:"+op, rootARN, msgSignInNeeded)
}

// rootSignIn signs root in the way docs/root-tasks.md shows: bash runs
// eval "$(gatehouse root sign-in --email EMAIL [--mfa-code CODE] --format env)"
// with the password on stdin, then prints the three variables the eval
// exported. It returns those credentials.
func rootSignIn(t testing.TB, srv *server, email, password, mfaCode string) creds {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatalf("bash not found: %v", err)
	}
	const script = `eval "$("$GATEHOUSE" root sign-in --email "$EMAIL" ${MFA_CODE:+--mfa-code "$MFA_CODE"} --format env --endpoint-url "$URL")"
[ -n "$AWS_ACCESS_KEY_ID" ] && [ -n "$AWS_SECRET_ACCESS_KEY" ] && [ -n "$AWS_SESSION_TOKEN" ] || exit 3
printf '%s\n' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN"`
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, "-c", script)
	cmd.Env = append(clientEnviron(), "GATEHOUSE="+gatehouseBin, "EMAIL="+email, "MFA_CODE="+mfaCode, "URL="+srv.URL)
	cmd.Stdin = strings.NewReader(password + "\n")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("eval \"$(gatehouse root sign-in --email %s --format env)\" (MFA code given: %v): %v\n%s", email, mfaCode != "", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "ASIA") || len(lines[1]) != 40 || lines[2] == "" {
		t.Fatalf("after eval of the sign-in's export lines the AWS_* variables are %d lines, key %q", len(lines), lines[0])
	}
	return creds{ID: lines[0], Secret: lines[1], Token: lines[2]}
}

// TestRootConsoleMFA is issue 14's story: root has an MFA device, and its
// access key has leaked. The key cannot change the root email address,
// flip the billing access switch or close the account; neither can a
// sign-in session made before root had MFA; a sign-in without an MFA code
// is refused. Root signs in with its password and a code and does all
// three, and the audit trail shows each refusal and each success with how
// the caller signed in.
func TestRootConsoleMFA(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := startServer(t, serverOptions{})
	endpoint := "--endpoint-url=" + srv.URL
	rootIAM := srv.iam(t, rootCreds)
	const newEmail = "mfa-root@e2e.gatehouse.test"

	// A sign-in while root has no MFA device: password only.
	early := rootSignIn(t, srv, rootEmail, rootPassword, "")

	// Root enables a virtual MFA device with its own key (no UserName:
	// the caller's own device), with two consecutive real codes.
	dev := must(rootIAM.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("root-account-mfa-device")}))(t).VirtualMFADevice
	serial := aws.ToString(dev.SerialNumber)
	if serial != "arn:aws:iam::"+accountID+":mfa/root-account-mfa-device" {
		t.Fatalf("SerialNumber %s", serial)
	}
	b32 := string(dev.Base32StringSeed)
	seed, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimRight(b32, "="))
	if err != nil || len(seed) < 10 {
		t.Fatalf("Base32StringSeed does not decode to a seed: %d bytes, %v", len(seed), err)
	}
	// The IAM model requires UserName (AWS lets root enable MFA only in
	// its console); Gatehouse, with no console, takes the call without
	// one from root as root's own. The SDK's check of required members
	// is taken off this client so that it sends what the server expects.
	rootOwnIAM := iam.New(rootIAM.Options(), func(o *iam.Options) {
		o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
			_, err := st.Initialize.Remove("OperationInputValidation")
			return err
		})
	})
	step := totp.Step(time.Now())
	must(rootOwnIAM.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(codeAt(seed, step)), AuthenticationCode2: aws.String(codeAt(seed, step+1))}))(t)
	devices := must(rootIAM.ListMFADevices(ctx, &iam.ListMFADevicesInput{}))(t).MFADevices
	if len(devices) != 1 || aws.ToString(devices[0].SerialNumber) != serial {
		t.Fatalf("root's ListMFADevices after enabling: %+v", devices)
	}

	// The three tasks, as the gatehouse CLI runs them.
	changeEmail := []string{"root", "change-email", "--new", newEmail, endpoint}
	billingOn := []string{"billing", "iam-access", "--enable", endpoint}
	closeAccount := []string{"root", "close-account", endpoint}
	tasks := []struct {
		op   string
		args []string
	}{{"StartRootEmailUpdate", changeEmail}, {"UpdateIAMBillingAccess", billingOn}, {"CloseAccount", closeAccount}}

	var minted creds // a GetSessionToken session of root's key
	t.Run("LeakedKey", func(t *testing.T) {
		for _, task := range tasks {
			cliRefused(t, rootCreds, "", task.op, "AccessDeniedException", keyRefused(task.op), task.args...)
		}
		// Nor does a session the key gets from STS: it is no sign-in.
		st := must(srv.sts(t, rootCreds).GetSessionToken(ctx, &sts.GetSessionTokenInput{}))(t)
		minted = tempCreds(t, st.Credentials)
		cliRefused(t, minted, "", "CloseAccount", "AccessDeniedException", keyRefused("CloseAccount"), closeAccount...)
	})

	t.Run("SignInWithoutMFA", func(t *testing.T) {
		// The session root made before it had a device no longer does.
		for _, task := range tasks {
			cliRefused(t, early, "", task.op, "AccessDeniedException",
				consoleDenied(rootARN, "gatehouse:"+task.op, rootARN, msgMFASignInNeeded), task.args...)
		}
		// A new sign-in needs a code.
		r := gatehouseCLI(t, creds{}, rootPassword+"\n", "root", "sign-in", "--email", rootEmail, "--format", "env", endpoint)
		want := "gatehouse root sign-in: An error occurred (AccessDeniedException) when signing in: " + msgSignInMFACode + "\n"
		if r.Code != 1 || r.Stderr != want || r.Stdout != "" {
			t.Errorf("sign-in without an MFA code: exit %d\nstdout: %q\nstderr: %q\nwant exit 1 and stderr %q", r.Code, r.Stdout, r.Stderr, want)
		}
	})
	// Nothing changed.
	if out := cliOK(t, rootCreds, "", "billing", "iam-access", endpoint); out["IamUserAccessToBilling"] != "DENY" {
		t.Fatalf("billing iam-access after the refusals: %v, want DENY", out)
	}
	if out := cliOK(t, rootCreds, "", "root", "status", endpoint); out["AccountState"] != "ACTIVE" {
		t.Fatalf("root status after the refusals: %v, want ACTIVE", out)
	}

	// The codes up to step+1 enabled the device; step+2 is fresh, and
	// inside the server's window from step+1 on.
	waitForStep(t, step+1)
	console := rootSignIn(t, srv, rootEmail, rootPassword, codeAt(seed, max(step+2, totp.Step(time.Now()))))
	if console.ID == early.ID {
		t.Fatalf("the MFA sign-in returned the earlier session's key")
	}

	t.Run("SignInWithMFA", func(t *testing.T) {
		if out := cliOK(t, console, "", changeEmail...); out["Status"] != "PENDING" {
			t.Fatalf("change-email printed %v, want Status PENDING", out)
		}
		code := confirmationCode(t, srv.DataDir, newEmail)
		// Even with the code from the mailbox, the key cannot confirm.
		confirm := []string{"root", "confirm-email", "--new", newEmail, "--code", code, endpoint}
		cliRefused(t, rootCreds, "", "ConfirmRootEmailUpdate", "AccessDeniedException", keyRefused("ConfirmRootEmailUpdate"), confirm...)
		if out := cliOK(t, console, "", confirm...); out["Status"] != "ACCEPTED" {
			t.Fatalf("confirm-email printed %v, want Status ACCEPTED", out)
		}

		if out := cliOK(t, console, "", billingOn...); out["IamUserAccessToBilling"] != "ALLOW" {
			t.Fatalf("billing iam-access --enable printed %v, want ALLOW", out)
		}
		if out := cliOK(t, rootCreds, "", "billing", "iam-access", endpoint); out["IamUserAccessToBilling"] != "ALLOW" {
			t.Errorf("billing iam-access read with root's key: %v, want ALLOW", out)
		}

		out := cliOK(t, console, "", closeAccount...)
		if out["AccountState"] != "CLOSED" {
			t.Fatalf("close-account printed %v, want AccountState CLOSED", out)
		}
		cliRefused(t, rootCreds, "", "GetAccountStatus", "AccessDeniedException", accountClosed, "root", "status", endpoint)
		if out := cliOK(t, console, "", "root", "status", endpoint); out["AccountState"] != "CLOSED" {
			t.Errorf("the signed-in root's status: %v, want CLOSED", out)
		}
	})
	if t.Failed() {
		t.FailNow()
	}

	if err := srv.stop(t); err != nil {
		t.Fatalf("gatehouse after SIGTERM: %v", err)
	}
	recs, raw := auditList(t, srv.DataDir)

	t.Run("Audit", func(t *testing.T) {
		type want struct {
			service, action, accessKey, decision, errorCode string
			signIn, mfa                                     bool
		}
		const deny, allow = "explicitDeny", "allowed"
		var wants []want
		for _, task := range tasks {
			wants = append(wants, want{"gatehouse", task.op, rootKeyID, deny, "AccessDenied", false, false})
		}
		wants = append(wants, want{"gatehouse", "CloseAccount", minted.ID, deny, "AccessDenied", false, false})
		for _, task := range tasks {
			wants = append(wants, want{"gatehouse", task.op, early.ID, deny, "AccessDenied", true, false})
		}
		wants = append(wants,
			want{"signin", "ConsoleLogin", "", "", "", true, false}, // the early sign-in
			want{"signin", "ConsoleLogin", "", "", "AccessDenied", false, false},
			want{"signin", "ConsoleLogin", "", "", "", true, true},
			want{"gatehouse", "StartRootEmailUpdate", console.ID, allow, "", true, true},
			want{"gatehouse", "ConfirmRootEmailUpdate", rootKeyID, deny, "AccessDenied", false, false},
			want{"gatehouse", "ConfirmRootEmailUpdate", console.ID, allow, "", true, true},
			want{"gatehouse", "UpdateIAMBillingAccess", console.ID, allow, "", true, true},
			want{"gatehouse", "CloseAccount", console.ID, allow, "", true, true},
		)
		// Each on a record of its own.
		used := make([]bool, len(recs))
		for _, w := range wants {
			found := false
			var near []string
			for i, r := range recs {
				if used[i] || r.Service != w.service || r.Action != w.action || r.AccessKeyID != w.accessKey || r.ErrorCode != w.errorCode {
					continue
				}
				if (w.decision != "" && r.Decision != w.decision) || r.SignIn != w.signIn || r.MFA != w.mfa {
					near = append(near, fmt.Sprintf("seq %d: decision %q, signIn %v, mfa %v", r.Seq, r.Decision, r.SignIn, r.MFA))
					continue
				}
				if r.PrincipalARN != rootARN || r.PrincipalType != "Root" || !r.Root || r.AccountID != accountID {
					t.Errorf("audit record %d of %s:%s: principal %s (%s, root %v), account %s; want %s (Root) of %s",
						r.Seq, w.service, w.action, r.PrincipalARN, r.PrincipalType, r.Root, r.AccountID, rootARN, accountID)
				}
				found, used[i] = true, true
				break
			}
			if !found {
				t.Errorf("no audit record of %s:%s by %q with decision %q, error %q, signIn %v, mfa %v; other records of it: %v",
					w.service, w.action, w.accessKey, w.decision, w.errorCode, w.signIn, w.mfa, near)
			}
		}
		if t.Failed() {
			t.Logf("audit list --json:\n%s", tail(raw, 8000))
		}

		// The text table says the same in its CREDENTIAL column.
		cmd := exec.Command(gatehouseBin, "audit", "list", "--data", srv.DataDir, "--limit", "0")
		cmd.Env = environ(nil)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("gatehouse audit list: %v", err)
		}
		for _, w := range []struct{ action, credential, errorCode string }{
			{"gatehouse:CloseAccount", "key", "AccessDenied"},
			{"gatehouse:CloseAccount", "sign-in", "AccessDenied"},
			{"gatehouse:CloseAccount", "sign-in+mfa", "-"},
			{"signin:ConsoleLogin", "sign-in+mfa", "-"},
		} {
			found := false
			for _, line := range strings.Split(string(out), "\n") {
				f := strings.Fields(line)
				if len(f) >= 9 && f[4] == w.credential && f[5] == w.action && f[8] == w.errorCode {
					found = true
				}
			}
			if !found {
				t.Errorf("gatehouse audit list shows no %s line with CREDENTIAL %s and ERROR %s:\n%s", w.action, w.credential, w.errorCode, out)
			}
		}
	})

	t.Run("NoSecrets", func(t *testing.T) {
		secrets := map[string]string{
			"root password": rootPassword, "root secret access key": rootSecret, "TOTP seed (base32)": b32,
			"early sign-in secret": early.Secret, "early sign-in token": early.Token,
			"MFA sign-in secret": console.Secret, "MFA sign-in token": console.Token,
			"root's STS session secret": minted.Secret, "root's STS session token": minted.Token,
		}
		assertNoSecrets(t, secrets, map[string]string{"stdout": srv.stdout.String(), "stderr": srv.stderr.String(), "audit list --json": raw}, srv.DataDir)
	})
}
