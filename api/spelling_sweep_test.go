package api_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api"
)

// The ARN-spelling sweep (docs/security.md): a user allowed everything
// but denied, explicitly, every action on some entities (and attaching
// some policies) sends every IAM and STS operation naming those entities
// in other spellings: other case, the other partition, trailing and
// doubled slashes. Whatever the exact spelling is denied, no other
// spelling may succeed. Which operations take which entity is learnt
// from the table itself: an operation whose exact-spelling request is
// denied takes it.

// spellingKind is one kind of identifying parameter, with its exact
// (denied) value and the other spellings of it.
type spellingKind struct {
	name     string
	params   []string // the parameters that carry the value
	exact    string
	variants []string
}

func spellingKinds() []spellingKind {
	arn := func(resource string) string { return "arn:aws:iam::" + accountID + ":" + resource }
	gov := func(resource string) string { return "arn:aws-us-gov:iam::" + accountID + ":" + resource }
	names := func(n string) []string {
		return []string{strings.ToUpper(n), strings.ToUpper(n[:1]) + n[1:], n + "/", "/" + n, n + " "}
	}
	arns := func(kind, n string) []string {
		return []string{
			arn(kind + "/" + strings.ToUpper(n)), strings.ToUpper(arn(kind + "/" + n)), gov(kind + "/" + n),
			arn(kind + "/" + n + "/"), arn(kind + "//" + n), arn(kind + "/x/../" + n), " " + arn(kind+"/"+n),
		}
	}
	admin := "arn:aws:iam::aws:policy/AdministratorAccess"
	return []spellingKind{
		{"user", []string{"UserName"}, "target", names("target")},
		{"group", []string{"GroupName"}, "tgroup", names("tgroup")},
		{"role", []string{"RoleName"}, "trole", names("trole")},
		{"policy", []string{"PolicyArn", "PermissionsBoundary"}, arn("policy/tpolicy"), arns("policy", "tpolicy")},
		{"managedPolicy", []string{"PolicyArn", "PermissionsBoundary"}, admin, []string{
			strings.ToLower(admin), "arn:aws-us-gov:iam::aws:policy/AdministratorAccess",
			"arn:aws:iam::aws:policy/AdministratorAccess/", "arn:aws:iam::aws:policy//AdministratorAccess",
			"arn:aws:iam::" + accountID + ":policy/AdministratorAccess",
		}},
		{"mfaSerial", []string{"SerialNumber"}, arn("mfa/tdevice"), arns("mfa", "tdevice")},
		{"roleArn", []string{"RoleArn"}, arn("role/trole"), arns("role", "trole")},
	}
}

// spellingDeny is the denying user's inline policy: everything on the
// target entities, and attaching (or bounding with) the target policies.
func spellingDeny() string {
	arn := func(resource string) string { return `"arn:aws:iam::` + accountID + `:` + resource + `"` }
	policies := `[` + arn("policy/tpolicy") + `,"arn:aws:iam::aws:policy/AdministratorAccess"]`
	return `{"Version":"2012-10-17","Statement":[` +
		`{"Effect":"Deny","Action":"*","Resource":[` + arn("user/target") + `,` + arn("group/tgroup") + `,` + arn("role/trole") + `,` +
		arn("policy/tpolicy") + `,` + arn("mfa/tdevice") + `]},` +
		`{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"ArnEquals":{"iam:PolicyARN":` + policies + `}}},` +
		`{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"iam:PermissionsBoundary":` + policies + `}}}]}`
}

// spellingBase is every operation's filler: real, undenied entities for
// every parameter the kind under test does not set.
func spellingBase() map[string]string {
	arn := func(resource string) string { return "arn:aws:iam::" + accountID + ":" + resource }
	return map[string]string{
		"UserName": "free", "GroupName": "fgroup", "RoleName": "frole",
		"PolicyArn": arn("policy/fpolicy"), "PermissionsBoundary": arn("policy/fpolicy"),
		"SerialNumber": arn("mfa/fdevice"), "RoleArn": arn("role/frole"), "RoleSessionName": "spelling",
		"PolicyName": "p", "PolicyDocument": allowAll, "AssumeRolePolicyDocument": trusting(arn("user/speller")),
		"VersionId": "v1", "Status": "Inactive", "AccessKeyId": "AKIAEXAMPLEEXAMPLE00", "VirtualMFADeviceName": "fdevice",
		"Tags.member.1.Key": "k", "Tags.member.1.Value": "v", "TagKeys.member.1": "k",
		"AuthenticationCode1": "123456", "AuthenticationCode2": "654321", "Password": "a long Password 123!",
		"OldPassword": "a long Password 123!", "NewPassword": "another Password 456!",
	}
}

