package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// TestEveryAWSManagedPolicyAttaches walks the whole list of AWS managed
// policies the server binary serves, with the SDK, and attaches each one
// by its ARN (then detaches it): ReadOnlyAccess answered NoSuchEntity once.
// The policies AWS reserves for sts:AssumeRoot sessions are refused as AWS
// refuses them.
func TestEveryAWSManagedPolicyAttaches(t *testing.T) {
	t.Parallel()
	srv := startServer(t, serverOptions{Ephemeral: true})
	c := srv.iam(t, rootCreds)
	ctx := context.Background()

	var list []types.Policy
	p := iam.NewListPoliciesPaginator(c, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws, MaxItems: aws.Int32(1000)})
	for p.HasMorePages() {
		list = append(list, must(p.NextPage(ctx))(t).Policies...)
	}
	if len(list) < 1000 {
		t.Fatalf("ListPolicies --scope AWS: %d policies", len(list))
	}
	names := map[string]bool{}
	for _, pol := range list {
		names[aws.ToString(pol.PolicyName)] = true
	}
	for _, n := range []string{"ReadOnlyAccess", "AdministratorAccess", "SecurityAudit", "AWSLambdaBasicExecutionRole"} {
		if !names[n] {
			t.Errorf("%s is not listed", n)
		}
	}

	// Ten roles take up to ten policies each (the default quota) per round.
	const roles, perRole = 10, 10
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + accountID + `:root"},"Action":"sts:AssumeRole"}]}`
	for i := range roles {
		must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(fmt.Sprint("walker", i)), AssumeRolePolicyDocument: aws.String(trust)}))(t)
	}
	var mu sync.Mutex
	attached, notAttachable := 0, 0
	for start := 0; start < len(list); start += roles * perRole {
		round := list[start:min(start+roles*perRole, len(list))]
		var wg sync.WaitGroup
		for r := range roles {
			wg.Add(1)
			go func() {
				defer wg.Done()
				role := aws.String(fmt.Sprint("walker", r))
				for i := r * perRole; i < min((r+1)*perRole, len(round)); i++ {
					arn := round[i].Arn
					_, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: role, PolicyArn: arn})
					if err != nil {
						e := errorOf(t, err)
						mu.Lock()
						if e.Code == "PolicyNotAttachable" && e.Status == http.StatusBadRequest && strings.Contains(aws.ToString(arn), ":policy/root-task/") {
							notAttachable++
						} else {
							t.Errorf("attach %s: %s (%d) %s", aws.ToString(arn), e.Code, e.Status, e.Message)
						}
						mu.Unlock()
						continue
					}
					if _, err := c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: role, PolicyArn: arn}); err != nil {
						t.Errorf("detach %s: %v", aws.ToString(arn), err)
					}
					mu.Lock()
					attached++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
	}
	if attached+notAttachable != len(list) || notAttachable > 10 {
		t.Errorf("attached %d, not attachable %d, of %d", attached, notAttachable, len(list))
	}
	t.Logf("%d AWS managed policies: %d attached and detached, %d not attachable (sts:AssumeRoot task policies)", len(list), attached, notAttachable)
}
