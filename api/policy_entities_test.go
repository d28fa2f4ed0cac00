package api_test

import (
	"encoding/xml"
	"net/url"
	"reflect"
	"testing"
)

// entitiesResult is a ListEntitiesForPolicy result, names only.
type entitiesResult struct {
	Groups    []string `xml:"ListEntitiesForPolicyResult>PolicyGroups>member>GroupName"`
	Users     []string `xml:"ListEntitiesForPolicyResult>PolicyUsers>member>UserName"`
	Roles     []string `xml:"ListEntitiesForPolicyResult>PolicyRoles>member>RoleName"`
	RoleIDs   []string `xml:"ListEntitiesForPolicyResult>PolicyRoles>member>RoleId"`
	Truncated bool     `xml:"ListEntitiesForPolicyResult>IsTruncated"`
	Marker    string   `xml:"ListEntitiesForPolicyResult>Marker"`
}

// TestListEntitiesForPolicy: users, groups and roles that use a policy,
// attached or as their permissions boundary, with AWS's filters and one
// Marker across the three lists.
func TestListEntitiesForPolicy(t *testing.T) {
	h := newHarness(t, nil)
	g := &goldens{h: h, seen: map[string]bool{}}
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	arn := "arn:aws:iam::" + accountID + ":policy/shared"
	g.setup(t, iamForm("CreatePolicy", "PolicyName", "shared", "PolicyDocument", doc))
	g.setup(t, iamForm("CreateUser", "UserName", "ann", "Path", "/eng/"))
	g.setup(t, iamForm("CreateUser", "UserName", "bob"))
	g.setup(t, iamForm("CreateUser", "UserName", "cap", "PermissionsBoundary", arn))
	g.setup(t, iamForm("CreateGroup", "GroupName", "devs"))
	g.setup(t, iamForm("CreateRole", "RoleName", "app", "AssumeRolePolicyDocument", trust, "Path", "/eng/"))
	g.setup(t, iamForm("CreateRole", "RoleName", "capped", "AssumeRolePolicyDocument", trust, "PermissionsBoundary", arn))
	g.setup(t, iamForm("CreateRole", "RoleName", "other", "AssumeRolePolicyDocument", trust))
	for _, a := range []url.Values{
		iamForm("AttachUserPolicy", "UserName", "ann", "PolicyArn", arn),
		iamForm("AttachUserPolicy", "UserName", "bob", "PolicyArn", arn),
		iamForm("AttachGroupPolicy", "GroupName", "devs", "PolicyArn", arn),
		iamForm("AttachRolePolicy", "RoleName", "app", "PolicyArn", arn),
	} {
		g.setup(t, a)
	}
	list := func(kv ...string) (entitiesResult, response) {
		t.Helper()
		r := h.send(t, "iam", rootKey, iamForm("ListEntitiesForPolicy", append([]string{"PolicyArn", arn}, kv...)...))
		var out entitiesResult
		if r.status == 200 {
			if err := xml.Unmarshal(r.body, &out); err != nil {
				t.Fatal(err)
			}
		}
		return out, r
	}
	for _, tc := range []struct {
		name                 string
		kv                   []string
		groups, users, roles []string
	}{
		{"all", nil, []string{"devs"}, []string{"ann", "bob", "cap"}, []string{"app", "capped"}},
		{"roles", []string{"EntityFilter", "Role"}, nil, nil, []string{"app", "capped"}},
		{"users", []string{"EntityFilter", "User"}, nil, []string{"ann", "bob", "cap"}, nil},
		{"groups", []string{"EntityFilter", "Group"}, []string{"devs"}, nil, nil},
		{"local policy", []string{"EntityFilter", "LocalManagedPolicy"}, []string{"devs"}, []string{"ann", "bob", "cap"}, []string{"app", "capped"}},
		{"AWS policy", []string{"EntityFilter", "AWSManagedPolicy"}, nil, nil, nil},
		{"attached", []string{"PolicyUsageFilter", "PermissionsPolicy"}, []string{"devs"}, []string{"ann", "bob"}, []string{"app"}},
		{"boundary", []string{"PolicyUsageFilter", "PermissionsBoundary"}, nil, []string{"cap"}, []string{"capped"}},
		{"path", []string{"PathPrefix", "/eng/"}, nil, []string{"ann"}, []string{"app"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, r := list(tc.kv...)
			if r.status != 200 {
				t.Fatalf("HTTP %d %s", r.status, r.body)
			}
			if !reflect.DeepEqual(got.Groups, tc.groups) || !reflect.DeepEqual(got.Users, tc.users) || !reflect.DeepEqual(got.Roles, tc.roles) {
				t.Errorf("groups %v users %v roles %v; want %v %v %v", got.Groups, got.Users, got.Roles, tc.groups, tc.users, tc.roles)
			}
			if got.Truncated || got.Marker != "" {
				t.Errorf("truncated %v marker %q", got.Truncated, got.Marker)
			}
			for _, id := range got.RoleIDs {
				if len(id) != 21 || id[:4] != "AROA" {
					t.Errorf("RoleId %q", id)
				}
			}
		})
	}

	t.Run("paging", func(t *testing.T) {
		var seen []string
		marker := ""
		for pages := 0; ; pages++ {
			kv := []string{"MaxItems", "2"}
			if marker != "" {
				kv = append(kv, "Marker", marker)
			}
			got, r := list(kv...)
			if r.status != 200 {
				t.Fatalf("HTTP %d %s", r.status, r.body)
			}
			if n := len(got.Groups) + len(got.Users) + len(got.Roles); n > 2 || n == 0 {
				t.Fatalf("page of %d entities", n)
			}
			seen = append(append(append(seen, got.Groups...), got.Users...), got.Roles...)
			if !got.Truncated {
				break
			}
			marker = got.Marker
			if pages > 5 {
				t.Fatal("too many pages")
			}
		}
		if want := []string{"devs", "ann", "bob", "cap", "app", "capped"}; !reflect.DeepEqual(seen, want) {
			t.Errorf("pages listed %v, want %v", seen, want)
		}
	})

	for _, tc := range []struct {
		name string
		kv   []string
		code string
	}{
		{"bad filter", []string{"EntityFilter", "Users"}, "ValidationError"},
		{"bad usage", []string{"PolicyUsageFilter", "Boundary"}, "ValidationError"},
		{"bad path", []string{"PathPrefix", "eng"}, "ValidationError"},
		{"bad marker", []string{"Marker", "%%%"}, "InvalidInput"},
		{"zero items", []string{"MaxItems", "0"}, "ValidationError"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, r := list(tc.kv...)
			wantError(t, r, 400, tc.code, "")
		})
	}
	r := h.send(t, "iam", rootKey, iamForm("ListEntitiesForPolicy", "PolicyArn", "arn:aws:iam::"+accountID+":policy/none"))
	wantError(t, r, 404, "NoSuchEntity", "")
}
