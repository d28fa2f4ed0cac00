package api_test

import (
	"encoding/xml"
	"net/url"
	"strings"
	"testing"
)

// binder drives one harness through the unique-ID binding scenarios.
type binder struct {
	t *testing.T
	h *harness
}

func (b binder) ok(k key, service string, f url.Values) []byte {
	b.t.Helper()
	r := b.h.send(b.t, service, k, f)
	if r.status != 200 {
		b.t.Fatalf("%s: %d %s", f.Get("Action"), r.status, r.body)
	}
	return r.body
}

// refused fails the test unless the request is refused with code.
func (b binder) refused(k key, service string, f url.Values, status int, code string) {
	b.t.Helper()
	r := b.h.send(b.t, service, k, f)
	if r.status != status || !strings.Contains(string(r.body), "<Code>"+code+"</Code>") {
		b.t.Fatalf("%s: got %d %s, want %d %s", f.Get("Action"), r.status, r.body, status, code)
	}
}

// user creates an IAM user with an access key and the inline policy doc
// (none when "").
func (b binder) user(name, doc string) key {
	b.t.Helper()
	b.ok(rootKey, "iam", iamForm("CreateUser", "UserName", name))
	if doc != "" {
		b.ok(rootKey, "iam", iamForm("PutUserPolicy", "UserName", name, "PolicyName", "p", "PolicyDocument", doc))
	}
	var ak struct {
		ID     string `xml:"CreateAccessKeyResult>AccessKey>AccessKeyId"`
		Secret string `xml:"CreateAccessKeyResult>AccessKey>SecretAccessKey"`
	}
	if err := xml.Unmarshal(b.ok(rootKey, "iam", iamForm("CreateAccessKey", "UserName", name)), &ak); err != nil {
		b.t.Fatal(err)
	}
	return key{id: ak.ID, secret: ak.Secret}
}

// deleteUser deletes a user with its keys and inline policy.
func (b binder) deleteUser(name string, k key) {
	b.t.Helper()
	b.ok(rootKey, "iam", iamForm("DeleteAccessKey", "UserName", name, "AccessKeyId", k.id))
	b.h.send(b.t, "iam", rootKey, iamForm("DeleteUserPolicy", "UserName", name, "PolicyName", "p"))
	b.ok(rootKey, "iam", iamForm("DeleteUser", "UserName", name))
}

func (b binder) assume(k key, roleARN, session string, kv ...string) key {
	b.t.Helper()
	var cr struct {
		ID     string `xml:"AssumeRoleResult>Credentials>AccessKeyId"`
		Secret string `xml:"AssumeRoleResult>Credentials>SecretAccessKey"`
		Token  string `xml:"AssumeRoleResult>Credentials>SessionToken"`
	}
	f := stsForm("AssumeRole", append([]string{"RoleArn", roleARN, "RoleSessionName", session}, kv...)...)
	if err := xml.Unmarshal(b.ok(k, "sts", f), &cr); err != nil {
		b.t.Fatal(err)
	}
	return key{id: cr.ID, secret: cr.Secret, token: cr.Token}
}

