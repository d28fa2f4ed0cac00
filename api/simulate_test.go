package api_test

import (
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"strconv"
	"strings"
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

// simulationPage is one page of a simulation's answer.
type simulationPage struct {
	Results []struct {
		Action   string   `xml:"EvalActionName"`
		Resource string   `xml:"EvalResourceName"`
		Decision string   `xml:"EvalDecision"`
		Matched  []string `xml:"MatchedStatements>member>SourcePolicyId"`
	} `xml:"SimulateCustomPolicyResult>EvaluationResults>member"`
	Truncated bool   `xml:"SimulateCustomPolicyResult>IsTruncated"`
	Marker    string `xml:"SimulateCustomPolicyResult>Marker"`
}

// simulate sends a SimulateCustomPolicy and decodes its page.
func simulate(t *testing.T, h *harness, f url.Values) simulationPage {
	t.Helper()
	r := h.send(t, "iam", rootKey, f)
	if r.status != 200 {
		t.Fatalf("HTTP %d %s", r.status, r.body)
	}
	var p simulationPage
	if err := xml.Unmarshal(r.body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Truncated == (p.Marker == "") {
		t.Fatalf("IsTruncated %v with Marker %q", p.Truncated, p.Marker)
	}
	return p
}

// walk follows a simulation's Markers and returns every result, as
// "action resource decision", and the sizes of the pages.
func walk(t *testing.T, h *harness, f url.Values) (results []string, pages []int) {
	t.Helper()
	f = cloneForm(f)
	for {
		p := simulate(t, h, f)
		pages = append(pages, len(p.Results))
		for _, r := range p.Results {
			results = append(results, r.Action+" "+r.Resource+" "+r.Decision)
		}
		if !p.Truncated {
			return results, pages
		}
		if len(p.Results) == 0 {
			t.Fatal("an empty page is truncated")
		}
		f.Set("Marker", p.Marker)
	}
}

func cloneForm(f url.Values) url.Values {
	out := url.Values{}
	for k, v := range f {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// simulationForm asks for every action on every resource against a policy
// that allows a few of them.
func simulationForm(actions, resources int, kv ...string) url.Values {
	f := iamForm("SimulateCustomPolicy", append([]string{"PolicyInputList.member.1", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:Get*","Resource":"*"},
		{"Effect":"Deny","Action":"*","Resource":"arn:aws:s3:::b/r2"}]}`}, kv...)...)
	for i := 1; i <= actions; i++ {
		verb := "Put"
		if i%2 == 0 {
			verb = "Get"
		}
		f.Set(fmt.Sprintf("ActionNames.member.%d", i), fmt.Sprintf("s3:%sObject%d", verb, i))
	}
	for i := 1; i <= resources; i++ {
		f.Set(fmt.Sprintf("ResourceArns.member.%d", i), fmt.Sprintf("arn:aws:s3:::b/r%d", i))
	}
	return f
}

// TestSimulationPages checks that a simulation's pages, whatever their
// size, walk the results in AWS's order (each action on each resource in
// turn) once each, and that the Marker resumes exactly.
func TestSimulationPages(t *testing.T) {
	h := newHarness(t, nil)
	const actions, resources = 7, 5
	var want []string
	for a := 1; a <= actions; a++ {
		for r := 1; r <= resources; r++ {
			verb, decision := "Put", "implicitDeny"
			if a%2 == 0 {
				verb, decision = "Get", "allowed"
			}
			if r == 2 {
				decision = "explicitDeny"
			}
			want = append(want, fmt.Sprintf("s3:%sObject%d arn:aws:s3:::b/r%d %s", verb, a, r, decision))
		}
	}
	tests := []struct {
		name     string
		maxItems string // "": IAM's default, 100
		pages    []int
	}{
		{"default", "", []int{35}},
		{"one by one", "1", slicesRepeat(1, 35)},
		{"three", "3", append(slicesRepeat(3, 11), 2)},
		{"one action's worth", "5", slicesRepeat(5, 7)},
		{"all but one", "34", []int{34, 1}},
		{"exactly all", "35", []int{35}},
		{"the most", "1000", []int{35}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var kv []string
			if tc.maxItems != "" {
				kv = []string{"MaxItems", tc.maxItems}
			}
			got, pages := walk(t, h, simulationForm(actions, resources, kv...))
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if fmt.Sprint(pages) != fmt.Sprint(tc.pages) {
				t.Errorf("pages of %v, want %v", pages, tc.pages)
			}
		})
	}
	t.Run("no resources: every action on *", func(t *testing.T) {
		got, _ := walk(t, h, simulationForm(3, 0, "MaxItems", "2"))
		if want := "s3:PutObject1 * implicitDeny|s3:GetObject2 * allowed|s3:PutObject3 * implicitDeny"; strings.Join(got, "|") != want {
			t.Errorf("results %q, want %q", got, want)
		}
	})
	t.Run("a Marker from the middle resumes there", func(t *testing.T) {
		first := simulate(t, h, simulationForm(actions, resources, "MaxItems", "12"))
		second := simulate(t, h, simulationForm(actions, resources, "MaxItems", "4", "Marker", first.Marker))
		var got []string
		for _, r := range second.Results {
			got = append(got, r.Action+" "+r.Resource+" "+r.Decision)
		}
		if strings.Join(got, "\n") != strings.Join(want[12:16], "\n") {
			t.Errorf("results %q, want %q", got, want[12:16])
		}
	})
}

func slicesRepeat(n, times int) []int {
	out := make([]int, times)
	for i := range out {
		out[i] = n
	}
	return out
}

// TestSimulationMarkerTampered checks the answers to Markers the server
// did not write.
func TestSimulationMarkerTampered(t *testing.T) {
	h := newHarness(t, nil)
	marker := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	const invalid = "Invalid Marker."
	tests := []struct {
		name, marker, code, message string
	}{
		{"not base64", "!!!", "InvalidInput", invalid},
		{"not a number", marker("twelve"), "InvalidInput", invalid},
		{"negative", marker("-1"), "InvalidInput", invalid},
		{"past the end", marker("36"), "InvalidInput", invalid},
		{"far past the end", marker(strconv.Itoa(1 << 40)), "InvalidInput", invalid},
		{"overflowing", marker("99999999999999999999999"), "InvalidInput", invalid},
		{"longer than markerType allows", strings.Repeat("A", 321), "ValidationError",
			"1 validation error detected: Value '" + strings.Repeat("A", 321) + "' at 'marker' failed to satisfy constraint: Member must have length less than or equal to 320"},
		{"outside markerType's pattern", "MTI\x01", "ValidationError", // XML carries no U+0001
			"1 validation error detected: Value 'MTI\uFFFD' at 'marker' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0020-\\u00FF]+"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := h.send(t, "iam", rootKey, simulationForm(7, 5, "Marker", tc.marker))
			wantError(t, r, 400, tc.code, tc.message)
		})
	}
	t.Run("the end", func(t *testing.T) {
		p := simulate(t, h, simulationForm(7, 5, "Marker", marker("35")))
		if len(p.Results) != 0 || p.Truncated {
			t.Errorf("%d results, truncated %v; want none", len(p.Results), p.Truncated)
		}
	})
}

// TestSimulationPageBudget checks that a page whose results hold many
// matched statements ends before MaxItems, and that walking on gives
// every result; and that a single result too costly to evaluate is
// refused with IAM's PolicyEvaluation error rather than evaluated.
func TestSimulationPageBudget(t *testing.T) {
	h := newHarness(t, nil)
	stmts := strings.Repeat(`{"Effect":"Allow","Action":"*","Resource":"*"},`, 2000)
	doc := `{"Version":"2012-10-17","Statement":[` + strings.TrimSuffix(stmts, ",") + `]}`
	f := iamForm("SimulateCustomPolicy", "PolicyInputList.member.1", doc, "PolicyInputList.member.2", doc, "MaxItems", "1000")
	for i := 1; i <= 10; i++ {
		f.Set(fmt.Sprintf("ActionNames.member.%d", i), fmt.Sprintf("s3:GetObject%d", i))
	}
	first := simulate(t, h, f)
	if n := len(first.Results); n == 0 || n >= 10 || !first.Truncated {
		t.Errorf("first page: %d results, truncated %v; want fewer than 10, and truncated", n, first.Truncated)
	}
	for _, r := range first.Results {
		if len(r.Matched) != 4000 {
			t.Errorf("%s: %d matched statements, want 4000", r.Action, len(r.Matched))
		}
	}
	got, pages := walk(t, h, f)
	if len(got) != 10 || len(pages) < 2 {
		t.Errorf("%d results in pages %v, want 10 in several pages", len(got), pages)
	}

	t.Run("PolicyEvaluation", func(t *testing.T) {
		var values []string
		for i := range 12000 {
			values = append(values, fmt.Sprintf(`"b%d*"`, i))
		}
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":[` +
			strings.Join(values, ",") + `]}}}]}`
		f := iamForm("SimulateCustomPolicy", "PolicyInputList.member.1", doc, "ActionNames.member.1", "s3:GetObject",
			"ContextEntries.member.1.ContextKeyName", "aws:TagKeys", "ContextEntries.member.1.ContextKeyType", "stringList")
		for i := 1; i <= 5000; i++ {
			f.Set(fmt.Sprintf("ContextEntries.member.1.ContextKeyValues.member.%d", i), "a"+strconv.Itoa(i))
		}
		r := h.send(t, "iam", rootKey, f)
		e := wantError(t, r, 500, "PolicyEvaluation", "")
		if !strings.HasPrefix(e.Message, "Simulating s3:GetObject on * would take more work than one request may do") {
			t.Errorf("message %q", e.Message)
		}
	})
}

// TestSimulationConstraints checks the service model's constraints on the
// simulator's inputs and the wording of their violations.
func TestSimulationConstraints(t *testing.T) {
	h := newHarness(t, nil)
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	long := doc[:len(doc)-2] + strings.Repeat(" ", 131073-len(doc)) + "]}"
	custom := func(kv ...string) url.Values {
		f := iamForm("SimulateCustomPolicy", "PolicyInputList.member.1", doc, "ActionNames.member.1", "s3:GetObject")
		for i := 0; i+1 < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return f
	}
	const detected = "1 validation error detected: "
	tests := []struct {
		name    string
		form    url.Values
		message string
	}{
		{"action too short", custom("ActionNames.member.2", "s3"),
			detected + "Value 's3' at 'actionNames.2.member' failed to satisfy constraint: Member must have length greater than or equal to 3"},
		{"action too long", custom("ActionNames.member.1", "s3:"+strings.Repeat("x", 126)),
			detected + "Value 's3:" + strings.Repeat("x", 126) + "' at 'actionNames.1.member' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"empty resource", custom("ResourceArns.member.1", "arn:aws:s3:::b", "ResourceArns.member.2", ""),
			detected + "Value '' at 'resourceArns.2.member' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"resource too long", custom("ResourceArns.member.1", strings.Repeat("a", 2049)),
			detected + "Value '" + strings.Repeat("a", 2049) + "' at 'resourceArns.1.member' failed to satisfy constraint: Member must have length less than or equal to 2048"},
		{"policy too long", custom("PolicyInputList.member.1", long),
			detected + "Value at 'policyInputList.1.member' failed to satisfy constraint: Member must have length less than or equal to 131072"},
		{"empty policy", custom("PolicyInputList.member.2", ""),
			detected + "Value at 'policyInputList.2.member' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"policy with a control character", custom("PermissionsBoundaryPolicyInputList.member.1", doc+"\x01"),
			detected + `Value at 'permissionsBoundaryPolicyInputList.1.member' failed to satisfy constraint: Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`},
		{"resource policy beyond Latin-1", custom("ResourcePolicy", strings.Replace(doc, "*", "•", 1)),
			detected + `Value at 'resourcePolicy' failed to satisfy constraint: Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`},
		{"caller too long", custom("CallerArn", strings.Repeat("c", 2049)),
			detected + "Value '" + strings.Repeat("c", 2049) + "' at 'callerArn' failed to satisfy constraint: Member must have length less than or equal to 2048"},
		{"context key name too short", custom("ContextEntries.member.1.ContextKeyName", "a:b", "ContextEntries.member.1.ContextKeyValues.member.1", "v"),
			detected + "Value 'a:b' at 'contextEntries.1.member.contextKeyName' failed to satisfy constraint: Member must have length greater than or equal to 5"},
		{"context key type", custom("ContextEntries.member.1.ContextKeyName", "aws:username", "ContextEntries.member.1.ContextKeyType", "text"),
			detected + "Value 'text' at 'contextEntries.1.member.contextKeyType' failed to satisfy constraint: Member must satisfy enum value set: [string, stringList, numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList]"},
		{"resource handling option too long", custom("ResourceHandlingOption", strings.Repeat("o", 65)),
			detected + "Value '" + strings.Repeat("o", 65) + "' at 'resourceHandlingOption' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"MaxItems 0", custom("MaxItems", "0"),
			detected + "Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"MaxItems 1001", custom("MaxItems", "1001"),
			detected + "Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000"},
		{"several, in the model's member order", custom("MaxItems", "0", "ActionNames.member.2", "s3", "ActionNames.member.3", "ec2"),
			"2 validation errors detected: Value 's3' at 'actionNames.2.member' failed to satisfy constraint: Member must have length greater than or equal to 3; " +
				"Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"principal: source ARN too short", iamForm("SimulatePrincipalPolicy", "PolicySourceArn", "arn:aws:iam::1:u", "ActionNames.member.1", "s3:GetObject"),
			detected + "Value 'arn:aws:iam::1:u' at 'policySourceArn' failed to satisfy constraint: Member must have length greater than or equal to 20"},
		{"principal: policy too long", iamForm("SimulatePrincipalPolicy", "PolicySourceArn", "arn:aws:iam::123456789012:user/x",
			"ActionNames.member.1", "s3:GetObject", "PolicyInputList.member.1", long),
			detected + "Value at 'policyInputList.1.member' failed to satisfy constraint: Member must have length less than or equal to 131072"},
		{"context keys: policy too long", iamForm("GetContextKeysForCustomPolicy", "PolicyInputList.member.1", doc, "PolicyInputList.member.2", long),
			detected + "Value at 'policyInputList.2.member' failed to satisfy constraint: Member must have length less than or equal to 131072"},
		{"principal context keys: source ARN too long", iamForm("GetContextKeysForPrincipalPolicy", "PolicySourceArn", strings.Repeat("a", 2049)),
			detected + "Value '" + strings.Repeat("a", 2049) + "' at 'policySourceArn' failed to satisfy constraint: Member must have length less than or equal to 2048"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, h.send(t, "iam", rootKey, tc.form), 400, "ValidationError", tc.message)
		})
	}
	t.Run("the limits themselves are accepted", func(t *testing.T) {
		exact := doc[:len(doc)-2] + strings.Repeat(" ", 131072-len(doc)) + "]}"
		f := custom("PolicyInputList.member.1", exact, "ActionNames.member.1", "s3:"+strings.Repeat("x", 125),
			"ActionNames.member.2", "a:b", "ResourceArns.member.1", strings.Repeat("a", 2048), "ResourceArns.member.2", "b",
			"ContextEntries.member.1.ContextKeyName", "a:bcd", "ContextEntries.member.1.ContextKeyValues.member.1", "v",
			"MaxItems", "1000", "Marker", base64.RawURLEncoding.EncodeToString([]byte("1")))
		p := simulate(t, h, f)
		if len(p.Results) != 3 {
			t.Errorf("%d results, want 3", len(p.Results))
		}
	})
}
