package e2e

import (
	"bytes"
	"context"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestSecrets checks that no secret access key or password reaches the
// server's logs or its data files, with debug logging on. The only
// exception is the one-time print of generated root credentials on the
// first start's stdout.
func TestSecrets(t *testing.T) {
	t.Parallel()

	t.Run("FixedEnvironment", func(t *testing.T) {
		srv := startServer(t, serverOptions{LogLevel: "debug"})
		secrets := map[string]string{"root secret access key": rootSecret, "root password": rootPassword}
		for label, s := range exerciseKeys(t, srv, rootCreds) {
			secrets[label] = s
		}
		if err := srv.stop(t); err != nil {
			t.Errorf("gatehouse after SIGTERM: %v", err)
		}
		if !strings.Contains(srv.stdout.String(), "root access key id:     "+rootKeyID) {
			t.Errorf("first start did not print the root access key ID:\n%s", srv.stdout)
		}
		assertNoSecrets(t, secrets, map[string]string{"stdout": srv.stdout.String(), "stderr": srv.stderr.String()}, srv.DataDir)
	})

	t.Run("GeneratedRootCredentials", func(t *testing.T) {
		srv := startServer(t, serverOptions{LogLevel: "debug", Env: map[string]string{
			"GATEHOUSE_ROOT_PASSWORD": "", "GATEHOUSE_ROOT_ACCESS_KEY_ID": "", "GATEHOUSE_ROOT_SECRET_ACCESS_KEY": "",
		}})
		printed := func(label string) string {
			m := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(label) + `: +(\S+)$`).FindStringSubmatch(srv.stdout.String())
			if m == nil {
				t.Fatalf("first start did not print the %s:\n%s", label, srv.stdout)
			}
			return m[1]
		}
		generated := creds{ID: printed("root access key id"), Secret: printed("root secret access key")}
		password := printed("root password")
		if got := srv.callerARN(t, generated); got != "arn:aws:iam::"+accountID+":root" {
			t.Fatalf("the printed root key is %s's, want root's", got)
		}
		secrets := map[string]string{"generated root secret access key": generated.Secret, "generated root password": password}
		for label, s := range exerciseKeys(t, srv, generated) {
			secrets[label] = s
		}
		if err := srv.stop(t); err != nil {
			t.Errorf("gatehouse after SIGTERM: %v", err)
		}
		for label, s := range map[string]string{"secret access key": generated.Secret, "password": password} {
			if n := strings.Count(srv.stdout.String(), s); n != 1 {
				t.Errorf("the generated root %s appears %d times on stdout, want once", label, n)
			}
		}
		stdoutAfterPrint := srv.stdout.String()[strings.Index(srv.stdout.String(), "These are shown once."):]
		assertNoSecrets(t, secrets, map[string]string{
			"stdout after the bootstrap print": stdoutAfterPrint, "stderr": srv.stderr.String(),
		}, srv.DataDir)

		again := startServer(t, serverOptions{DataDir: srv.DataDir, LogLevel: "debug", Env: map[string]string{
			"GATEHOUSE_ROOT_PASSWORD": "", "GATEHOUSE_ROOT_ACCESS_KEY_ID": "", "GATEHOUSE_ROOT_SECRET_ACCESS_KEY": "",
		}})
		again.callerARN(t, generated)
		if err := again.stop(t); err != nil {
			t.Errorf("gatehouse after SIGTERM: %v", err)
		}
		assertNoSecrets(t, secrets, map[string]string{"restart's stdout": again.stdout.String(), "restart's stderr": again.stderr.String()}, again.DataDir)
	})
}

// exerciseKeys makes the server handle every kind of secret: it creates a
// user with two keys, rotates one out, signs requests with good and bad
// secrets, and returns the secrets it created, by label.
func exerciseKeys(t *testing.T, srv *server, root creds) map[string]string {
	t.Helper()
	ctx := context.Background()
	rootIAM := srv.iam(t, root)
	user := newUserWithKey(t, rootIAM, "secretive", adminAccess)
	c := srv.iam(t, user)
	k := must(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{}))(t).AccessKey
	second := creds{ID: aws.ToString(k.AccessKeyId), Secret: aws.ToString(k.SecretAccessKey)}
	must(c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{AccessKeyId: aws.String(user.ID), Status: types.StatusTypeInactive}))(t)
	_, err := srv.sts(t, user).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantErr(t, err, "InvalidClientTokenId", http.StatusForbidden)
	must(srv.iam(t, second).DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(user.ID)}))(t)
	must(srv.iam(t, second).GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(second.ID)}))(t)
	// A wrong secret: the server must not log what it expected either.
	_, err = srv.sts(t, creds{ID: second.ID, Secret: strings.ToLower(second.Secret)}).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantErr(t, err, "SignatureDoesNotMatch", http.StatusForbidden)
	srv.rawSTS(t, nil)
	return map[string]string{"user's first secret": user.Secret, "user's second secret": second.Secret}
}

// assertNoSecrets fails the test for every secret (as sent, or
// URL-encoded) found in one of texts or in a file under dataDir. It names
// the secret by its label, never by its value.
func assertNoSecrets(t *testing.T, secrets, texts map[string]string, dataDir string) {
	t.Helper()
	found := func(hay []byte, secret string) bool {
		return bytes.Contains(hay, []byte(secret)) || bytes.Contains(hay, []byte(url.QueryEscape(secret)))
	}
	for src, text := range texts {
		for label, s := range secrets {
			if found([]byte(text), s) {
				t.Errorf("the %s appears in the server's %s", label, src)
			}
		}
	}
	files := 0
	err := filepath.WalkDir(dataDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for label, s := range secrets {
			if found(b, s) {
				t.Errorf("the %s appears in data file %s", label, filepath.Base(path))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("read data directory: %v", err)
	}
	if files == 0 {
		t.Errorf("data directory %s holds no files to check", dataDir)
	}
}
