package e2e

import (
	"context"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestLockout plays the story every AWS account lives through once: the
// only administrator takes away its own permissions, and the root user
// restores them. Every change must be visible on the very next request:
// there is no sleep anywhere in this test.
func TestLockout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, root, admin, adminKey := adminSetup(t)
	getSelf := func() error {
		_, err := admin.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("admin")})
		return err
	}

	t.Run("DetachAdministratorAccess", func(t *testing.T) {
		must(admin.ListUsers(ctx, &iam.ListUsersInput{}))(t)
		must(admin.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("admin"), PolicyArn: aws.String(adminAccess)}))(t)

		wantErrMessage(t, getSelf(), "AccessDenied", http.StatusForbidden, notAuthorized("admin", "iam:GetUser", userARN("admin")))
		_, err := admin.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("admin"), PolicyArn: aws.String(adminAccess)})
		wantErrMessage(t, err, "AccessDenied", http.StatusForbidden, notAuthorized("admin", "iam:AttachUserPolicy", userARN("admin")))
		_, err = admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("rescuer")})
		wantErrMessage(t, err, "AccessDenied", http.StatusForbidden, notAuthorized("admin", "iam:CreateUser", userARN("rescuer")))
		// The key itself still authenticates.
		if got := srv.callerARN(t, adminKey); got != userARN("admin") {
			t.Errorf("locked-out admin's caller = %s", got)
		}

		// Root is not governed by IAM policies and restores the admin.
		attached := must(root.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("admin")}))(t)
		if len(attached.AttachedPolicies) != 0 {
			t.Errorf("admin still has %d attached policies", len(attached.AttachedPolicies))
		}
		must(root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("admin"), PolicyArn: aws.String(adminAccess)}))(t)
		if err := getSelf(); err != nil {
			t.Fatalf("admin after root restored AdministratorAccess: %v", err)
		}
		must(admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("rescuer")}))(t)
	})

	t.Run("InlineDenyAll", func(t *testing.T) {
		must(admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("admin"), PolicyName: aws.String("oops"), PolicyDocument: aws.String(docDenyAll)}))(t)
		wantErrMessage(t, getSelf(), "AccessDenied", http.StatusForbidden, explicitlyDenied("admin", "iam:GetUser", userARN("admin")))
		_, err := admin.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("admin"), PolicyName: aws.String("oops")})
		wantErrMessage(t, err, "AccessDenied", http.StatusForbidden, explicitlyDenied("admin", "iam:DeleteUserPolicy", userARN("admin")))
		must(srv.sts(t, adminKey).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)

		must(root.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("admin"), PolicyName: aws.String("oops")}))(t)
		if err := getSelf(); err != nil {
			t.Fatalf("admin after root deleted the deny: %v", err)
		}
	})

	t.Run("DeactivatedOwnKey", func(t *testing.T) {
		must(admin.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{AccessKeyId: aws.String(adminKey.ID), Status: "Inactive"}))(t)
		wantErrMessage(t, getSelf(), "InvalidClientTokenId", http.StatusForbidden, msgInvalidToken)
		must(root.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("admin"), AccessKeyId: aws.String(adminKey.ID), Status: "Active"}))(t)
		if err := getSelf(); err != nil {
			t.Fatalf("admin after root reactivated its key: %v", err)
		}
	})

	// Changes through a group and through a policy's default version take
	// effect as promptly as changes to the user itself.
	t.Run("ChangesVisibleOnNextRequest", func(t *testing.T) {
		dev := srv.iam(t, newUserWithKey(t, admin, "dev"))
		listUsers := func() error {
			_, err := dev.ListUsers(ctx, &iam.ListUsersInput{})
			return err
		}
		must(admin.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admins")}))(t)
		must(admin.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("admins"), PolicyArn: aws.String(adminAccess)}))(t)
		wantErr(t, listUsers(), "AccessDenied", http.StatusForbidden)
		must(admin.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admins"), UserName: aws.String("dev")}))(t)
		if err := listUsers(); err != nil {
			t.Fatalf("dev right after joining admins: %v", err)
		}
		must(admin.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("admins"), UserName: aws.String("dev")}))(t)
		wantErr(t, listUsers(), "AccessDenied", http.StatusForbidden)

		// A condition on the caller's own tags follows TagUser/UntagUser.
		must(admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("dev"), PolicyName: aws.String("by-tag"), PolicyDocument: aws.String(
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"core"}}}]}`)}))(t)
		wantErr(t, listUsers(), "AccessDenied", http.StatusForbidden)
		must(admin.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("dev"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("core")}}}))(t)
		if err := listUsers(); err != nil {
			t.Fatalf("dev right after being tagged team=core: %v", err)
		}
		must(admin.UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String("dev"), TagKeys: []string{"team"}}))(t)
		wantErr(t, listUsers(), "AccessDenied", http.StatusForbidden)
		must(admin.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("dev"), PolicyName: aws.String("by-tag")}))(t)

		arn := policyARN("switchable")
		must(admin.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("switchable"), PolicyDocument: aws.String(docListUsers)}))(t)
		must(admin.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(docGetUser)}))(t)
		must(admin.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("dev"), PolicyArn: aws.String(arn)}))(t)
		if err := listUsers(); err != nil {
			t.Fatalf("dev with v1 (ListUsers) attached: %v", err)
		}
		must(admin.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v2")}))(t)
		wantErr(t, listUsers(), "AccessDenied", http.StatusForbidden)
		must(admin.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v1")}))(t)
		if err := listUsers(); err != nil {
			t.Fatalf("dev after switching back to v1: %v", err)
		}
	})
}
