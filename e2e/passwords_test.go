package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// TestPasswords drives the account password policy and IAM users' console
// passwords through aws-sdk-go-v2 and the aws CLI: the policy is enforced
// on login profiles and on ChangePassword, AllowUsersToChangePassword lets
// a user with no policy change its own password, and the policy never
// applies to the root password.
func TestPasswords(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := startServer(t, serverOptions{})
	root := srv.iam(t, rootCreds)
	patKey := newUserWithKey(t, root, "pat")
	pat := srv.iam(t, patKey)

	_, err := root.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	wantErrMessage(t, err, "NoSuchEntity", http.StatusNotFound, "The Password Policy with domain name "+accountID+" cannot be found.")
	// The AWS default policy applies: eight characters, three kinds.
	_, err = root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("pat"), Password: aws.String("alllowercase")})
	wantErr(t, err, "PasswordPolicyViolation", http.StatusBadRequest)

	out := awsCLIv1(t, srv, "iam", "update-account-password-policy", "--minimum-password-length", "14",
		"--require-numbers", "--allow-users-to-change-password", "--password-reuse-prevention", "2")
	if out != "" {
		t.Errorf("update-account-password-policy printed %q", out)
	}
	var got struct {
		PasswordPolicy struct {
			MinimumPasswordLength      int
			RequireNumbers             bool
			AllowUsersToChangePassword bool
			ExpirePasswords            bool
			PasswordReusePrevention    int
		}
	}
	if err := json.Unmarshal([]byte(awsCLIv1(t, srv, "iam", "get-account-password-policy")), &got); err != nil {
		t.Fatal(err)
	}
	if p := got.PasswordPolicy; p.MinimumPasswordLength != 14 || !p.RequireNumbers || !p.AllowUsersToChangePassword ||
		p.ExpirePasswords || p.PasswordReusePrevention != 2 {
		t.Errorf("get-account-password-policy: %+v", p)
	}

	_, err = root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("pat"), Password: aws.String("no-digits-in-here")})
	wantErrMessage(t, err, "PasswordPolicyViolation", http.StatusBadRequest, "Password should have at least one number")
	lp := must(root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("pat"),
		Password: aws.String("first-password-1"), PasswordResetRequired: true}))(t).LoginProfile
	if aws.ToString(lp.UserName) != "pat" || !lp.PasswordResetRequired || lp.CreateDate == nil {
		t.Errorf("CreateLoginProfile: %+v", lp)
	}
	// pat has no identity policy; the password policy lets it change its own password.
	must(pat.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String("first-password-1"), NewPassword: aws.String("second-password-2")}))(t)
	_, err = pat.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String("second-password-2"), NewPassword: aws.String("first-password-1")})
	wantErr(t, err, "PasswordPolicyViolation", http.StatusBadRequest)
	if lp := must(root.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("pat")}))(t).LoginProfile; lp.PasswordResetRequired {
		t.Error("PasswordResetRequired still set after the user changed its password")
	}
	// ...and not another user's.
	_, err = pat.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("admin")})
	wantErr(t, err, "AccessDenied", http.StatusForbidden)

	_, err = root.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("pat")})
	wantErrMessage(t, err, "DeleteConflict", http.StatusConflict, "Cannot delete entity, must delete login profile first.")
	awsCLIv1(t, srv, "iam", "delete-login-profile", "--user-name", "pat")

	// The root password is not an IAM user's: the policy does not apply.
	// Root changes it in a sign-in (a console task); its access key is
	// refused.
	cliRefused(t, rootCreds, rootPassword+"\nshort root pw\n", "ChangeRootPassword", "AccessDeniedException", keyRefused("ChangeRootPassword"),
		"root", "change-password", "--endpoint-url="+srv.URL)
	console := rootSignIn(t, srv, rootEmail, rootPassword, "")
	r := gatehouseCLI(t, console, rootPassword+"\nshort root pw\n", "root", "change-password", "--endpoint-url="+srv.URL)
	if r.Code != 0 {
		t.Errorf("root change-password under a strict IAM password policy: exit %d %s", r.Code, r.Stderr)
	}
	_, err = srv.iam(t, rootCreds).ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String("x"), NewPassword: aws.String("y")})
	wantErr(t, err, "InvalidUserType", http.StatusBadRequest)
	awsCLIv1(t, srv, "iam", "delete-account-password-policy")

	assertNoSecrets(t, map[string]string{"first password": "first-password-1", "second password": "second-password-2",
		"root password": "short root pw", "sign-in secret access key": console.Secret, "sign-in session token": console.Token}, map[string]string{"stdout": srv.stdout.String(), "stderr": srv.stderr.String()}, srv.DataDir)
}
