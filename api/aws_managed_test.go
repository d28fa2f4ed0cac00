package api_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/awsmanaged"
	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// policyMember is a Policy element of GetPolicy and ListPolicies.
type policyMember struct {
	PolicyName       string
	PolicyId         string
	Arn              string
	Path             string
	DefaultVersionId string
	AttachmentCount  int
	IsAttachable     bool
	CreateDate       time.Time
	UpdateDate       time.Time
}

type listPoliciesXML struct {
	Policies    []policyMember `xml:"ListPoliciesResult>Policies>member"`
	IsTruncated bool           `xml:"ListPoliciesResult>IsTruncated"`
	Marker      string         `xml:"ListPoliciesResult>Marker"`
}

type errorXML struct {
	Code    string `xml:"Error>Code"`
	Message string `xml:"Error>Message"`
}

// decodeXML decodes an answer the test expects to be status want.
func decodeXML(t *testing.T, what string, r response, want int, v any) {
	t.Helper()
	if r.status != want {
		t.Fatalf("%s: status %d, want %d:\n%s", what, r.status, want, r.body)
	}
	if err := xml.Unmarshal(r.body, v); err != nil {
		t.Fatalf("%s: %v\n%s", what, err, r.body)
	}
}

// sendAt is h.send for IAM without moving the harness clock.
func (h *harness) sendAt(t testing.TB, k key, f url.Values) response {
	t.Helper()
	body := []byte(f.Encode())
	r, err := http.NewRequest("POST", h.url+"/", bytes.NewReader(body))
	if err != nil {
		t.Error(err)
		return response{}
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	s := sigv4.Signer{AccessKeyID: k.id, SecretAccessKey: k.secret, Region: "us-east-1", Service: "iam", Now: h.clock}
	if err := s.Sign(r, body); err != nil {
		t.Error(err)
		return response{}
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Error(err)
		return response{}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Error(err)
	}
	return response{resp.StatusCode, resp.Header, b}
}

// parallel runs fn(0), ..., fn(n-1), eight at a time, and waits for them.
func parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(i)
		}()
	}
	wg.Wait()
}

// listAllPolicies walks every page of ListPolicies with the given
// parameters, pageSize policies a page.
func listAllPolicies(t *testing.T, send func(url.Values) response, pageSize int, kv ...string) []policyMember {
	t.Helper()
	var all []policyMember
	marker := ""
	for page := 0; ; page++ {
		args := append([]string{"MaxItems", strconv.Itoa(pageSize)}, kv...)
		if marker != "" {
			args = append(args, "Marker", marker)
		}
		var out listPoliciesXML
		decodeXML(t, "ListPolicies", send(iamForm("ListPolicies", args...)), 200, &out)
		all = append(all, out.Policies...)
		if !out.IsTruncated {
			return all
		}
		if out.Marker == "" || page > 10000 {
			t.Fatal("ListPolicies: truncated without a marker")
		}
		marker = out.Marker
	}
}

