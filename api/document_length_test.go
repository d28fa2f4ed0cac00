package api_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestPolicyDocumentLength checks every operation that takes a policy
// document against the IAM model's cap of the whole document, white
// space included (131,072 characters): a document that is small without
// its white space but padded past the cap is a ValidationError that does
// not echo it, and nothing is stored. A document of exactly the cap is not
// refused for its length.
func TestPolicyDocumentLength(t *testing.T) {
	h := newHarness(t, nil)
	const (
		identity = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}`
		trust    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + accountID + `:root"},"Action":"sts:AssumeRole"}]}`
		session  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
	)
	// pad returns doc followed by white space, n characters in all.
	pad := func(doc string, n int) string { return doc + strings.Repeat(" \n\t", n)[:n-len(doc)] }
	over := func(doc string) string { return pad(doc, 131073) }
	mustOK := func(action string, kv ...string) {
		t.Helper()
		if r := h.send(t, "iam", rootKey, iamForm(action, kv...)); r.status != 200 {
			t.Fatalf("%s: %d %s", action, r.status, r.body)
		}
	}
	mustOK("CreateUser", "UserName", "u")
	mustOK("CreateGroup", "GroupName", "g")
	mustOK("CreateRole", "RoleName", "r", "AssumeRolePolicyDocument", trust)
	mustOK("CreatePolicy", "PolicyName", "p", "PolicyDocument", identity)
	policyARN := "arn:aws:iam::" + accountID + ":policy/p"
	userARN := "arn:aws:iam::" + accountID + ":user/u"
	roleARN := "arn:aws:iam::" + accountID + ":role/r"
	const tooLong = "Member must have length less than or equal to 131072"
	// List members are named as the simulator's validation names them
	// (query.Member, api/query/constraints.go): the member's index, then "member".
	const listTooLong = tooLong

	cases := []struct {
		name, service, field, constraint string
		// kv builds the request around a document.
		kv func(doc string) []string
		// doc is a valid document of the member's kind.
		doc string
		// stored lists what must not exist after a refused call.
		stored []string
	}{
		{"CreatePolicy", "iam", "policyDocument", tooLong,
			func(d string) []string { return []string{"PolicyName", "p2", "PolicyDocument", d} }, identity,
			[]string{"GetPolicy", "PolicyArn", "arn:aws:iam::" + accountID + ":policy/p2"}},
		{"CreatePolicyVersion", "iam", "policyDocument", tooLong,
			func(d string) []string { return []string{"PolicyArn", policyARN, "PolicyDocument", d} }, identity,
			[]string{"GetPolicyVersion", "PolicyArn", policyARN, "VersionId", "v2"}},
		{"PutUserPolicy", "iam", "policyDocument", tooLong,
			func(d string) []string { return []string{"UserName", "u", "PolicyName", "in", "PolicyDocument", d} }, identity,
			[]string{"GetUserPolicy", "UserName", "u", "PolicyName", "in"}},
		{"PutGroupPolicy", "iam", "policyDocument", tooLong,
			func(d string) []string { return []string{"GroupName", "g", "PolicyName", "in", "PolicyDocument", d} }, identity,
			[]string{"GetGroupPolicy", "GroupName", "g", "PolicyName", "in"}},
		{"PutRolePolicy", "iam", "policyDocument", tooLong,
			func(d string) []string { return []string{"RoleName", "r", "PolicyName", "in", "PolicyDocument", d} }, identity,
			[]string{"GetRolePolicy", "RoleName", "r", "PolicyName", "in"}},
		{"CreateRole", "iam", "assumeRolePolicyDocument", tooLong,
			func(d string) []string { return []string{"RoleName", "r2", "AssumeRolePolicyDocument", d} }, trust,
			[]string{"GetRole", "RoleName", "r2"}},
		{"UpdateAssumeRolePolicy", "iam", "policyDocument", tooLong,
			func(d string) []string { return []string{"RoleName", "r", "PolicyDocument", d} }, trust, nil},
		{"SimulateCustomPolicy", "iam", "policyInputList.2.member", listTooLong,
			func(d string) []string {
				return []string{"PolicyInputList.member.1", identity, "PolicyInputList.member.2", d, "ActionNames.member.1", "iam:GetUser"}
			}, identity, nil},
		{"SimulateCustomPolicy", "iam", "permissionsBoundaryPolicyInputList.1.member", listTooLong,
			func(d string) []string {
				return []string{"PolicyInputList.member.1", identity, "PermissionsBoundaryPolicyInputList.member.1", d, "ActionNames.member.1", "iam:GetUser"}
			}, identity, nil},
		{"SimulateCustomPolicy", "iam", "resourcePolicy", tooLong,
			func(d string) []string {
				return []string{"PolicyInputList.member.1", identity, "ResourcePolicy", d, "ActionNames.member.1", "iam:GetUser",
					"CallerArn", userARN}
			}, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"iam:GetUser","Resource":"*"}]}`, nil},
		{"SimulatePrincipalPolicy", "iam", "policyInputList.1.member", listTooLong,
			func(d string) []string {
				return []string{"PolicySourceArn", userARN, "PolicyInputList.member.1", d, "ActionNames.member.1", "iam:GetUser"}
			}, identity, nil},
		{"SimulatePrincipalPolicy", "iam", "permissionsBoundaryPolicyInputList.1.member", listTooLong,
			func(d string) []string {
				return []string{"PolicySourceArn", userARN, "PermissionsBoundaryPolicyInputList.member.1", d, "ActionNames.member.1", "iam:GetUser"}
			}, identity, nil},
		{"GetContextKeysForCustomPolicy", "iam", "policyInputList.1.member", listTooLong,
			func(d string) []string { return []string{"PolicyInputList.member.1", d} }, identity, nil},
		{"GetContextKeysForPrincipalPolicy", "iam", "policyInputList.1.member", listTooLong,
			func(d string) []string { return []string{"PolicySourceArn", userARN, "PolicyInputList.member.1", d} }, identity, nil},
	}
	for _, c := range cases {
		t.Run(c.name+"/"+c.field, func(t *testing.T) {
			r := h.send(t, c.service, rootKey, iamForm(c.name, c.kv(over(c.doc))...))
			e := wantError(t, r, 400, "ValidationError",
				fmt.Sprintf("1 validation error detected: Value at '%s' failed to satisfy constraint: %s", c.field, c.constraint))
			if strings.Contains(e.Message, "Statement") {
				t.Errorf("the message echoes the document: %.200s", e.Message)
			}
			if c.stored != nil {
				wantError(t, h.send(t, "iam", rootKey, iamForm(c.stored[0], c.stored[1:]...)), 404, "NoSuchEntity", "")
			}
			// Exactly the cap: not refused for its length.
			r = h.send(t, c.service, rootKey, iamForm(c.name, c.kv(pad(c.doc, 131072))...))
			if strings.Contains(string(r.body), "131072") {
				t.Errorf("a document of 131072 characters: %d %s", r.status, r.body)
			}
		})
	}

	// AssumeRole's session policy has the STS model's smaller cap (2,048),
	// also on the whole document: padding does not get past it.
	t.Run("AssumeRole/policy", func(t *testing.T) {
		r := h.send(t, "sts", rootKey, stsForm("AssumeRole", "RoleArn", roleARN, "RoleSessionName", "session",
			"Policy", over(session)))
		wantError(t, r, 400, "ValidationError", "")
		if !strings.Contains(string(r.body), "have length less than or equal to 2048") {
			t.Errorf("AssumeRole with a padded session policy: %s", r.body)
		}
	})
}
