package api_test

import (
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