const allowAll = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`

func trusting(principal string) string {
	return `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"` + principal + `"},"Action":"sts:AssumeRole"}}`
}

// TestTrustPolicyBindsUniqueIDs checks that a trust policy trusts the
// entity it named when written, not whoever holds the name later: a user
// or role deleted and created again, or another user renamed into the
// name, cannot assume the role (AWS binds principals to unique IDs).
func TestTrustPolicyBindsUniqueIDs(t *testing.T) {
	for _, tc := range []struct {
		name string
		// replace takes the trusted name away from the first holder
		// and gives it to an attacker; it returns the attacker's
		// credentials.
		replace func(b binder, first key) key
	}{
		{"UserDeletedAndCreatedAgain", func(b binder, first key) key {
			b.deleteUser("ops", first)
			return b.user("ops", allowAll)
		}},
		{"OtherUserRenamedIntoName", func(b binder, first key) key {
			// The trusted user is renamed away; mallory may rename
			// herself and does.
			b.ok(rootKey, "iam", iamForm("UpdateUser", "UserName", "ops", "NewUserName", "ops-old"))
			m := b.user("mallory", allowAll)
			b.ok(m, "iam", iamForm("UpdateUser", "UserName", "mallory", "NewUserName", "ops"))
			return m
		}},
		{"DeletedUserNameTakenByRename", func(b binder, first key) key {
			b.deleteUser("ops", first)
			m := b.user("mallory", allowAll)
			b.ok(m, "iam", iamForm("UpdateUser", "UserName", "mallory", "NewUserName", "ops"))
			return m
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := binder{t, newHarness(t, nil)}
			opsARN := "arn:aws:iam::" + accountID + ":user/ops"
			roleARN := "arn:aws:iam::" + accountID + ":role/admin"
			first := b.user("ops", allowAll)
			b.ok(rootKey, "iam", iamForm("CreateRole", "RoleName", "admin", "AssumeRolePolicyDocument", trusting(opsARN)))
			b.assume(first, roleARN, "legit") // the named user may
			opsID := field(t, b.ok(rootKey, "iam", iamForm("GetUser", "UserName", "ops")), "UserId")
			attacker := tc.replace(b, first)
			b.refused(attacker, "sts", stsForm("AssumeRole", "RoleArn", roleARN, "RoleSessionName", "takeover"), 403, "AccessDenied")
			// As on AWS, the trust policy now shows the unique ID the
			// principal was bound to.
			shown, err := url.QueryUnescape(field(t, b.ok(rootKey, "iam", iamForm("GetRole", "RoleName", "admin")), "AssumeRolePolicyDocument"))
			if err != nil || !strings.Contains(shown, `"`+opsID+`"`) || strings.Contains(shown, opsARN) {
				t.Errorf("GetRole shows %s (%v), want the unique ID %s in place of %s", shown, err, opsID, opsARN)
			}
			// Writing the trust policy again binds the name's new holder.
			b.ok(rootKey, "iam", iamForm("UpdateAssumeRolePolicy", "RoleName", "admin", "PolicyDocument", trusting(opsARN)))
			b.assume(attacker, roleARN, "rebound")
		})
	}
	t.Run("RoleDeletedAndCreatedAgain", func(t *testing.T) {
		b := binder{t, newHarness(t, nil)}
		dev := b.user("dev", allowAll)
		accountTrust := trusting(accountID)
		b.ok(rootKey, "iam", iamForm("CreateRole", "RoleName", "hop", "AssumeRolePolicyDocument", accountTrust))
		b.ok(rootKey, "iam", iamForm("PutRolePolicy", "RoleName", "hop", "PolicyName", "p", "PolicyDocument", allowAll))
		hopARN := "arn:aws:iam::" + accountID + ":role/hop"
		b.ok(rootKey, "iam", iamForm("CreateRole", "RoleName", "target", "AssumeRolePolicyDocument", trusting(hopARN)))
		targetARN := "arn:aws:iam::" + accountID + ":role/target"
		hop := b.assume(dev, hopARN, "one")
		b.assume(hop, targetARN, "chained")
		b.ok(rootKey, "iam", iamForm("DeleteRolePolicy", "RoleName", "hop", "PolicyName", "p"))
		b.ok(rootKey, "iam", iamForm("DeleteRole", "RoleName", "hop"))
		b.ok(rootKey, "iam", iamForm("CreateRole", "RoleName", "hop", "AssumeRolePolicyDocument", accountTrust))
		b.ok(rootKey, "iam", iamForm("PutRolePolicy", "RoleName", "hop", "PolicyName", "p", "PolicyDocument", allowAll))
		hop2 := b.assume(dev, hopARN, "two")
		b.refused(hop2, "sts", stsForm("AssumeRole", "RoleArn", targetARN, "RoleSessionName", "chained"), 403, "AccessDenied")
	})
	t.Run("NamedPrincipalMustExist", func(t *testing.T) {
		b := binder{t, newHarness(t, nil)}
		b.user("ops", "")
		for _, p := range []string{
			"arn:aws:iam::" + accountID + ":user/nobody",
			"arn:aws:iam::" + accountID + ":user/OPS",        // another spelling
			"arn:aws:iam::" + accountID + ":user/x/ops",      // another path
			"arn:aws:iam::" + accountID + ":user//ops",       // a doubled slash
			"arn:aws-us-gov:iam::" + accountID + ":user/ops", // another partition
		} {
			b.refused(rootKey, "iam", iamForm("CreateRole", "RoleName", "r", "AssumeRolePolicyDocument", trusting(p)), 400, "MalformedPolicyDocument")
		}
	})
}

// TestRenameNeedsPermissionOnTarget checks that UpdateUser and
// UpdateGroup authorize the new name and path as well as the old ones.
func TestRenameNeedsPermissionOnTarget(t *testing.T) {
	b := binder{t, newHarness(t, nil)}
	self := `{"Version":"2012-10-17","Statement":[` +
		`{"Effect":"Allow","Action":["iam:UpdateUser","iam:UpdateGroup"],"Resource":["arn:aws:iam::` + accountID + `:user/mallory","arn:aws:iam::` + accountID + `:group/devs"]}]}`
	m := b.user("mallory", self)
	b.ok(rootKey, "iam", iamForm("CreateGroup", "GroupName", "devs"))
	for _, f := range []url.Values{
		iamForm("UpdateUser", "UserName", "mallory", "NewUserName", "ops"),
		iamForm("UpdateUser", "UserName", "mallory", "NewPath", "/admins/"),
		iamForm("UpdateGroup", "GroupName", "devs", "NewGroupName", "admins"),
		iamForm("UpdateGroup", "GroupName", "devs", "NewPath", "/x/"),
	} {
		b.refused(m, "iam", f, 403, "AccessDenied")
	}
	// With permission on the target too, the rename goes through.
	b.ok(rootKey, "iam", iamForm("PutUserPolicy", "UserName", "mallory", "PolicyName", "q", "PolicyDocument",
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:UpdateUser","Resource":"arn:aws:iam::`+accountID+`:user/mallory2"}}`))
	b.ok(m, "iam", iamForm("UpdateUser", "UserName", "mallory", "NewUserName", "mallory2"))
}