// ensureSpellingEntities creates whichever of the sweep's entities are
// missing (an operation under test may have deleted a free one).
func ensureSpellingEntities(t *testing.T, h *harness) {
	t.Helper()
	exists := map[string]bool{}
	err := h.srv.Store.View(context.Background(), func(tx gatehouse.Tx) error {
		for _, u := range []string{"target", "free"} {
			_, err := tx.User(accountID, u)
			exists["user/"+u] = err == nil
		}
		for _, g := range []string{"tgroup", "fgroup"} {
			_, err := tx.Group(accountID, g)
			exists["group/"+g] = err == nil
		}
		for _, r := range []string{"trole", "frole"} {
			_, err := tx.Role(accountID, r)
			exists["role/"+r] = err == nil
		}
		for _, p := range []string{"tpolicy", "fpolicy"} {
			_, err := tx.Policy("arn:aws:iam::" + accountID + ":policy/" + p)
			exists["policy/"+p] = err == nil
		}
		for _, d := range []string{"tdevice", "fdevice"} {
			_, err := tx.MFADevice("arn:aws:iam::" + accountID + ":mfa/" + d)
			exists["mfa/"+d] = err == nil
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	create := func(what string, f url.Values) {
		if !exists[what] {
			if r := h.send(t, "iam", rootKey, f); r.status != 200 {
				t.Fatalf("create %s: %d %s", what, r.status, r.body)
			}
		}
	}
	trust := trusting("arn:aws:iam::" + accountID + ":user/speller")
	for _, n := range []string{"target", "free"} {
		create("user/"+n, iamForm("CreateUser", "UserName", n))
	}
	for _, n := range []string{"tgroup", "fgroup"} {
		create("group/"+n, iamForm("CreateGroup", "GroupName", n))
	}
	for _, n := range []string{"trole", "frole"} {
		create("role/"+n, iamForm("CreateRole", "RoleName", n, "AssumeRolePolicyDocument", trust))
	}
	for _, n := range []string{"tpolicy", "fpolicy"} {
		create("policy/"+n, iamForm("CreatePolicy", "PolicyName", n, "PolicyDocument", allowAll))
	}
	for _, n := range []string{"tdevice", "fdevice"} {
		create("mfa/"+n, iamForm("CreateVirtualMFADevice", "VirtualMFADeviceName", n))
	}
}

// TestARNSpellingSweep: see the comment at the top of this file.
func TestARNSpellingSweep(t *testing.T) {
	h := newHarness(t, nil)
	b := binder{t, h}
	speller := b.user("speller", allowAll)
	b.ok(rootKey, "iam", iamForm("PutUserPolicy", "UserName", "speller", "PolicyName", "deny", "PolicyDocument", spellingDeny()))
	ensureSpellingEntities(t, h)

	send := func(service, op string, kv map[string]string) response {
		version := "2010-05-08"
		if service == "sts" {
			version = "2011-06-15"
		}
		f := form(op, version)
		for k, v := range kv {
			f.Set(k, v)
		}
		r := h.send(t, service, speller, f)
		ensureSpellingEntities(t, h)
		return r
	}
	denied, checked := 0, 0
	for _, service := range []string{"iam", "sts"} {
		for _, op := range api.OperationNames(service) {
			for _, kind := range spellingKinds() {
				with := func(v string) map[string]string {
					kv := spellingBase()
					for _, p := range kind.params {
						kv[p] = v
					}
					return kv
				}
				exact := send(service, op, with(kind.exact))
				if exact.status >= 500 {
					t.Errorf("%s %s exact %s: HTTP %d %s", service, op, kind.name, exact.status, exact.body)
				}
				if !strings.Contains(string(exact.body), "<Code>AccessDenied</Code>") {
					continue // the operation does not act on this kind of entity
				}
				denied++
				for _, v := range kind.variants {
					checked++
					r := send(service, op, with(v))
					if r.status < 300 || r.status >= 500 {
						t.Errorf("%s %s with %s %q (exact spelling denied): HTTP %d %s", service, op, kind.name, v, r.status, r.body)
					}
				}
			}
		}
	}
	if denied < 50 {
		t.Errorf("only %d operation and kind pairs were denied in their exact spelling: is the deny set up right?", denied)
	}
	t.Logf("%d operation/kind pairs denied in the exact spelling, %d other spellings refused", denied, checked)
}
