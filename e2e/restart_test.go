package e2e

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestRestart checks that everything survives a clean stop (SIGTERM) and
// that every write the API acknowledged survives a crash (SIGKILL).
func TestRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, _, admin, adminKey := adminSetup(t)
	dataDir := srv.DataDir

	// What the first run creates.
	userKey := newUserWithKey(t, admin, "keeper")
	must(admin.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("keeper"), NewPath: aws.String("/kept/")}))(t)
	must(admin.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("keeper"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("core")}}}))(t)
	retired := must(admin.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("keeper")}))(t).AccessKey
	retiredKey := creds{ID: aws.ToString(retired.AccessKeyId), Secret: aws.ToString(retired.SecretAccessKey)}
	must(admin.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("keeper"), AccessKeyId: retired.AccessKeyId, Status: types.StatusTypeInactive}))(t)
	must(admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("keeper"), PolicyName: aws.String("self"), PolicyDocument: aws.String(docGetUser)}))(t)
	must(admin.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("kept-group")}))(t)
	must(admin.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("kept-group"), UserName: aws.String("keeper")}))(t)
	polARN := policyARN("kept-policy")
	must(admin.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("kept-policy"), PolicyDocument: aws.String(docGetUser)}))(t)
	must(admin.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(polARN), PolicyDocument: aws.String(docListUsers), SetAsDefault: true}))(t)
	must(admin.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("kept-group"), PolicyArn: aws.String(polARN)}))(t)
	must(admin.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("kept-alias")}))(t)

	if err := srv.stop(t); err != nil {
		t.Fatalf("gatehouse after SIGTERM: %v (want exit status 0)\nstderr:\n%s", err, tail(srv.stderr.String(), 2000))
	}

	srv = startServer(t, serverOptions{DataDir: dataDir})
	t.Run("AfterStop", func(t *testing.T) {
		if strings.Contains(srv.stdout.String(), "Created account") {
			t.Errorf("the restart bootstrapped a new account:\n%s", srv.stdout)
		}
		admin := srv.iam(t, adminKey)
		if got := srv.callerARN(t, rootCreds); got != "arn:aws:iam::"+accountID+":root" {
			t.Errorf("root after restart = %s", got)
		}
		if got := srv.callerARN(t, userKey); got != "arn:aws:iam::"+accountID+":user/kept/keeper" {
			t.Errorf("keeper's key after restart: caller %s", got)
		}
		_, err := srv.sts(t, retiredKey).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantErr(t, err, "InvalidClientTokenId", http.StatusForbidden)

		u := must(admin.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("keeper")}))(t).User
		if aws.ToString(u.Path) != "/kept/" || len(u.Tags) != 1 || aws.ToString(u.Tags[0].Value) != "core" {
			t.Errorf("keeper after restart: path %s, %d tags", aws.ToString(u.Path), len(u.Tags))
		}
		keys := keyStatuses(t, admin, "keeper")
		if len(keys) != 2 || keys[userKey.ID] != types.StatusTypeActive || keys[retiredKey.ID] != types.StatusTypeInactive {
			t.Errorf("keeper's keys after restart = %v", keys)
		}
		if names := must(admin.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("keeper")}))(t).PolicyNames; !slices.Equal(names, []string{"self"}) {
			t.Errorf("inline policies after restart = %v", names)
		}
		g := must(admin.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("kept-group")}))(t)
		if got := userNames(g.Users); !slices.Equal(got, []string{"keeper"}) {
			t.Errorf("group members after restart = %v", got)
		}
		p := must(admin.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(polARN)}))(t).Policy
		if aws.ToString(p.DefaultVersionId) != "v2" || aws.ToInt32(p.AttachmentCount) != 1 {
			t.Errorf("policy after restart: default %s, %d attachments", aws.ToString(p.DefaultVersionId), aws.ToInt32(p.AttachmentCount))
		}
		// keeper may list users only through the group's policy, v2.
		must(srv.iam(t, userKey).ListUsers(ctx, &iam.ListUsersInput{}))(t)
		if a := must(admin.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{}))(t).AccountAliases; !slices.Equal(a, []string{"kept-alias"}) {
			t.Errorf("aliases after restart = %v", a)
		}
	})

	// Four writers create users until the server is killed under them.
	var (
		mu       sync.Mutex
		acked    []string
		attempts atomic.Int64
		wg       sync.WaitGroup
	)
	const writers, perWriter = 4, 250
	c := srv.iam(t, adminKey) // safe for concurrent use
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				name := fmt.Sprintf("crash-%d-%03d", w, i)
				attempts.Add(1)
				callCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
				_, err := c.CreateUser(callCtx, &iam.CreateUserInput{UserName: aws.String(name)})
				cancel()
				if err != nil {
					return // the server is gone
				}
				mu.Lock()
				acked = append(acked, name)
				mu.Unlock()
			}
		}()
	}
	deadline := time.Now().Add(10 * time.Second)
	for attempts.Load() < 60 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	srv.kill(t)
	wg.Wait()
	if len(acked) == 0 || len(acked) == writers*perWriter {
		t.Fatalf("%d of %d CreateUser calls were acknowledged; the kill did not land mid-stream", len(acked), writers*perWriter)
	}

	srv = startServer(t, serverOptions{DataDir: dataDir})
	t.Run("AfterKill", func(t *testing.T) {
		admin := srv.iam(t, adminKey)
		have := map[string]bool{}
		p := iam.NewListUsersPaginator(admin, &iam.ListUsersInput{}, func(o *iam.ListUsersPaginatorOptions) { o.Limit = 1000 })
		for p.HasMorePages() {
			for _, u := range must(p.NextPage(ctx))(t).Users {
				have[aws.ToString(u.UserName)] = true
			}
		}
		var lost []string
		for _, name := range acked {
			if !have[name] {
				lost = append(lost, name)
			}
		}
		if len(lost) > 0 {
			t.Errorf("%d of %d acknowledged users are gone after SIGKILL: %v", len(lost), len(acked), lost)
		}
		t.Logf("%d CreateUser calls acknowledged before SIGKILL, all present after restart", len(acked))
		// The store is still writable.
		must(admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("after-crash")}))(t)
		if !have["keeper"] {
			t.Errorf("keeper is gone after SIGKILL")
		}
	})
}
