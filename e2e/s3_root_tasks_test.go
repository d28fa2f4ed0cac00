package e2e

import (
	"context"
	"encoding/base32"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go/middleware"

	"github.com/gatehouse-dev/gatehouse/totp"
)

// s3api runs aws CLI v2's s3api (over HTTPS, trusting the test
// certificate) with c and returns its stdout, stderr and exit code.
func s3api(t *testing.T, srv *server, c creds, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	missing := filepath.Join(t.TempDir(), "absent")
	cmd := exec.CommandContext(ctx, awsV2Path, append(append([]string{"s3api"}, args...), "--endpoint-url", srv.URL, "--output", "json")...)
	cmd.Env = append(clientEnviron(), "AWS_ACCESS_KEY_ID="+c.ID, "AWS_SECRET_ACCESS_KEY="+c.Secret, "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE="+missing, "AWS_SHARED_CREDENTIALS_FILE="+missing, "AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=",
		"AWS_CA_BUNDLE="+srv.CA, "AWS_MAX_ATTEMPTS=1")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("aws s3api %s: %v", strings.Join(args, " "), err)
		}
		code = ee.ExitCode()
	}
	return stdout.String(), stderr.String(), code
}

// s3apiOK runs s3api and fails the test unless it succeeds.
func s3apiOK(t *testing.T, srv *server, c creds, args ...string) string {
	t.Helper()
	out, errOut, code := s3api(t, srv, c, args...)
	if code != 0 {
		t.Fatalf("aws s3api %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	return out
}

// s3apiRefused runs s3api and checks it fails with the error code and,
// when given, a message containing msg.
func s3apiRefused(t *testing.T, srv *server, c creds, code, msg string, args ...string) {
	t.Helper()
	out, errOut, exit := s3api(t, srv, c, args...)
	if exit == 0 || !strings.Contains(errOut, "("+code+")") || !strings.Contains(errOut, msg) {
		t.Errorf("aws s3api %s: exit %d, stdout %q, stderr %q; want %s %q", strings.Join(args, " "), exit, out, errOut, code, msg)
	}
}

// TestS3RootTasks plays the two S3 tasks AWS reserves for the root user,
// over HTTPS with the aws CLI v2 and real TOTP codes:
//   - MFA delete: only root, with a fresh code of its MFA device, enables
//     it, and then only root with a fresh code deletes a version; an IAM
//     administrator cannot, and a code is accepted once;
//   - the bucket-policy lock-out: an administrator's deny-all policy
//     locks everyone out, root included, but root can still read and
//     delete the policy, and the audit trail marks that exception.
func TestS3RootTasks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := startServer(t, serverOptions{TLS: true})
	root := srv.iam(t, rootCreds)
	admin := newUserWithKey(t, root, "admin", adminAccess)
	const bucket = "root-tasks"
	body := filepath.Join(t.TempDir(), "body.txt")
	if err := os.WriteFile(body, []byte("version one\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	s3apiOK(t, srv, admin, "create-bucket", "--bucket", bucket)
	s3apiOK(t, srv, admin, "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Enabled")
	var put struct{ VersionId string }
	for range 2 {
		if err := json.Unmarshal([]byte(s3apiOK(t, srv, admin, "put-object", "--bucket", bucket, "--key", "doc", "--body", body)), &put); err != nil || put.VersionId == "" {
			t.Fatalf("put-object gave no VersionId (%v)", err)
		}
	}
	older := put.VersionId // the second, now latest; the first is older
	versions := func() []string {
		var out struct{ Versions []struct{ VersionId string } }
		if err := json.Unmarshal([]byte(s3apiOK(t, srv, admin, "list-object-versions", "--bucket", bucket)), &out); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, v := range out.Versions {
			ids = append(ids, v.VersionId)
		}
		return ids
	}
	if got := versions(); len(got) != 2 {
		t.Fatalf("versions %v, want 2", got)
	}

	t.Run("MFADelete", func(t *testing.T) {
		// Root enables a virtual MFA device (two consecutive codes).
		dev := must(root.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("root-account-mfa-device")}))(t).VirtualMFADevice
		serial := aws.ToString(dev.SerialNumber)
		seed, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimRight(string(dev.Base32StringSeed), "="))
		if err != nil {
			t.Fatal(err)
		}
		rootOwn := iam.New(root.Options(), func(o *iam.Options) {
			o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
				_, err := st.Initialize.Remove("OperationInputValidation")
				return err
			})
		})
		step := totp.Step(time.Now())
		must(rootOwn.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{SerialNumber: aws.String(serial),
			AuthenticationCode1: aws.String(codeAt(seed, step)), AuthenticationCode2: aws.String(codeAt(seed, step+1))}))(t)
		enable := []string{"put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Enabled,MFADelete=Enabled"}

		// An administrator cannot, even with a well-formed header.
		s3apiRefused(t, srv, admin, "AccessDenied", "Access Denied", append(enable, "--mfa", serial+" "+codeAt(seed, step+2))...)
		// Root cannot without a code.
		s3apiRefused(t, srv, rootCreds, "AccessDenied", "Mfa Authentication must be used for this request", enable...)
		// Root with a fresh code can (the device took step+1 already).
		waitForStep(t, step+1)
		code := codeAt(seed, step+2)
		s3apiOK(t, srv, rootCreds, append(enable, "--mfa", serial+" "+code)...)
		if out := s3apiOK(t, srv, admin, "get-bucket-versioning", "--bucket", bucket); !strings.Contains(out, `"MFADelete": "Enabled"`) {
			t.Errorf("get-bucket-versioning after enabling MFA delete: %s", out)
		}
		// The same code again is refused.
		s3apiRefused(t, srv, rootCreds, "AccessDenied", "Access Denied", append(enable, "--mfa", serial+" "+code)...)

		// Deleting a version: not the administrator, not root without a
		// code; root with a fresh one.
		del := []string{"delete-object", "--bucket", bucket, "--key", "doc", "--version-id", older}
		s3apiRefused(t, srv, admin, "AccessDenied", "Mfa Authentication must be used for this request", del...)
		s3apiRefused(t, srv, rootCreds, "AccessDenied", "Mfa Authentication must be used for this request", del...)
		s3apiRefused(t, srv, admin, "AccessDenied", "Access Denied", append(del, "--mfa", serial+" "+codeAt(seed, step+3))...)
		if got := versions(); len(got) != 2 {
			t.Fatalf("versions after the refusals %v, want both", got)
		}
		// A plain delete only adds a delete marker: no MFA needed.
		s3apiOK(t, srv, admin, "delete-object", "--bucket", bucket, "--key", "doc")
		waitForStep(t, step+2)
		s3apiOK(t, srv, rootCreds, append(del, "--mfa", serial+" "+codeAt(seed, step+3))...)
		for _, id := range versions() {
			if id == older {
				t.Errorf("version %s still listed after root deleted it", older)
			}
		}
	})

	t.Run("PolicyLockout", func(t *testing.T) {
		denyAll := `{"Version":"2012-10-17","Statement":[{"Sid":"oops","Effect":"Deny","Principal":"*","Action":"s3:*",` +
			`"Resource":["arn:aws:s3:::` + bucket + `","arn:aws:s3:::` + bucket + `/*"]}]}`
		s3apiOK(t, srv, admin, "put-bucket-policy", "--bucket", bucket, "--policy", denyAll)
		for _, c := range []creds{admin, rootCreds} {
			s3apiRefused(t, srv, c, "AccessDenied", "", "list-objects-v2", "--bucket", bucket)
		}
		s3apiRefused(t, srv, admin, "AccessDenied", "", "get-bucket-policy", "--bucket", bucket)
		s3apiRefused(t, srv, admin, "AccessDenied", "", "delete-bucket-policy", "--bucket", bucket)
		// Root reads and removes the policy, and access comes back.
		if out := s3apiOK(t, srv, rootCreds, "get-bucket-policy", "--bucket", bucket); !strings.Contains(out, "oops") {
			t.Errorf("root's get-bucket-policy: %s", out)
		}
		s3apiOK(t, srv, rootCreds, "delete-bucket-policy", "--bucket", bucket)
		s3apiOK(t, srv, admin, "list-objects-v2", "--bucket", bucket)

		// The audit trail shows root's two uses of the exception.
		if err := srv.stop(t); err != nil {
			t.Fatalf("gatehouse after SIGTERM: %v", err)
		}
		recs, raw := auditList(t, srv.DataDir)
		exceptions := map[string]bool{}
		for _, r := range recs {
			if r.Decision == "allowedByRootException" {
				if !r.Root || r.Resource != "arn:aws:s3:::"+bucket {
					t.Errorf("root exception record %+v: want root on the bucket", r)
				}
				exceptions[r.Action] = true
			}
		}
		if !exceptions["GetBucketPolicy"] || !exceptions["DeleteBucketPolicy"] || len(exceptions) != 2 {
			t.Errorf("root exception records for %v, want GetBucketPolicy and DeleteBucketPolicy\n%s", exceptions, tail(raw, 4000))
		}
	})
}