// TestAWSManagedPoliciesWalk lists every AWS managed policy through
// ListPolicies (all pages), attaches each to a role by ARN in batches
// within the role quota, reads it back with GetPolicy and its default
// version with GetPolicyVersion, and detaches it again.
func TestAWSManagedPoliciesWalk(t *testing.T) {
	h := newHarness(t, nil)
	set := awsmanaged.Default()
	// Requests go several at a time, so the clock stays put: h.send moves
	// it a minute a request, which would age signatures in flight.
	send := func(f url.Values) response { return h.sendAt(t, rootKey, f) }

	list := listAllPolicies(t, send, 100, "Scope", "AWS")
	if len(list) != set.Len() || len(list) < 1000 {
		t.Fatalf("ListPolicies --scope AWS: %d policies, want the %d embedded", len(list), set.Len())
	}
	seen := map[string]bool{}
	for i, p := range list {
		w, ok := set.Policy(p.Arn)
		if !ok || p.Arn != w.ARN() || p.PolicyName != w.Name || p.PolicyId != w.ID || p.Path != w.Path ||
			p.DefaultVersionId != w.DefaultVersionID || !p.CreateDate.Equal(w.CreatedAt) || !p.UpdateDate.Equal(w.UpdatedAt) {
			t.Fatalf("policy %d: %+v, want %+v", i, p, w)
		}
		if seen[p.Arn] {
			t.Fatalf("%s listed twice", p.Arn)
		}
		seen[p.Arn] = true
	}
	for _, name := range []string{"ReadOnlyAccess", "AdministratorAccess", "IAMReadOnlyAccess", "AWSLambdaBasicExecutionRole"} {
		found := false
		for arn := range seen {
			found = found || len(arn) > len(name) && arn[len(arn)-len(name)-1:] == "/"+name
		}
		if !found {
			t.Errorf("%s not listed", name)
		}
	}
	if all := listAllPolicies(t, send, 1000); len(all) != set.Len() {
		t.Errorf("ListPolicies (scope All): %d policies, want %d", len(all), set.Len())
	}
	jobs := listAllPolicies(t, send, 1000, "Scope", "AWS", "PathPrefix", "/job-function/")
	if len(jobs) == 0 || len(jobs) > 20 {
		t.Errorf("PathPrefix /job-function/: %d policies", len(jobs))
	}
	for _, p := range jobs {
		if p.Path != "/job-function/" {
			t.Errorf("PathPrefix /job-function/ listed %s", p.Arn)
		}
	}

	// Five roles take ten policies each (the PoliciesPerRole quota) per
	// round; each round's requests go eight at a time.
	const roles, perRole = 5, 10
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`
	for i := range roles {
		if r := send(iamForm("CreateRole", "RoleName", "walker"+strconv.Itoa(i), "AssumeRolePolicyDocument", trust)); r.status != 200 {
			t.Fatalf("CreateRole: %d %s", r.status, r.body)
		}
	}
	var mu sync.Mutex
	attached, refused := 0, 0
	for start := 0; start < len(list); start += roles * perRole {
		round := list[start:min(start+roles*perRole, len(list))]
		role := func(i int) string { return "walker" + strconv.Itoa(i/perRole) }
		ok := make([]bool, len(round))
		parallel(len(round), func(i int) {
			p := round[i]
			r := send(iamForm("AttachRolePolicy", "RoleName", role(i), "PolicyArn", p.Arn))
			if p.Path == "/root-task/" {
				// Root-task policies exist only for root sessions.
				var e errorXML
				xml.Unmarshal(r.body, &e)
				if r.status != 400 || e.Code != "PolicyNotAttachable" || p.IsAttachable {
					t.Errorf("AttachRolePolicy %s: %d %s %q (IsAttachable %v)", p.Arn, r.status, e.Code, e.Message, p.IsAttachable)
				}
				mu.Lock()
				refused++
				mu.Unlock()
				return
			}
			if r.status != 200 || !p.IsAttachable {
				t.Errorf("AttachRolePolicy %s: %d %s (IsAttachable %v)", p.Arn, r.status, r.body, p.IsAttachable)
				return
			}
			ok[i] = true
		})
		if start == 0 {
			only := listAllPolicies(t, send, 100, "Scope", "AWS", "OnlyAttached", "true")
			n := 0
			for _, a := range ok {
				if a {
					n++
				}
			}
			if len(only) != n {
				t.Errorf("OnlyAttached: %d policies, want %d", len(only), n)
			}
		}
		parallel(len(round), func(i int) {
			if !ok[i] {
				return
			}
			p := round[i]
			var got struct {
				Policy policyMember `xml:"GetPolicyResult>Policy"`
			}
			r := send(iamForm("GetPolicy", "PolicyArn", p.Arn))
			if err := xml.Unmarshal(r.body, &got); r.status != 200 || err != nil || got.Policy.Arn != p.Arn ||
				got.Policy.AttachmentCount != 1 || got.Policy.DefaultVersionId != p.DefaultVersionId {
				t.Errorf("GetPolicy %s: %d %+v (%v)", p.Arn, r.status, got.Policy, err)
			}
			var v struct {
				Document  string `xml:"GetPolicyVersionResult>PolicyVersion>Document"`
				VersionId string `xml:"GetPolicyVersionResult>PolicyVersion>VersionId"`
				IsDefault bool   `xml:"GetPolicyVersionResult>PolicyVersion>IsDefaultVersion"`
			}
			r = send(iamForm("GetPolicyVersion", "PolicyArn", p.Arn, "VersionId", p.DefaultVersionId))
			xerr := xml.Unmarshal(r.body, &v)
			doc, err := url.QueryUnescape(v.Document)
			wantV, _, verr := set.Version(p.Arn, p.DefaultVersionId)
			if r.status != 200 || xerr != nil || err != nil || verr != nil || doc != wantV.Document || v.VersionId != p.DefaultVersionId || !v.IsDefault {
				t.Errorf("GetPolicyVersion %s %s: %d %s %v (%v, %v, %v)", p.Arn, p.DefaultVersionId, r.status, v.VersionId, v.IsDefault, xerr, err, verr)
			}
		})
		parallel(len(round), func(i int) {
			if !ok[i] {
				return
			}
			if r := send(iamForm("DetachRolePolicy", "RoleName", role(i), "PolicyArn", round[i].Arn)); r.status != 200 {
				t.Errorf("DetachRolePolicy %s: %d %s", round[i].Arn, r.status, r.body)
			}
			mu.Lock()
			attached++
			mu.Unlock()
		})
		if t.Failed() {
			t.FailNow()
		}
	}
	if attached+refused != set.Len() || refused == 0 {
		t.Errorf("attached %d, refused %d, of %d", attached, refused, set.Len())
	}

	// A policy with a long history: every version, newest first.
	const ro = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	var versions struct {
		IDs []string `xml:"ListPolicyVersionsResult>Versions>member>VersionId"`
	}
	decodeXML(t, "ListPolicyVersions", send(iamForm("ListPolicyVersions", "PolicyArn", ro, "MaxItems", "1000")), 200, &versions)
	wantVersions, _, err := set.Versions(ro)
	if err != nil || len(versions.IDs) != len(wantVersions) || len(wantVersions) < 100 || versions.IDs[0] != wantVersions[0].VersionID {
		t.Errorf("ListPolicyVersions %s: %d versions (first %v), want %d (%v)", ro, len(versions.IDs), versions.IDs[:min(1, len(versions.IDs))], len(wantVersions), err)
	}
	// ListEntitiesForPolicy sees an attachment.
	if r := send(iamForm("AttachRolePolicy", "RoleName", "walker0", "PolicyArn", ro)); r.status != 200 {
		t.Fatalf("AttachRolePolicy: %d %s", r.status, r.body)
	}
	var entities struct {
		Roles []string `xml:"ListEntitiesForPolicyResult>PolicyRoles>member>RoleName"`
	}
	decodeXML(t, "ListEntitiesForPolicy", send(iamForm("ListEntitiesForPolicy", "PolicyArn", ro)), 200, &entities)
	if len(entities.Roles) != 1 || entities.Roles[0] != "walker0" {
		t.Errorf("ListEntitiesForPolicy %s: %v", ro, entities.Roles)
	}
}

// walkGovAccount is a GovCloud account no other test uses, in either
// partition.
const (
	walkGovAccount = "310987654329"
	walkGovKeyID   = "AKIAGOVWALKROOT00001"
	walkGovSecret  = "govcloud/walk/secret/key/000000000000000"
)

// TestAWSManagedPoliciesGovCloud checks that a GovCloud account sees every
// AWS managed policy under its aws-us-gov ARN, and attaches, lists and
// detaches them by that ARN only.
func TestAWSManagedPoliciesGovCloud(t *testing.T) {
	h := newHarness(t, nil)
	err := h.srv.Store.Update(t.Context(), func(tx gatehouse.Tx) error {
		if err := tx.CreateAccount(&gatehouse.Account{ID: walkGovAccount, Name: "gov walk", CreatedAt: h.clock(), Partition: gatehouse.PartitionGovCloud}); err != nil {
			return err
		}
		return tx.CreateAccessKey(&gatehouse.AccessKey{ID: walkGovKeyID, AccountID: walkGovAccount, Status: gatehouse.KeyActive,
			Secret: gatehouse.Secret(walkGovSecret), CreatedAt: h.clock()})
	})
	if err != nil {
		t.Fatal(err)
	}
	gov := key{id: walkGovKeyID, secret: walkGovSecret}
	send := func(f url.Values) response { return h.sendIn(t, "us-gov-west-1", "iam", gov, f) }
	set := awsmanaged.Default()

	list := listAllPolicies(t, send, 1000, "Scope", "AWS")
	if len(list) != set.Len() {
		t.Fatalf("ListPolicies --scope AWS: %d policies, want %d", len(list), set.Len())
	}
	for i, p := range list {
		if _, ok := set.Policy(p.Arn); !ok || p.Arn != "arn:aws-us-gov:iam::aws:policy"+p.Path+p.PolicyName {
			t.Fatalf("policy %d: ARN %s, want an aws-us-gov ARN of an embedded policy", i, p.Arn)
		}
	}
	const govARN, stdARN = "arn:aws-us-gov:iam::aws:policy/job-function/Billing", "arn:aws:iam::aws:policy/job-function/Billing"
	var got struct {
		Policy policyMember `xml:"GetPolicyResult>Policy"`
	}
	decodeXML(t, "GetPolicy", send(iamForm("GetPolicy", "PolicyArn", govARN)), 200, &got)
	if got.Policy.Arn != govARN {
		t.Errorf("GetPolicy: ARN %s, want %s", got.Policy.Arn, govARN)
	}
	var e errorXML
	decodeXML(t, "GetPolicy standard ARN", send(iamForm("GetPolicy", "PolicyArn", stdARN)), 404, &e)
	if e.Code != "NoSuchEntity" {
		t.Errorf("GetPolicy %s in GovCloud: %s %q", stdARN, e.Code, e.Message)
	}
	var v struct {
		VersionId string `xml:"GetPolicyVersionResult>PolicyVersion>VersionId"`
	}
	decodeXML(t, "GetPolicyVersion", send(iamForm("GetPolicyVersion", "PolicyArn", govARN, "VersionId", "v1")), 200, &v)

	if r := send(iamForm("CreateUser", "UserName", "auditor")); r.status != 200 {
		t.Fatalf("CreateUser: %d %s", r.status, r.body)
	}
	if r := send(iamForm("AttachUserPolicy", "UserName", "auditor", "PolicyArn", stdARN)); r.status != 404 {
		t.Errorf("AttachUserPolicy with the standard ARN: %d %s", r.status, r.body)
	}
	if r := send(iamForm("AttachUserPolicy", "UserName", "auditor", "PolicyArn", govARN)); r.status != 200 {
		t.Fatalf("AttachUserPolicy: %d %s", r.status, r.body)
	}
	var attached struct {
		ARNs []string `xml:"ListAttachedUserPoliciesResult>AttachedPolicies>member>PolicyArn"`
	}
	decodeXML(t, "ListAttachedUserPolicies", send(iamForm("ListAttachedUserPolicies", "UserName", "auditor")), 200, &attached)
	if len(attached.ARNs) != 1 || attached.ARNs[0] != govARN {
		t.Errorf("ListAttachedUserPolicies: %v, want [%s]", attached.ARNs, govARN)
	}
	decodeXML(t, "GetPolicy", send(iamForm("GetPolicy", "PolicyArn", govARN)), 200, &got)
	if got.Policy.AttachmentCount != 1 {
		t.Errorf("GetPolicy after attaching: AttachmentCount %d, want 1", got.Policy.AttachmentCount)
	}
	if only := listAllPolicies(t, send, 100, "Scope", "AWS", "OnlyAttached", "true"); len(only) != 1 || only[0].Arn != govARN {
		t.Errorf("OnlyAttached: %+v", only)
	}
	if r := send(iamForm("DetachUserPolicy", "UserName", "auditor", "PolicyArn", govARN)); r.status != 200 {
		t.Fatalf("DetachUserPolicy: %d %s", r.status, r.body)
	}
	attached.ARNs = nil // xml.Unmarshal appends to a slice
	decodeXML(t, "ListAttachedUserPolicies", send(iamForm("ListAttachedUserPolicies", "UserName", "auditor")), 200, &attached)
	if len(attached.ARNs) != 0 {
		t.Errorf("ListAttachedUserPolicies after detaching: %v", attached.ARNs)
	}
}

// TestAWSManagedPoliciesReadOnly checks that every change to an AWS
// managed policy is refused as AWS refuses it: AccessDenied (403),
// "Cannot <verb> a policy outside your own account."
func TestAWSManagedPoliciesReadOnly(t *testing.T) {
	h := newHarness(t, nil)
	const arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	for _, c := range []struct {
		form url.Values
		verb string
	}{
		{iamForm("DeletePolicy", "PolicyArn", arn), "delete"},
		{iamForm("CreatePolicyVersion", "PolicyArn", arn, "PolicyDocument", doc, "SetAsDefault", "true"), "modify"},
		{iamForm("SetDefaultPolicyVersion", "PolicyArn", arn, "VersionId", "v1"), "modify"},
		{iamForm("DeletePolicyVersion", "PolicyArn", arn, "VersionId", "v1"), "modify"},
		{iamForm("TagPolicy", "PolicyArn", arn, "Tags.member.1.Key", "k", "Tags.member.1.Value", "v"), "tag"},
		{iamForm("UntagPolicy", "PolicyArn", arn, "TagKeys.member.1", "k"), "untag"},
	} {
		op := c.form.Get("Action")
		var e errorXML
		decodeXML(t, op, h.send(t, "iam", rootKey, c.form), 403, &e)
		if want := "Cannot " + c.verb + " a policy outside your own account."; e.Code != "AccessDenied" || e.Message != want {
			t.Errorf("%s: %s %q, want AccessDenied %q", op, e.Code, e.Message, want)
		}
	}
	// Nothing changed.
	var got struct {
		Policy policyMember `xml:"GetPolicyResult>Policy"`
	}
	decodeXML(t, "GetPolicy", h.send(t, "iam", rootKey, iamForm("GetPolicy", "PolicyArn", arn)), 200, &got)
	if want, _ := awsmanaged.Default().Policy(arn); got.Policy.DefaultVersionId != want.DefaultVersionID {
		t.Errorf("default version %s, want %s", got.Policy.DefaultVersionId, want.DefaultVersionID)
	}
}
