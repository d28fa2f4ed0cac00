package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestEphemeralReset checks the test-suite mode: an in-memory server whose
// POST /_gatehouse/reset wipes everything and bootstraps the account again
// from the same environment.
func TestEphemeralReset(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := startServer(t, serverOptions{Ephemeral: true, EnableReset: true})
	root := srv.iam(t, rootCreds)
	adminKey := newUserWithKey(t, root, "admin", adminAccess)
	must(srv.iam(t, adminKey).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("temp")}))(t)

	// Without its header (what a cross-origin form could send) reset
	// does nothing.
	req := must(http.NewRequest(http.MethodPost, srv.URL+"/_gatehouse/reset", strings.NewReader("a=b")))(t)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp := must((&http.Client{Timeout: 10 * time.Second}).Do(req))(t)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("POST /_gatehouse/reset without %s: HTTP %d, want 403", resetHeader, resp.StatusCode)
	}
	srv.callerARN(t, adminKey) // nothing was wiped

	if status := postReset(t, srv); status != http.StatusOK {
		t.Fatalf("POST /_gatehouse/reset: HTTP %d, want 200", status)
	}
	if got := srv.callerARN(t, rootCreds); got != "arn:aws:iam::"+accountID+":root" {
		t.Errorf("root after reset = %s", got)
	}
	if users := must(root.ListUsers(ctx, &iam.ListUsersInput{}))(t).Users; len(users) != 0 {
		t.Errorf("users after reset = %v, want none", userNames(users))
	}
	_, err := srv.sts(t, adminKey).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantErr(t, err, "InvalidClientTokenId", http.StatusForbidden)
	// AWS managed policies are seeded again.
	must(root.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(adminAccess)}))(t)
	newUserWithKey(t, root, "admin", adminAccess)

	if srv.DataDir != "" {
		t.Errorf("an ephemeral server has data dir %q", srv.DataDir)
	}
}

// resetHeader is the header POST /_gatehouse/reset requires (README).
const resetHeader = "X-Gatehouse-Reset"

// postReset posts to /_gatehouse/reset, with the header it requires,
// and returns the HTTP status.
func postReset(t *testing.T, srv *server) int {
	t.Helper()
	req := must(http.NewRequest(http.MethodPost, srv.URL+"/_gatehouse/reset", nil))(t)
	req.Header.Set(resetHeader, "1")
	resp := must((&http.Client{Timeout: 10 * time.Second}).Do(req))(t)
	resp.Body.Close()
	return resp.StatusCode
}
