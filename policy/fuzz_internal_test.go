package policy

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse/wildcard"
)

var fuzzSeeds = []string{
	`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::b/${aws:username}/*"}}`,
	`{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Deny","NotAction":["iam:*"],"NotResource":"*","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":["a*"]},"NumericLessThan":{"s3:max-keys":10}}}]}`,
	`{"Statement":{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::444455556666:root"]},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":true},"IpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]}}}}`,
	`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"},"Null":{"aws:TokenIssueTime":"false"}}}}`,
	`{"a":"\u00e9\ud83d\ude00\n","b":[1,-2.5e3,true,null,{}]}`,
}

// toAny converts a parsed tree to the values encoding/json produces.
func toAny(v jvalue) any {
	switch v.kind {
	case jNull:
		return nil
	case jBool:
		return v.str == "true"
	case jNumber:
		return json.Number(v.str)
	case jString:
		return v.str
	case jArray:
		out := []any{}
		for _, it := range v.items {
			out = append(out, toAny(it))
		}
		return out
	}
	out := map[string]any{}
	for _, f := range v.fields {
		out[f.name] = toAny(f.value)
	}
	return out
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tree, err := parseJSON(data)
		valid := json.Valid(data)
		if err == nil && !valid {
			t.Fatalf("parseJSON accepted invalid JSON %q", data)
		}
		shallow := bytes.Count(data, []byte("["))+bytes.Count(data, []byte("{")) < maxJSONDepth
		if err != nil && valid && shallow {
			t.Fatalf("parseJSON rejected valid JSON %q", data)
		}
		if err == nil && utf8.Valid(data) {
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.UseNumber()
			var want any
			if dec.Decode(&want) == nil && !reflect.DeepEqual(toAny(tree), want) {
				t.Fatalf("parseJSON(%q) = %#v, encoding/json says %#v", data, toAny(tree), want)
			}
		}
		doc, err := Parse(data)
		if err != nil {
			if doc != nil {
				t.Fatal("error with a document")
			}
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("Parse error %T is not a *SyntaxError", err)
			}
			return
		}
		for _, k := range kindNames {
			kind, _ := ParseKind(k)
			Validate(data, ValidateOptions{Kind: kind})
		}
		p, err := Compile("fuzz", doc)
		if err == nil && p.ID() != "fuzz" {
			t.Fatal("lost the id")
		}
	})
}

func FuzzPattern(f *testing.F) {
	f.Add("home/${aws:username}/*", "home/alice/x", "alice")
	f.Add("a*b?${*}", "axxbc*", "")
	f.Add("${aws:username, 'x'}*", "xyz", "")
	f.Fuzz(func(t *testing.T, pat, s, user string) {
		p := compilePattern(pat, true, false, false)
		if got, want := p.match(s, false, nil), wildcard.Match(pat, s); got != want {
			t.Fatalf("pattern %q on %q: %v, wildcard says %v", pat, s, got, want)
		}
		var ctx Context
		if user != "" {
			ctx.Set("aws:username", user)
		}
		pv := compilePattern(pat, true, true, false)
		got := pv.match(s, false, &ctx)
		if got != pv.match(s, false, &ctx) {
			t.Fatal("not deterministic")
		}
		if !strings.Contains(pat, "${") && got != wildcard.Match(pat, s) {
			t.Fatalf("pattern %q without variables disagrees with wildcard on %q", pat, s)
		}
		pf := compilePattern(pat, true, true, true)
		if got && !pf.match(s, true, &ctx) && isASCII(pat+s+user) {
			t.Fatalf("case-sensitive match but no case-insensitive match: %q %q", pat, s)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func FuzzDecide(f *testing.F) {
	for _, s := range fuzzSeeds[:4] {
		f.Add(s, "s3:GetObject", "arn:aws:s3:::b/alice/x", "alice", "10.1.2.3", uint8(2))
	}
	f.Fuzz(func(t *testing.T, doc, action, resource, user, ip string, ptype uint8) {
		p, err := CompileJSON("p", []byte(doc))
		if err != nil {
			return
		}
		set := NewSet(p)
		req := &Request{
			Principal: Principal{Type: PrincipalType(ptype % 6), ARN: "arn:aws:iam::111122223333:user/" + user,
				IssuerARN: "arn:aws:iam::111122223333:role/r", Account: "111122223333", Service: "ec2.amazonaws.com"},
			Action:   action,
			Resource: resource,
		}
		req.Context.Set("aws:username", user)
		req.Context.Set("aws:SourceIp", ip)
		req.Context.Set("aws:TagKeys", user, ip)
		for _, ps := range []*Policies{
			{Identity: set},
			{Resource: set},
			{Identity: set, Boundary: set, Session: set, SCP: []*Set{set}, RCP: []*Set{set, nil}},
			{Resource: set, ResourceType: RoleTrustPolicy},
		} {
			d1 := Decide(req, ps)
			d2 := Decide(req, ps)
			if d1.Result != d2.Result || d1.DecidedBy != d2.DecidedBy || !reflect.DeepEqual(d1.Matched, d2.Matched) {
				t.Fatalf("not deterministic: %+v vs %+v", d1, d2)
			}
			for _, m := range d1.Matched {
				if m.Index < 0 || m.Index >= len(p.statements) {
					t.Fatalf("matched statement %d out of range", m.Index)
				}
			}
		}
	})
}
