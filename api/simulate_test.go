package api_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"testing"
)

// TestSimulationAgreesWithEnforcement checks, for a sample of requests,
// that SimulatePrincipalPolicy and a real call by the same user reach the
// same decision: the simulator gathers policies and decides with the same
// code as enforcement.
func TestSimulationAgreesWithEnforcement(t *testing.T) {
	h := newHarness(t, nil)
	mustOK := func(f url.Values) []byte {
		t.Helper()
		r := h.send(t, "iam", rootKey, f)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", f.Get("Action"), r.status, r.body)
		}
		return r.body
	}
	mustOK(iamForm("CreateUser", "UserName", "sim", "Path", "/team/"))
	mustOK(iamForm("CreateUser", "UserName", "target"))
	mustOK(iamForm("CreateGroup", "GroupName", "readers"))
	mustOK(iamForm("AddUserToGroup", "GroupName", "readers", "UserName", "sim"))
	mustOK(iamForm("AttachGroupPolicy", "GroupName", "readers", "PolicyArn", "arn:aws:iam::aws:policy/IAMReadOnlyAccess"))
	mustOK(iamForm("PutUserPolicy", "UserName", "sim", "PolicyName", "mixed", "PolicyDocument", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"iam:CreateGroup","Resource":"arn:aws:iam::*:group/ok-*"},
		{"Effect":"Allow","Action":"iam:TagUser","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}},
		{"Effect":"Deny","Action":"iam:GetUser","Resource":"arn:aws:iam::*:user/target"},
		{"Effect":"Allow","Action":"iam:CreateUser","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`))
	body := mustOK(iamForm("CreateAccessKey", "UserName", "sim"))
	var k struct {
		ID     string `xml:"CreateAccessKeyResult>AccessKey>AccessKeyId"`
		Secret string `xml:"CreateAccessKeyResult>AccessKey>SecretAccessKey"`
	}
	if err := xml.Unmarshal(body, &k); err != nil {
		t.Fatal(err)
	}
	user := key{id: k.ID, secret: k.Secret}
	arn := func(kind, name string) string { return fmt.Sprintf("arn:aws:iam::%s:%s/%s", accountID, kind, name) }
	cases := []struct {
		action   string
		resource string
		form     url.Values
	}{
		{"iam:GetUser", arn("user", "target"), iamForm("GetUser", "UserName", "target")},
		{"iam:GetUser", arn("user", "team/sim"), iamForm("GetUser", "UserName", "sim")},
		{"iam:ListUsers", "*", iamForm("ListUsers")},
		{"iam:CreateGroup", arn("group", "ok-1"), iamForm("CreateGroup", "GroupName", "ok-1")},
		{"iam:CreateGroup", arn("group", "nope"), iamForm("CreateGroup", "GroupName", "nope")},
		{"iam:TagUser", arn("user", "target"), iamForm("TagUser", "UserName", "target", "Tags.member.1.Key", "k", "Tags.member.1.Value", "v")},
		{"iam:CreateUser", arn("user", "new"), iamForm("CreateUser", "UserName", "new")},
		{"iam:DeleteUser", arn("user", "target"), iamForm("DeleteUser", "UserName", "target")},
	}
	for _, c := range cases {
		t.Run(c.action+" "+c.resource, func(t *testing.T) {
			sim := h.send(t, "iam", rootKey, iamForm("SimulatePrincipalPolicy",
				"PolicySourceArn", arn("user", "team/sim"), "ActionNames.member.1", c.action, "ResourceArns.member.1", c.resource,
				// The context the real call carries for the keys these policies test.
				"ContextEntries.member.1.ContextKeyName", "aws:RequestedRegion", "ContextEntries.member.1.ContextKeyValues.member.1", "us-east-1", "ContextEntries.member.1.ContextKeyType", "string",
				"ContextEntries.member.2.ContextKeyName", "aws:SourceIp", "ContextEntries.member.2.ContextKeyValues.member.1", "127.0.0.1", "ContextEntries.member.2.ContextKeyType", "ip"))
			if sim.status != 200 {
				t.Fatalf("simulate: %d %s", sim.status, sim.body)
			}
			var s struct {
				Decision string `xml:"SimulatePrincipalPolicyResult>EvaluationResults>member>EvalDecision"`
			}
			if err := xml.Unmarshal(sim.body, &s); err != nil {
				t.Fatal(err)
			}
			real := h.send(t, "iam", user, c.form)
			denied := real.status == 403
			if (s.Decision == "allowed") == denied {
				t.Errorf("simulation says %s, real call answered %d %s", s.Decision, real.status, real.body)
			}
		})
	}
}

// TestSimulateNotPrincipalBoundary checks that IAM's simulator applies the
// NotPrincipal rule of AWS's NotPrincipal page
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html):
// a resource policy's Deny with NotPrincipal "will always deny any IAM
// principal that has a permissions boundary policy attached, regardless
// of the values specified in the NotPrincipal element". The boundary is
// the source's stored one for SimulatePrincipalPolicy, or the
// PermissionsBoundaryPolicyInputList of either operation.
func TestSimulateNotPrincipalBoundary(t *testing.T) {
	h := newHarness(t, nil)
	mustOK := func(f url.Values) {
		t.Helper()
		if r := h.send(t, "iam", rootKey, f); r.status != 200 {
			t.Fatalf("%s: %d %s", f.Get("Action"), r.status, r.body)
		}
	}
	const (
		readAll   = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`
		s3Cap     = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`
		trust     = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole"}}`
		object    = "arn:aws:s3:::example-bucket/report.csv"
		boundary  = "arn:aws:iam::" + accountID + ":policy/S3Cap"
		root      = "arn:aws:iam::" + accountID + ":root"
		simulated = "SimulatedSession"
	)
	mustOK(iamForm("CreatePolicy", "PolicyName", "S3Cap", "PolicyDocument", s3Cap))
	for _, u := range []struct{ name, boundary string }{{"alice", ""}, {"carol", boundary}} {
		mustOK(iamForm("CreateUser", "UserName", u.name))
		mustOK(iamForm("PutUserPolicy", "UserName", u.name, "PolicyName", "read", "PolicyDocument", readAll))
		if u.boundary != "" {
			mustOK(iamForm("PutUserPermissionsBoundary", "UserName", u.name, "PermissionsBoundary", u.boundary))
		}
	}
	for _, r := range []struct{ name, boundary string }{{"app", ""}, {"capped", boundary}} {
		mustOK(iamForm("CreateRole", "RoleName", r.name, "AssumeRolePolicyDocument", trust))
		mustOK(iamForm("PutRolePolicy", "RoleName", r.name, "PolicyName", "read", "PolicyDocument", readAll))
		if r.boundary != "" {
			mustOK(iamForm("PutRolePermissionsBoundary", "RoleName", r.name, "PermissionsBoundary", r.boundary))
		}
	}
	user := func(name string) string { return "arn:aws:iam::" + accountID + ":user/" + name }
	role := func(name string) string { return "arn:aws:iam::" + accountID + ":role/" + name }
	session := func(name string) string {
		return "arn:aws:sts::" + accountID + ":assumed-role/" + name + "/" + simulated
	}
	denyAllBut := func(listed ...string) string {
		b, _ := json.Marshal(listed)
		return `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":` + string(b) +
			`},"Action":"s3:*","Resource":"arn:aws:s3:::example-bucket/*"}}`
	}
	cases := []struct {
		name string
		form url.Values
		want string
	}{
		{"user without boundary, listed fully", iamForm("SimulatePrincipalPolicy", "PolicySourceArn", user("alice"),
			"ResourcePolicy", denyAllBut(user("alice"), root)), "allowed"},
		{"user without boundary, account not listed", iamForm("SimulatePrincipalPolicy", "PolicySourceArn", user("alice"),
			"ResourcePolicy", denyAllBut(user("alice"))), "explicitDeny"},
		{"user with boundary, listed fully", iamForm("SimulatePrincipalPolicy", "PolicySourceArn", user("carol"),
			"ResourcePolicy", denyAllBut(user("carol"), root)), "explicitDeny"},
		{"user without stored boundary, boundary input", iamForm("SimulatePrincipalPolicy", "PolicySourceArn", user("alice"),
			"PermissionsBoundaryPolicyInputList.member.1", s3Cap, "ResourcePolicy", denyAllBut(user("alice"), root)), "explicitDeny"},
		{"role session without boundary, listed fully", iamForm("SimulatePrincipalPolicy", "PolicySourceArn", role("app"),
			"ResourcePolicy", denyAllBut(session("app"), role("app"), root)), "allowed"},
		{"role session without boundary, role not listed", iamForm("SimulatePrincipalPolicy", "PolicySourceArn", role("app"),
			"ResourcePolicy", denyAllBut(session("app"), root)), "explicitDeny"},
		{"role session with boundary, listed fully", iamForm("SimulatePrincipalPolicy", "PolicySourceArn", role("capped"),
			"ResourcePolicy", denyAllBut(session("capped"), role("capped"), root)), "explicitDeny"},
		{"custom caller without boundary, listed fully", iamForm("SimulateCustomPolicy", "PolicyInputList.member.1", readAll,
			"CallerArn", user("alice"), "ResourcePolicy", denyAllBut(user("alice"), root)), "allowed"},
		{"custom caller with boundary input, listed fully", iamForm("SimulateCustomPolicy", "PolicyInputList.member.1", readAll,
			"PermissionsBoundaryPolicyInputList.member.1", s3Cap, "CallerArn", user("alice"),
			"ResourcePolicy", denyAllBut(user("alice"), root)), "explicitDeny"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.form.Set("ActionNames.member.1", "s3:GetObject")
			c.form.Set("ResourceArns.member.1", object)
			r := h.send(t, "iam", rootKey, c.form)
			if r.status != 200 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			var s struct {
				Principal string `xml:"SimulatePrincipalPolicyResult>EvaluationResults>member>EvalDecision"`
				Custom    string `xml:"SimulateCustomPolicyResult>EvaluationResults>member>EvalDecision"`
			}
			if err := xml.Unmarshal(r.body, &s); err != nil {
				t.Fatal(err)
			}
			if got := s.Principal + s.Custom; got != c.want {
				t.Errorf("EvalDecision %q, want %q\n%s", got, c.want, r.body)
			}
		})
	}
}
