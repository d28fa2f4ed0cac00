package e2e

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// Policy documents used across the SDK tests.
const (
	docGetUser     = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}`
	docListUsers   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`
	docDenyAll     = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`
	docDenyDelete  = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:DeleteUser","Resource":"*"}]}`
	docNoEffect    = `{"Version":"2012-10-17","Statement":[{"Action":"iam:GetUser","Resource":"*"}]}`
	docNotJSON     = `this is not a policy`
	docGroupInline = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListGroups","iam:GetGroup"],"Resource":"*"}]}`
)

// adminSetup starts a server on which root has created the IAM user
// "admin" with AdministratorAccess and an access key, as AWS recommends,
// and returns clients for both.
func adminSetup(t *testing.T) (srv *server, root, admin *iam.Client, adminKey creds) {
	t.Helper()
	srv = startServer(t, serverOptions{})
	root = srv.iam(t, rootCreds)
	adminKey = newUserWithKey(t, root, "admin", adminAccess)
	return srv, root, srv.iam(t, adminKey), adminKey
}

// TestSDK drives the IAM entity operations through aws-sdk-go-v2 as an
// IAM administrator.
func TestSDK(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, root, admin, adminKey := adminSetup(t)

	t.Run("CallerIdentity", func(t *testing.T) {
		if got, want := srv.callerARN(t, rootCreds), "arn:aws:iam::"+accountID+":root"; got != want {
			t.Errorf("root caller = %s, want %s", got, want)
		}
		if got := srv.callerARN(t, adminKey); got != userARN("admin") {
			t.Errorf("admin caller = %s, want %s", got, userARN("admin"))
		}
		// Root's GetUser has no UserName; its ID is the account ID.
		u := must(root.GetUser(ctx, &iam.GetUserInput{}))(t).User
		if aws.ToString(u.UserId) != accountID || aws.ToString(u.Arn) != "arn:aws:iam::"+accountID+":root" {
			t.Errorf("root GetUser = %s %s, want the account ID and root ARN", aws.ToString(u.UserId), aws.ToString(u.Arn))
		}
		me := must(admin.GetUser(ctx, &iam.GetUserInput{}))(t).User
		if aws.ToString(me.UserName) != "admin" || !strings.HasPrefix(aws.ToString(me.UserId), "AIDA") {
			t.Errorf("admin GetUser = %s %s, want admin AIDA...", aws.ToString(me.UserName), aws.ToString(me.UserId))
		}
	})

	t.Run("ResetNeedsFlag", func(t *testing.T) {
		if status := postReset(t, srv); status != http.StatusNotFound {
			t.Errorf("POST /_gatehouse/reset without --enable-reset: HTTP %d, want 404", status)
		}
		srv.callerARN(t, adminKey) // nothing was wiped
	})

	t.Run("UsersAndGroups", func(t *testing.T) {
		out := must(admin.CreateUser(ctx, &iam.CreateUserInput{
			UserName: aws.String("alice"), Path: aws.String("/eng/"),
			Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("core")}},
		}))(t)
		if got, want := aws.ToString(out.User.Arn), "arn:aws:iam::"+accountID+":user/eng/alice"; got != want {
			t.Errorf("CreateUser Arn = %s, want %s", got, want)
		}
		must(admin.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("alice"), NewPath: aws.String("/ops/")}))(t)
		u := must(admin.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")}))(t).User
		if aws.ToString(u.Path) != "/ops/" || aws.ToString(u.Arn) != "arn:aws:iam::"+accountID+":user/ops/alice" {
			t.Errorf("after UpdateUser: path %s arn %s", aws.ToString(u.Path), aws.ToString(u.Arn))
		}

		must(admin.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("engineers")}))(t)
		must(admin.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("engineers"), UserName: aws.String("alice")}))(t)
		g := must(admin.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("engineers")}))(t)
		if len(g.Users) != 1 || aws.ToString(g.Users[0].UserName) != "alice" {
			t.Errorf("GetGroup users = %v, want [alice]", userNames(g.Users))
		}
		gs := must(admin.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("alice")}))(t)
		if len(gs.Groups) != 1 || aws.ToString(gs.Groups[0].GroupName) != "engineers" {
			t.Errorf("ListGroupsForUser = %d groups, want [engineers]", len(gs.Groups))
		}
		must(admin.UpdateGroup(ctx, &iam.UpdateGroupInput{GroupName: aws.String("engineers"), NewGroupName: aws.String("engineering")}))(t)
		_, err := admin.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("engineers")})
		wantErrMessage(t, err, "NoSuchEntity", http.StatusNotFound, "The group with name engineers cannot be found.")

		_, err = admin.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("engineering")})
		wantErr(t, err, "DeleteConflict", http.StatusConflict)
		must(admin.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("engineering"), UserName: aws.String("alice")}))(t)
		must(admin.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("engineering")}))(t)
		must(admin.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alice")}))(t)
	})

	// A renamed user keeps its keys, policies and groups, and is known by
	// its new name at once.
	t.Run("RenameUser", func(t *testing.T) {
		key := newUserWithKey(t, admin, "old-name", iamReadOnly)
		must(admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("old-name"), PolicyName: aws.String("p"), PolicyDocument: aws.String(docGetUser)}))(t)
		must(admin.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("renamers")}))(t)
		must(admin.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("renamers"), UserName: aws.String("old-name")}))(t)
		must(admin.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("old-name"), NewUserName: aws.String("new-name")}))(t)

		if got := srv.callerARN(t, key); got != userARN("new-name") {
			t.Errorf("caller after rename = %s, want %s", got, userARN("new-name"))
		}
		renamed := srv.iam(t, key)
		must(renamed.ListUsers(ctx, &iam.ListUsersInput{}))(t) // IAMReadOnlyAccess followed the user
		_, err := renamed.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
		wantErrMessage(t, err, "AccessDenied", http.StatusForbidden, notAuthorized("new-name", "iam:CreateUser", userARN("x")))
		if names := must(admin.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("new-name")}))(t).PolicyNames; !slices.Equal(names, []string{"p"}) {
			t.Errorf("inline policies after rename = %v, want [p]", names)
		}
		g := must(admin.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("renamers")}))(t)
		if got := userNames(g.Users); !slices.Equal(got, []string{"new-name"}) {
			t.Errorf("group members after rename = %v, want [new-name]", got)
		}
		if keys := keyStatuses(t, admin, "new-name"); keys[key.ID] != types.StatusTypeActive {
			t.Errorf("keys after rename = %v, want %s Active", keys, key.ID)
		}
		_, err = admin.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("old-name")})
		wantErr(t, err, "NoSuchEntity", http.StatusNotFound)
	})

	t.Run("PolicyVersions", func(t *testing.T) {
		arn := policyARN("versioned")
		p := must(admin.CreatePolicy(ctx, &iam.CreatePolicyInput{
			PolicyName: aws.String("versioned"), PolicyDocument: aws.String(docGetUser), Description: aws.String("e2e"),
		}))(t).Policy
		if aws.ToString(p.Arn) != arn || aws.ToString(p.DefaultVersionId) != "v1" || !strings.HasPrefix(aws.ToString(p.PolicyId), "ANPA") {
			t.Errorf("CreatePolicy = %s %s %s", aws.ToString(p.Arn), aws.ToString(p.DefaultVersionId), aws.ToString(p.PolicyId))
		}
		v2 := must(admin.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{
			PolicyArn: aws.String(arn), PolicyDocument: aws.String(docListUsers), SetAsDefault: true,
		}))(t).PolicyVersion
		if aws.ToString(v2.VersionId) != "v2" || !v2.IsDefaultVersion {
			t.Errorf("CreatePolicyVersion = %s default=%t, want v2 default", aws.ToString(v2.VersionId), v2.IsDefaultVersion)
		}
		wantDefault(t, admin, arn, "v2")
		v1 := must(admin.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v1")}))(t).PolicyVersion
		if got := decodePolicy(t, v1.Document); got != docGetUser || v1.IsDefaultVersion {
			t.Errorf("GetPolicyVersion v1 = %s default=%t, want %s not default", got, v1.IsDefaultVersion, docGetUser)
		}
		must(admin.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v1")}))(t)
		wantDefault(t, admin, arn, "v1")

		for _, want := range []string{"v3", "v4", "v5"} {
			v := must(admin.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(docGetUser)}))(t)
			if got := aws.ToString(v.PolicyVersion.VersionId); got != want || v.PolicyVersion.IsDefaultVersion {
				t.Errorf("CreatePolicyVersion = %s, want %s (not default)", got, want)
			}
		}
		_, err := admin.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(docGetUser)})
		wantErr(t, err, "LimitExceeded", http.StatusConflict)
		vs := must(admin.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(arn)}))(t).Versions
		var defaults []string
		for _, v := range vs {
			if v.IsDefaultVersion {
				defaults = append(defaults, aws.ToString(v.VersionId))
			}
		}
		if len(vs) != 5 || !slices.Equal(defaults, []string{"v1"}) {
			t.Errorf("ListPolicyVersions: %d versions, defaults %v; want 5 and [v1]", len(vs), defaults)
		}

		_, err = admin.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v1")})
		wantErr(t, err, "DeleteConflict", http.StatusConflict)
		must(admin.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v5")}))(t)
		// Version numbers are never reused.
		v6 := must(admin.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(docGetUser)}))(t)
		if got := aws.ToString(v6.PolicyVersion.VersionId); got != "v6" {
			t.Errorf("version after deleting v5 = %s, want v6", got)
		}
		_, err = admin.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v5")})
		wantErr(t, err, "NoSuchEntity", http.StatusNotFound)

		_, err = admin.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
		wantErr(t, err, "DeleteConflict", http.StatusConflict)
		for _, v := range []string{"v2", "v3", "v4", "v6"} {
			must(admin.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String(v)}))(t)
		}
		must(admin.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)}))(t)
		_, err = admin.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
		wantErrMessage(t, err, "NoSuchEntity", http.StatusNotFound, "Policy "+arn+" was not found.")
	})

	t.Run("AttachDetach", func(t *testing.T) {
		arn := policyARN("attachable")
		must(admin.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("attachable"), PolicyDocument: aws.String(docGetUser)}))(t)
		must(admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}))(t)
		must(admin.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("readers")}))(t)
		must(admin.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: aws.String(arn)}))(t)
		must(admin.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: aws.String(iamReadOnly)}))(t)
		must(admin.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("readers"), PolicyArn: aws.String(arn)}))(t)

		attached := must(admin.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("bob")}))(t).AttachedPolicies
		var arns []string
		for _, a := range attached {
			arns = append(arns, aws.ToString(a.PolicyArn))
		}
		slices.Sort(arns)
		if want := []string{arn, iamReadOnly}; !slices.Equal(arns, want) {
			t.Errorf("ListAttachedUserPolicies = %v, want %v", arns, want)
		}
		ents := must(admin.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(arn)}))(t)
		if len(ents.PolicyUsers) != 1 || aws.ToString(ents.PolicyUsers[0].UserName) != "bob" ||
			len(ents.PolicyGroups) != 1 || aws.ToString(ents.PolicyGroups[0].GroupName) != "readers" {
			t.Errorf("ListEntitiesForPolicy: %d users, %d groups; want bob and readers", len(ents.PolicyUsers), len(ents.PolicyGroups))
		}
		if n := aws.ToInt32(must(admin.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)}))(t).Policy.AttachmentCount); n != 2 {
			t.Errorf("AttachmentCount = %d, want 2", n)
		}
		_, err := admin.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
		wantErr(t, err, "DeleteConflict", http.StatusConflict)
		_, err = admin.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: aws.String(policyARN("ghost"))})
		wantErr(t, err, "NoSuchEntity", http.StatusNotFound)

		must(admin.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: aws.String(arn)}))(t)
		must(admin.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: aws.String(iamReadOnly)}))(t)
		must(admin.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String("readers"), PolicyArn: aws.String(arn)}))(t)
		_, err = admin.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: aws.String(arn)})
		wantErr(t, err, "NoSuchEntity", http.StatusNotFound)
		must(admin.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)}))(t)
	})

	t.Run("InlinePolicies", func(t *testing.T) {
		must(admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol")}))(t)
		must(admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("carol"), PolicyName: aws.String("self"), PolicyDocument: aws.String(docGetUser)}))(t)
		must(admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("carol"), PolicyName: aws.String("self"), PolicyDocument: aws.String(docListUsers)}))(t)
		got := must(admin.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("carol"), PolicyName: aws.String("self")}))(t)
		if doc := decodePolicy(t, got.PolicyDocument); doc != docListUsers || aws.ToString(got.UserName) != "carol" {
			t.Errorf("GetUserPolicy = %s %s, want the replaced document", aws.ToString(got.UserName), doc)
		}
		names := must(admin.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("carol")}))(t).PolicyNames
		if !slices.Equal(names, []string{"self"}) {
			t.Errorf("ListUserPolicies = %v, want [self]", names)
		}
		must(admin.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("carol"), PolicyName: aws.String("self")}))(t)
		_, err := admin.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("carol"), PolicyName: aws.String("self")})
		wantErr(t, err, "NoSuchEntity", http.StatusNotFound)

		must(admin.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("auditors")}))(t)
		must(admin.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("auditors"), PolicyName: aws.String("audit"), PolicyDocument: aws.String(docGroupInline)}))(t)
		gp := must(admin.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String("auditors"), PolicyName: aws.String("audit")}))(t)
		if doc := decodePolicy(t, gp.PolicyDocument); doc != docGroupInline {
			t.Errorf("GetGroupPolicy = %s, want %s", doc, docGroupInline)
		}
		if names := must(admin.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String("auditors")}))(t).PolicyNames; !slices.Equal(names, []string{"audit"}) {
			t.Errorf("ListGroupPolicies = %v, want [audit]", names)
		}
		_, err = admin.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("auditors")})
		wantErr(t, err, "DeleteConflict", http.StatusConflict)
		must(admin.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("auditors"), PolicyName: aws.String("audit")}))(t)
		must(admin.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("auditors")}))(t)
	})

	t.Run("Tags", func(t *testing.T) {
		must(admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("tagged"),
			Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}}}))(t)
		must(admin.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("tagged"), Tags: []types.Tag{
			{Key: aws.String("team"), Value: aws.String("core")}, {Key: aws.String("env"), Value: aws.String("prod")}}}))(t)
		if got, want := userTags(t, admin, "tagged"), "env=prod,team=core"; got != want {
			t.Errorf("tags after TagUser = %s, want %s", got, want)
		}
		must(admin.UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String("tagged"), TagKeys: []string{"env"}}))(t)
		if got, want := userTags(t, admin, "tagged"), "team=core"; got != want {
			t.Errorf("tags after UntagUser = %s, want %s", got, want)
		}
		_, err := admin.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("tagged"), Tags: []types.Tag{{Key: aws.String("aws:owner"), Value: aws.String("x")}}})
		wantErr(t, err, "InvalidInput", http.StatusBadRequest)
	})

	t.Run("AccountAlias", func(t *testing.T) {
		must(admin.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("gatehouse-e2e")}))(t)
		if got := must(admin.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{}))(t).AccountAliases; !slices.Equal(got, []string{"gatehouse-e2e"}) {
			t.Errorf("ListAccountAliases = %v, want [gatehouse-e2e]", got)
		}
		_, err := admin.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("Not_An_Alias")})
		wantErr(t, err, "ValidationError", http.StatusBadRequest)
		must(admin.DeleteAccountAlias(ctx, &iam.DeleteAccountAliasInput{AccountAlias: aws.String("gatehouse-e2e")}))(t)
		if got := must(admin.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{}))(t).AccountAliases; len(got) != 0 {
			t.Errorf("ListAccountAliases after delete = %v, want none", got)
		}
	})

	t.Run("Paging", func(t *testing.T) {
		var want []string
		for i := 1; i <= 7; i++ {
			name := "page-" + string(rune('0'+i))
			want = append(want, name)
			must(admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name), Path: aws.String("/paging/")}))(t)
		}
		var got []string
		var marker *string
		for page := 1; ; page++ {
			out := must(admin.ListUsers(ctx, &iam.ListUsersInput{PathPrefix: aws.String("/paging/"), MaxItems: aws.Int32(3), Marker: marker}))(t)
			got = append(got, userNames(out.Users)...)
			wantN, wantMore := 3, page < 3
			if page == 3 {
				wantN = 1
			}
			if len(out.Users) != wantN || out.IsTruncated != wantMore || (out.Marker != nil) != wantMore {
				t.Fatalf("page %d: %d users, IsTruncated=%t, Marker=%q; want %d, %t", page, len(out.Users), out.IsTruncated, aws.ToString(out.Marker), wantN, wantMore)
			}
			if !out.IsTruncated {
				break
			}
			marker = out.Marker
		}
		if !slices.Equal(got, want) {
			t.Errorf("pages = %v, want %v", got, want)
		}
		var viaPaginator []string
		p := iam.NewListUsersPaginator(admin, &iam.ListUsersInput{PathPrefix: aws.String("/paging/")}, func(o *iam.ListUsersPaginatorOptions) { o.Limit = 3 })
		for p.HasMorePages() {
			viaPaginator = append(viaPaginator, userNames(must(p.NextPage(ctx))(t).Users)...)
		}
		if !slices.Equal(viaPaginator, want) {
			t.Errorf("paginator = %v, want %v", viaPaginator, want)
		}
		_, err := admin.ListUsers(ctx, &iam.ListUsersInput{MaxItems: aws.Int32(0)})
		wantErrMessage(t, err, "ValidationError", http.StatusBadRequest,
			"1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1")
	})

	t.Run("Errors", func(t *testing.T) {
		must(admin.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("dupes")}))(t)
		must(admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("rename-from")}))(t)
		must(admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("rename-to")}))(t)
		must(admin.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("dupe-policy"), PolicyDocument: aws.String(docGetUser)}))(t)
		long := strings.Repeat("a", 65)
		cases := []struct {
			name    string
			call    func() error
			code    string
			status  int
			message string // "" checks code and status only
		}{
			{"NoSuchUser", func() error {
				_, err := admin.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("ghost")})
				return err
			}, "NoSuchEntity", 404, "The user with name ghost cannot be found."},
			{"NoSuchGroup", func() error {
				_, err := admin.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("ghost")})
				return err
			}, "NoSuchEntity", 404, "The group with name ghost cannot be found."},
			{"NoSuchPolicy", func() error {
				_, err := admin.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(policyARN("ghost"))})
				return err
			}, "NoSuchEntity", 404, "Policy " + policyARN("ghost") + " was not found."},
			{"UserExists", func() error {
				_, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("admin")})
				return err
			}, "EntityAlreadyExists", 409, "User with name admin already exists."},
			{"UserExistsIgnoringCase", func() error {
				_, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ADMIN")})
				return err
			}, "EntityAlreadyExists", 409, ""},
			{"RenameToExistingUser", func() error {
				_, err := admin.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("rename-from"), NewUserName: aws.String("rename-to")})
				return err
			}, "EntityAlreadyExists", 409, "User with name rename-to already exists."},
			{"GroupExists", func() error {
				_, err := admin.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("dupes")})
				return err
			}, "EntityAlreadyExists", 409, "Group with name dupes already exists."},
			{"PolicyExists", func() error {
				_, err := admin.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("dupe-policy"), PolicyDocument: aws.String(docGetUser)})
				return err
			}, "EntityAlreadyExists", 409, "A policy called dupe-policy already exists. Duplicate names are not allowed."},
			{"PolicyNotJSON", func() error {
				_, err := admin.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("bad1"), PolicyDocument: aws.String(docNotJSON)})
				return err
			}, "MalformedPolicyDocument", 400, ""},
			{"PolicyWithoutEffect", func() error {
				_, err := admin.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("bad2"), PolicyDocument: aws.String(docNoEffect)})
				return err
			}, "MalformedPolicyDocument", 400, ""},
			{"InlinePolicyNotJSON", func() error {
				_, err := admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("admin"), PolicyName: aws.String("bad"), PolicyDocument: aws.String(docNotJSON)})
				return err
			}, "MalformedPolicyDocument", 400, ""},
			{"UserNameBadCharacters", func() error {
				_, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bad name!")})
				return err
			}, "ValidationError", 400, `1 validation error detected: Value 'bad name!' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
			{"UserNameTooLong", func() error {
				_, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(long)})
				return err
			}, "ValidationError", 400, "1 validation error detected: Value '" + long + "' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64"},
			{"GroupNameBadCharacters", func() error {
				_, err := admin.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("a/b")})
				return err
			}, "ValidationError", 400, ""},
			{"UserPathWithoutSlashes", func() error {
				_, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("pathless"), Path: aws.String("eng")})
				return err
			}, "ValidationError", 400, ""},
		}
		// What the SDK refuses to send, sent by hand.
		iamSigner := &sigv4.Signer{AccessKeyID: adminKey.ID, SecretAccessKey: adminKey.Secret, Region: region, Service: "iam"}
		for _, tc := range []struct {
			name, form, code, message string
		}{
			{"MissingUserName", "Action=CreateUser&Version=2010-05-08", "ValidationError",
				"1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null"},
			{"UnknownAction", "Action=FlyToTheMoon&Version=2010-05-08", "InvalidAction",
				"Could not find operation FlyToTheMoon for version 2010-05-08"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := srv.rawCall(t, iamSigner, tc.form)
				if r.Status != http.StatusBadRequest || r.Code != tc.code || r.Message != tc.message {
					t.Errorf("got HTTP %d %s %q; want 400 %s %q", r.Status, r.Code, r.Message, tc.code, tc.message)
				}
			})
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				err := tc.call()
				if tc.message == "" {
					wantErr(t, err, tc.code, tc.status)
				} else {
					wantErrMessage(t, err, tc.code, tc.status, tc.message)
				}
			})
		}
	})

	t.Run("AttachedPoliciesQuota", func(t *testing.T) {
		must(admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("collector")}))(t)
		for i := range 11 {
			name := fmt.Sprintf("quota-%02d", i)
			must(admin.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(docGetUser)}))(t)
			_, err := admin.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("collector"), PolicyArn: aws.String(policyARN(name))})
			if i < 10 {
				must(struct{}{}, err)(t)
				continue
			}
			wantErrMessage(t, err, "LimitExceeded", http.StatusConflict, "Cannot exceed quota for PoliciesPerUser: 10")
		}
		// Attaching an attached policy again is not an error and uses no quota.
		must(admin.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("collector"), PolicyArn: aws.String(policyARN("quota-00"))}))(t)
	})

	t.Run("DeleteUserConflicts", func(t *testing.T) {
		must(admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("doomed")}))(t)
		key := must(admin.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("doomed")}))(t).AccessKey
		must(admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("doomed"), PolicyName: aws.String("p"), PolicyDocument: aws.String(docGetUser)}))(t)
		must(admin.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("doomed"), PolicyArn: aws.String(iamReadOnly)}))(t)
		must(admin.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("doomed-group")}))(t)
		must(admin.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("doomed-group"), UserName: aws.String("doomed")}))(t)

		removals := []struct {
			what   string
			remove func() error
		}{
			{"access key", func() error {
				_, err := admin.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("doomed"), AccessKeyId: key.AccessKeyId})
				return err
			}},
			{"inline policy", func() error {
				_, err := admin.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("doomed"), PolicyName: aws.String("p")})
				return err
			}},
			{"attached policy", func() error {
				_, err := admin.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("doomed"), PolicyArn: aws.String(iamReadOnly)})
				return err
			}},
			{"group membership", func() error {
				_, err := admin.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("doomed-group"), UserName: aws.String("doomed")})
				return err
			}},
		}
		for _, r := range removals {
			_, err := admin.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("doomed")})
			if e := errorOf(t, err); e.Code != "DeleteConflict" || e.Status != http.StatusConflict {
				t.Fatalf("DeleteUser with a %s left: %s (HTTP %d) %q; want DeleteConflict (409)", r.what, e.Code, e.Status, e.Message)
			}
			if err := r.remove(); err != nil {
				t.Fatalf("remove %s: %v", r.what, err)
			}
		}
		must(admin.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("doomed")}))(t)
		_, err := admin.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("doomed")})
		wantErr(t, err, "NoSuchEntity", http.StatusNotFound)
	})

	// Last, so that the counts cover everything the subtests left behind.
	t.Run("AccountSummary", func(t *testing.T) {
		m := must(admin.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}))(t).SummaryMap
		var users, policies int32
		up := iam.NewListUsersPaginator(admin, &iam.ListUsersInput{})
		for up.HasMorePages() {
			users += int32(len(must(up.NextPage(ctx))(t).Users))
		}
		pp := iam.NewListPoliciesPaginator(admin, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal})
		for pp.HasMorePages() {
			policies += int32(len(must(pp.NextPage(ctx))(t).Policies))
		}
		groups := int32(len(must(admin.ListGroups(ctx, &iam.ListGroupsInput{}))(t).Groups))
		want := map[string]int32{
			"Users": users, "Groups": groups, "Policies": policies, "AccountAccessKeysPresent": 1,
			"UsersQuota": 5000, "AccessKeysPerUserQuota": 2, "VersionsPerPolicyQuota": 5, "GroupsPerUserQuota": 10,
		}
		for k, v := range want {
			if got, ok := m[k]; !ok || got != v {
				t.Errorf("SummaryMap[%s] = %d (present %t), want %d", k, got, ok, v)
			}
		}
	})
}
