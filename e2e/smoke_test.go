package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// TestSmoke is the short check of a gatehouse binary (make image-test
// runs it, with TestRestart, on the binary of the container image): it
// starts, answers health, serves IAM and STS to the SDK as root and as an
// IAM user, denies what no policy allows, counts it all in /metrics, and
// gatehouse health agrees that it is up.
func TestSmoke(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := startServer(t, serverOptions{})

	resp, err := http.Get(srv.URL + "/_gatehouse/health")
	if err != nil {
		t.Fatal(err)
	}
	var h struct {
		Status, Store string
		Services      []string
	}
	err = json.NewDecoder(resp.Body).Decode(&h)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || h.Status != "ok" || h.Store != "ok" || !strings.Contains(strings.Join(h.Services, ","), "iam") {
		t.Errorf("health: HTTP %d %+v %v", resp.StatusCode, h, err)
	}

	if got := srv.callerARN(t, rootCreds); got != "arn:aws:iam::"+accountID+":root" {
		t.Errorf("root caller = %s", got)
	}
	root := srv.iam(t, rootCreds)
	key := newUserWithKey(t, root, "smoke")
	must(root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("smoke"), PolicyName: aws.String("get"), PolicyDocument: aws.String(docGetUser)}))(t)
	if got := srv.callerARN(t, key); got != userARN("smoke") {
		t.Errorf("smoke's caller = %s", got)
	}
	user := srv.iam(t, key)
	if u := must(user.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("smoke")}))(t).User; aws.ToString(u.Arn) != userARN("smoke") {
		t.Errorf("GetUser = %s", aws.ToString(u.Arn))
	}
	_, err = user.ListUsers(ctx, &iam.ListUsersInput{})
	wantErr(t, err, "AccessDenied", http.StatusForbidden)
	_, err = root.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("nobody")})
	wantErr(t, err, "NoSuchEntity", http.StatusNotFound)

	resp, err = http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`gatehouse_requests_total{error_code="",operation="CreateUser",service="iam"} 1`,
		`gatehouse_requests_total{error_code="AccessDenied",operation="ListUsers",service="iam"} 1`,
		`gatehouse_requests_total{error_code="NoSuchEntity",operation="GetUser",service="iam"} 1`,
		`gatehouse_authz_decisions_total{policy_type="identity",result="implicit_deny"} 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(string(body), rootSecret) || strings.Contains(string(body), key.Secret) {
		t.Error("/metrics shows a secret")
	}

	out, err := exec.Command(gatehouseBin, "health", "--addr", srv.Addr).CombinedOutput()
	if err != nil || !strings.Contains(string(out), `"status":"ok"`) {
		t.Errorf("gatehouse health: %v %s", err, out)
	}
}