// TestUserSessionBindsUniqueID checks that a GetSessionToken session of
// a deleted user does not come back when a user of the same name is
// created.
func TestUserSessionBindsUniqueID(t *testing.T) {
	b := binder{t, newHarness(t, nil)}
	first := b.user("ops", allowAll)
	var cr struct {
		ID     string `xml:"GetSessionTokenResult>Credentials>AccessKeyId"`
		Secret string `xml:"GetSessionTokenResult>Credentials>SecretAccessKey"`
		Token  string `xml:"GetSessionTokenResult>Credentials>SessionToken"`
	}
	if err := xml.Unmarshal(b.ok(first, "sts", stsForm("GetSessionToken")), &cr); err != nil {
		t.Fatal(err)
	}
	sess := key{id: cr.ID, secret: cr.Secret, token: cr.Token}
	b.ok(sess, "sts", stsForm("GetCallerIdentity"))
	b.deleteUser("ops", first)
	b.user("ops", allowAll)
	b.refused(sess, "sts", stsForm("GetCallerIdentity"), 403, "InvalidClientTokenId")
}

// TestSessionTags checks that AssumeRole with tags needs sts:TagSession in
// the trust policy and that the tags apply as aws:PrincipalTag, over the
// role's tags of the same key.
func TestSessionTags(t *testing.T) {
	b := binder{t, newHarness(t, nil)}
	dev := b.user("dev", allowAll)
	devARN := "arn:aws:iam::" + accountID + ":user/dev"
	roleARN := "arn:aws:iam::" + accountID + ":role/tagged"
	b.ok(rootKey, "iam", iamForm("CreateRole", "RoleName", "tagged", "AssumeRolePolicyDocument", trusting(devARN),
		"Tags.member.1.Key", "team", "Tags.member.1.Value", "red"))
	b.ok(rootKey, "iam", iamForm("PutRolePolicy", "RoleName", "tagged", "PolicyName", "p", "PolicyDocument",
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"}}}}`))
	tags := []string{"Tags.member.1.Key", "team", "Tags.member.1.Value", "blue"}
	b.refused(dev, "sts", stsForm("AssumeRole", append([]string{"RoleArn", roleARN, "RoleSessionName", "s1"}, tags...)...), 403, "AccessDenied")

	b.ok(rootKey, "iam", iamForm("UpdateAssumeRolePolicy", "RoleName", "tagged", "PolicyDocument",
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"`+devARN+`"},"Action":["sts:AssumeRole","sts:TagSession"]}}`))
	untagged := b.assume(dev, roleARN, "plain")
	b.refused(untagged, "iam", iamForm("ListUsers"), 403, "AccessDenied") // the role's own tag is red
	tagged := b.assume(dev, roleARN, "blue", tags...)
	b.ok(tagged, "iam", iamForm("ListUsers"))

	for _, bad := range [][]string{
		{"Tags.member.1.Key", "aws:team", "Tags.member.1.Value", "x"},
		{"Tags.member.1.Key", "a", "Tags.member.1.Value", "x", "Tags.member.2.Key", "A", "Tags.member.2.Value", "y"},
		{"Tags.member.1.Key", "bad\x01key", "Tags.member.1.Value", "x"},
	} {
		r := b.h.send(t, "sts", dev, stsForm("AssumeRole", append([]string{"RoleArn", roleARN, "RoleSessionName", "bad"}, bad...)...))
		if r.status != 400 {
			t.Errorf("tags %q: %d %s", bad, r.status, r.body)
		}
	}
}
