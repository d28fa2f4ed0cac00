package e2e

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// docManageOwnKeys lets a user manage its own access keys only.
const docManageOwnKeys = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
	`"Action":["iam:CreateAccessKey","iam:ListAccessKeys","iam:UpdateAccessKey","iam:DeleteAccessKey"],` +
	`"Resource":"arn:aws:iam::*:user/${aws:username}"}]}`

// Messages AWS answers word for word.
const (
	msgInvalidToken      = "The security token included in the request is invalid."
	msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

// TestSDKAccess covers who may do what: denials worded as AWS words them,
// AWS managed policies, key rotation, the root user's keys and request
// authentication.
func TestSDKAccess(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, root, admin, adminKey := adminSetup(t)

	t.Run("ImplicitDeny", func(t *testing.T) {
		nobody := srv.iam(t, newUserWithKey(t, admin, "nobody"))
		must(admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("pathy"), Path: aws.String("/team/")}))(t)
		cases := []struct {
			name     string
			call     func() error
			action   string
			resource string
		}{
			{"CreateUser", func() error {
				_, err := nobody.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
				return err
			}, "iam:CreateUser", userARN("x")},
			{"CreateUserWithPath", func() error {
				_, err := nobody.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("y"), Path: aws.String("/team/")})
				return err
			}, "iam:CreateUser", "arn:aws:iam::" + accountID + ":user/team/y"},
			{"GetOtherUser", func() error {
				_, err := nobody.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("admin")})
				return err
			}, "iam:GetUser", userARN("admin")},
			{"GetUserWithPath", func() error {
				_, err := nobody.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("pathy")})
				return err
			}, "iam:GetUser", "arn:aws:iam::" + accountID + ":user/team/pathy"},
			{"GetSelf", func() error {
				_, err := nobody.GetUser(ctx, &iam.GetUserInput{})
				return err
			}, "iam:GetUser", userARN("nobody")},
			{"AttachAdminToSelf", func() error {
				_, err := nobody.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("nobody"), PolicyArn: aws.String(adminAccess)})
				return err
			}, "iam:AttachUserPolicy", userARN("nobody")},
			{"CreateOwnAccessKey", func() error {
				_, err := nobody.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})
				return err
			}, "iam:CreateAccessKey", userARN("nobody")},
			{"CreatePolicy", func() error {
				_, err := nobody.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("mine"), PolicyDocument: aws.String(docGetUser)})
				return err
			}, "iam:CreatePolicy", policyARN("mine")},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				wantErrMessage(t, tc.call(), "AccessDenied", http.StatusForbidden, notAuthorized("nobody", tc.action, tc.resource))
			})
		}
	})

	t.Run("ExplicitDeny", func(t *testing.T) {
		denied := newUserWithKey(t, admin, "denied", adminAccess)
		must(admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("denied"), PolicyName: aws.String("deny-all"), PolicyDocument: aws.String(docDenyAll)}))(t)
		c := srv.iam(t, denied)
		_, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("admin")})
		wantErrMessage(t, err, "AccessDenied", http.StatusForbidden, explicitlyDenied("denied", "iam:GetUser", userARN("admin")))
		_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("z")})
		wantErrMessage(t, err, "AccessDenied", http.StatusForbidden, explicitlyDenied("denied", "iam:CreateUser", userARN("z")))
		// GetCallerIdentity needs no permission and survives any deny.
		id := must(srv.sts(t, denied).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
		if aws.ToString(id.Arn) != userARN("denied") || aws.ToString(id.Account) != accountID {
			t.Errorf("GetCallerIdentity under Deny * = %s %s", aws.ToString(id.Arn), aws.ToString(id.Account))
		}

		careful := srv.iam(t, newUserWithKey(t, admin, "careful", adminAccess))
		must(admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("careful"), PolicyName: aws.String("no-delete"), PolicyDocument: aws.String(docDenyDelete)}))(t)
		must(careful.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("keeper")}))(t)
		_, err = careful.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("keeper")})
		wantErrMessage(t, err, "AccessDenied", http.StatusForbidden, explicitlyDenied("careful", "iam:DeleteUser", userARN("keeper")))
	})

	// A permissions boundary caps AdministratorAccess, and the denial names it.
	t.Run("PermissionsBoundary", func(t *testing.T) {
		bounded := srv.iam(t, newUserWithKey(t, admin, "bounded", adminAccess))
		must(admin.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("bounded"), PermissionsBoundary: aws.String(iamReadOnly)}))(t)
		u := must(admin.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("bounded")}))(t).User
		if u.PermissionsBoundary == nil || aws.ToString(u.PermissionsBoundary.PermissionsBoundaryArn) != iamReadOnly {
			t.Errorf("GetUser PermissionsBoundary = %+v, want %s", u.PermissionsBoundary, iamReadOnly)
		}
		must(bounded.ListUsers(ctx, &iam.ListUsersInput{}))(t)
		_, err := bounded.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("b1")})
		wantErrMessage(t, err, "AccessDenied", http.StatusForbidden, "User: "+userARN("bounded")+
			" is not authorized to perform: iam:CreateUser on resource: "+userARN("b1")+" because no permissions boundary allows the iam:CreateUser action")

		must(admin.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("boundary-deny-delete"), PolicyDocument: aws.String(
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:DeleteUser","Resource":"*"}]}`)}))(t)
		must(admin.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("bounded"), PermissionsBoundary: aws.String(policyARN("boundary-deny-delete"))}))(t)
		must(bounded.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("b1")}))(t)
		_, err = bounded.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("b1")})
		wantErrMessage(t, err, "AccessDenied", http.StatusForbidden, "User: "+userARN("bounded")+
			" is not authorized to perform: iam:DeleteUser on resource: "+userARN("b1")+" with an explicit deny in a permissions boundary")
		must(admin.DeleteUserPermissionsBoundary(ctx, &iam.DeleteUserPermissionsBoundaryInput{UserName: aws.String("bounded")}))(t)
		must(bounded.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("b1")}))(t)
	})

	t.Run("ManagedPolicies", func(t *testing.T) {
		reader := srv.iam(t, newUserWithKey(t, admin, "reader", iamReadOnly))
		full := srv.iam(t, newUserWithKey(t, admin, "iam-admin", iamFullAccess))
		power := srv.iam(t, newUserWithKey(t, admin, "power", powerUserAccess))

		must(reader.ListUsers(ctx, &iam.ListUsersInput{}))(t)
		must(reader.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("admin")}))(t)
		must(reader.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws}))(t)
		_, err := reader.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("r1")})
		wantErrMessage(t, err, "AccessDenied", http.StatusForbidden, notAuthorized("reader", "iam:CreateUser", userARN("r1")))

		must(full.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("f1")}))(t)
		must(full.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("f1")}))(t)

		// PowerUserAccess allows everything but IAM (NotAction iam:*).
		_, err = power.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("p1")})
		wantErrMessage(t, err, "AccessDenied", http.StatusForbidden, notAuthorized("power", "iam:CreateUser", userARN("p1")))
	})

	t.Run("KeyRotation", func(t *testing.T) {
		key1 := newUserWithKey(t, admin, "rotator")
		must(admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("rotator"), PolicyName: aws.String("own-keys"), PolicyDocument: aws.String(docManageOwnKeys)}))(t)
		r1 := srv.iam(t, key1)

		// The user creates its second key itself, without naming itself.
		k := must(r1.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{}))(t).AccessKey
		if aws.ToString(k.UserName) != "rotator" || k.Status != types.StatusTypeActive {
			t.Errorf("CreateAccessKey = user %q status %s, want rotator Active", aws.ToString(k.UserName), k.Status)
		}
		key2 := creds{ID: aws.ToString(k.AccessKeyId), Secret: aws.ToString(k.SecretAccessKey)}
		if got := srv.callerARN(t, key2); got != userARN("rotator") {
			t.Errorf("new key's caller = %s", got)
		}
		r2 := srv.iam(t, key2)
		_, err := r2.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})
		wantErrMessage(t, err, "LimitExceeded", http.StatusConflict, "Cannot exceed quota for AccessKeysPerUser: 2")
		_, err = r2.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("admin")})
		wantErrMessage(t, err, "AccessDenied", http.StatusForbidden, notAuthorized("rotator", "iam:CreateAccessKey", userARN("admin")))

		must(r2.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{AccessKeyId: aws.String(key1.ID), Status: types.StatusTypeInactive}))(t)
		_, err = srv.sts(t, key1).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantErrMessage(t, err, "InvalidClientTokenId", http.StatusForbidden, msgInvalidToken)
		if got := keyStatuses(t, r2, ""); got[key1.ID] != types.StatusTypeInactive || got[key2.ID] != types.StatusTypeActive || len(got) != 2 {
			t.Errorf("ListAccessKeys after deactivation = %v", got)
		}
		// Reactivation brings the key back; then it is retired for good.
		must(r2.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{AccessKeyId: aws.String(key1.ID), Status: types.StatusTypeActive}))(t)
		srv.callerARN(t, key1)
		must(r2.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{AccessKeyId: aws.String(key1.ID), Status: types.StatusTypeInactive}))(t)
		must(r2.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(key1.ID)}))(t)
		if got := keyStatuses(t, r2, ""); len(got) != 1 || got[key2.ID] != types.StatusTypeActive {
			t.Errorf("ListAccessKeys after rotation = %v, want only %s", got, key2.ID)
		}
		_, err = srv.sts(t, key1).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantErrMessage(t, err, "InvalidClientTokenId", http.StatusForbidden, msgInvalidToken)
	})

	t.Run("RootKeys", func(t *testing.T) {
		// Without UserName an IAM user acts on its own keys: AdministratorAccess
		// never reaches the root user's keys.
		own := keyStatuses(t, admin, "")
		if len(own) != 1 || own[adminKey.ID] == "" {
			t.Errorf("admin's ListAccessKeys = %v, want only its own key %s", own, adminKey.ID)
		}
		notFound := "The Access Key with id " + rootKeyID + " cannot be found."
		_, err := admin.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{AccessKeyId: aws.String(rootKeyID), Status: types.StatusTypeInactive})
		wantErrMessage(t, err, "NoSuchEntity", http.StatusNotFound, notFound)
		_, err = admin.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(rootKeyID)})
		wantErrMessage(t, err, "NoSuchEntity", http.StatusNotFound, notFound)
		_, err = admin.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("admin"), AccessKeyId: aws.String(rootKeyID)})
		wantErrMessage(t, err, "NoSuchEntity", http.StatusNotFound, notFound)
		if got := srv.callerARN(t, rootCreds); got != "arn:aws:iam::"+accountID+":root" {
			t.Fatalf("root key after the admin's attempts: caller %s", got)
		}

		// Root sees, adds, deactivates and deletes its own keys.
		if got := keyStatuses(t, root, ""); len(got) != 1 || got[rootKeyID] != types.StatusTypeActive {
			t.Errorf("root's ListAccessKeys = %v, want only %s", got, rootKeyID)
		}
		k := must(root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{}))(t).AccessKey
		second := creds{ID: aws.ToString(k.AccessKeyId), Secret: aws.ToString(k.SecretAccessKey)}
		if got := srv.callerARN(t, second); got != "arn:aws:iam::"+accountID+":root" {
			t.Errorf("second root key's caller = %s", got)
		}
		_, err = root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})
		wantErr(t, err, "LimitExceeded", http.StatusConflict)
		_, err = admin.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(second.ID)})
		wantErr(t, err, "NoSuchEntity", http.StatusNotFound)
		must(root.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{AccessKeyId: aws.String(second.ID), Status: types.StatusTypeInactive}))(t)
		_, err = srv.sts(t, second).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantErr(t, err, "InvalidClientTokenId", http.StatusForbidden)
		must(root.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(second.ID)}))(t)
		if got := keyStatuses(t, root, ""); len(got) != 1 {
			t.Errorf("root's keys after delete = %v", got)
		}
	})

	t.Run("Authentication", func(t *testing.T) {
		_, err := srv.sts(t, creds{ID: rootKeyID, Secret: "wrong" + rootSecret[5:]}).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantErrMessage(t, err, "SignatureDoesNotMatch", http.StatusForbidden, msgSignatureMismatch)
		_, err = srv.iam(t, creds{ID: rootKeyID, Secret: "wrong" + rootSecret[5:]}).ListUsers(ctx, &iam.ListUsersInput{})
		wantErrMessage(t, err, "SignatureDoesNotMatch", http.StatusForbidden, msgSignatureMismatch)
		_, err = srv.sts(t, creds{ID: "AKIAUNKNOWNKEY000000", Secret: rootSecret}).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantErrMessage(t, err, "InvalidClientTokenId", http.StatusForbidden, msgInvalidToken)

		unsigned := srv.rawSTS(t, nil)
		if unsigned.Status != http.StatusForbidden || unsigned.Code != "MissingAuthenticationToken" {
			t.Errorf("unsigned POST: HTTP %d %s %q; want 403 MissingAuthenticationToken", unsigned.Status, unsigned.Code, unsigned.Message)
		}

		signer := func(region string, skew time.Duration) *sigv4.Signer {
			return &sigv4.Signer{AccessKeyID: rootKeyID, SecretAccessKey: rootSecret, Region: region, Service: "sts",
				Now: func() time.Time { return time.Now().Add(skew) }}
		}
		for _, r := range []string{"us-east-1", "eu-central-1", "ap-southeast-2"} {
			if ok := srv.rawSTS(t, signer(r, 0)); ok.Status != http.StatusOK {
				t.Errorf("signed for %s: HTTP %d %s %q", r, ok.Status, ok.Code, ok.Message)
			}
		}
		// A presigned GetCallerIdentity URL, as aws-iam-authenticator and
		// Vault's AWS auth use it.
		req := must(http.NewRequest(http.MethodGet, srv.URL+"/?Action=GetCallerIdentity&Version=2011-06-15", nil))(t)
		u := must(signer(region, 0).Presign(req, 15*time.Minute))(t)
		resp := must(http.Get(u.String()))(t)
		body := must(io.ReadAll(resp.Body))(t)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<Arn>arn:aws:iam::"+accountID+":root</Arn>") {
			t.Errorf("presigned GetCallerIdentity: HTTP %d\n%s", resp.StatusCode, body)
		}
		resp = must(http.Get(srv.URL + "/?Action=ListUsers&Version=2010-05-08"))(t)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("unsigned GET ListUsers: HTTP %d, want 403", resp.StatusCode)
		}

		stamp := `\d{8}T\d{6}Z`
		expired := srv.rawSTS(t, signer(region, -20*time.Minute))
		if re := regexp.MustCompile(`^Signature expired: ` + stamp + ` is now earlier than ` + stamp + ` \(` + stamp + ` - 15 min\.\)$`); expired.Status != http.StatusForbidden ||
			expired.Code != "SignatureDoesNotMatch" || !re.MatchString(expired.Message) {
			t.Errorf("signed 20 minutes ago: HTTP %d %s %q; want 403 SignatureDoesNotMatch \"Signature expired: ...\"", expired.Status, expired.Code, expired.Message)
		}
		early := srv.rawSTS(t, signer(region, 20*time.Minute))
		if re := regexp.MustCompile(`^Signature not yet current: ` + stamp + ` is still later than ` + stamp + ` \(` + stamp + ` \+ 15 min\.\)$`); early.Status != http.StatusForbidden ||
			early.Code != "SignatureDoesNotMatch" || !re.MatchString(early.Message) {
			t.Errorf("signed 20 minutes ahead: HTTP %d %s %q; want 403 SignatureDoesNotMatch \"Signature not yet current: ...\"", early.Status, early.Code, early.Message)
		}
	})
}

// keyStatuses lists a user's access keys ("" for the caller's own) as a
// map from key ID to status.
func keyStatuses(t *testing.T, c *iam.Client, user string) map[string]types.StatusType {
	t.Helper()
	in := &iam.ListAccessKeysInput{}
	if user != "" {
		in.UserName = aws.String(user)
	}
	out := map[string]types.StatusType{}
	for _, k := range must(c.ListAccessKeys(context.Background(), in))(t).AccessKeyMetadata {
		out[aws.ToString(k.AccessKeyId)] = k.Status
	}
	return out
}
