package policy_test

import (
	"fmt"
	"testing"

	"github.com/gatehouse-dev/gatehouse/policy"
)

// s3Policy returns the n-th policy of the benchmark shape: statements
// that allow and deny s3:GetObject, s3:PutObject and s3:ListBucket on
// bucket-n prefixes, with an s3:prefix StringLike condition, an
// aws:SourceIp condition and an explicit deny.
func s3Policy(n, statements int) string {
	stmts := []string{
		fmt.Sprintf(`{"Sid":"Read%d","Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::bucket-%d/home/${aws:username}/*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.0.2.0/24"]}}}`, n, n),
		fmt.Sprintf(`{"Sid":"Write%d","Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":"arn:aws:s3:::bucket-%d/shared/*"}`, n, n),
		fmt.Sprintf(`{"Sid":"List%d","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bucket-%d","Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*","shared/*"]}}}`, n, n),
		fmt.Sprintf(`{"Sid":"DenySecret%d","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::bucket-%d/secret/*"}`, n, n),
		fmt.Sprintf(`{"Sid":"DenyOutside%d","Effect":"Deny","Action":["s3:PutObject"],"Resource":"arn:aws:s3:::bucket-%d/*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}`, n, n),
	}
	body := ""
	for i := 0; i < statements; i++ {
		s := stmts[i%len(stmts)]
		if i >= len(stmts) {
			// Further statements: same shapes on other prefixes, distinct Sids.
			s = fmt.Sprintf(`{"Sid":"More%dx%d","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket-%d/p%d/*","Condition":{"StringLike":{"s3:prefix":"p%d/*"}}}`, n, i, n, i, i)
		}
		if i > 0 {
			body += ","
		}
		body += s
	}
	return `{"Version":"2012-10-17","Statement":[` + body + `]}`
}

func benchSet(b *testing.B, policies, statements int) *policy.Policies {
	b.Helper()
	var ps []*policy.Policy
	for n := 0; n < policies; n++ {
		p, err := policy.CompileJSON(fmt.Sprintf("p%d", n), []byte(s3Policy(n, statements)))
		if err != nil {
			b.Fatal(err)
		}
		ps = append(ps, p)
	}
	return &policy.Policies{Identity: policy.NewSet(ps...)}
}

func benchRequest(action, resource, ip string) *policy.Request {
	r := &policy.Request{
		Principal: policy.Principal{Type: policy.User, ARN: "arn:aws:iam::111122223333:user/alice", Account: "111122223333"},
		Action:    action,
		Resource:  resource,
	}
	r.Context.Set("aws:username", "alice")
	r.Context.Set("aws:SourceIp", ip)
	r.Context.Set("aws:CurrentTime", "2026-11-29T12:00:00Z")
	r.Context.Set("s3:prefix", "home/alice/")
	return r
}

func benchDecisions(b *testing.B, policies, statements int) {
	ps := benchSet(b, policies, statements)
	cases := []struct {
		name string
		req  *policy.Request
		want policy.Result
	}{
		{"allow", benchRequest("s3:GetObject", "arn:aws:s3:::bucket-3/home/alice/notes.txt", "10.1.2.3"), policy.Allowed},
		{"implicitDeny", benchRequest("s3:GetObject", "arn:aws:s3:::bucket-3/home/bob/notes.txt", "10.1.2.3"), policy.ImplicitDeny},
		{"explicitDeny", benchRequest("s3:PutObject", "arn:aws:s3:::bucket-3/shared/x", "203.0.113.9"), policy.ExplicitDeny},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var d policy.Decision
			policy.DecideInto(c.req, ps, &d)
			if d.Result != c.want {
				b.Fatalf("got %v, want %v", d.Result, c.want)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				policy.DecideInto(c.req, ps, &d)
			}
		})
	}
}

// BenchmarkDecide10x5 is shape (a): ten S3-style policies of five
// statements each.
func BenchmarkDecide10x5(b *testing.B) { benchDecisions(b, 10, 5) }

// BenchmarkDecide100x20 is shape (b): the same at 100 policies of twenty
// statements.
func BenchmarkDecide100x20(b *testing.B) { benchDecisions(b, 100, 20) }

// notPrincipalSet is shape (a) plus a bucket policy whose Deny uses
// NotPrincipal (listing alice and her account) and, when bounded, a
// permissions boundary: the caller then falls under the Deny whatever
// it lists.
func notPrincipalSet(b *testing.B, bounded bool) *policy.Policies {
	b.Helper()
	ps := benchSet(b, 10, 5)
	bucket, err := policy.CompileJSON("bp", []byte(`{"Version":"2012-10-17","Statement":[
		{"Sid":"DenyOthers","Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:user/alice","arn:aws:iam::111122223333:root"]},"Action":"s3:*","Resource":"arn:aws:s3:::bucket-3/*"}]}`))
	if err != nil {
		b.Fatal(err)
	}
	ps.Resource = policy.NewSet(bucket)
	if bounded {
		boundary, err := policy.CompileJSON("pb", []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`))
		if err != nil {
			b.Fatal(err)
		}
		ps.Boundary = policy.NewSet(boundary)
	}
	return ps
}

// BenchmarkDecideNotPrincipal decides an allowed read under a bucket
// policy's NotPrincipal Deny, for a caller without a boundary (spared)
// and with one (denied).
func BenchmarkDecideNotPrincipal(b *testing.B) {
	req := benchRequest("s3:GetObject", "arn:aws:s3:::bucket-3/home/alice/notes.txt", "10.1.2.3")
	for _, c := range []struct {
		name    string
		bounded bool
		want    policy.Result
	}{
		{"spared", false, policy.Allowed},
		{"boundary", true, policy.ExplicitDeny},
	} {
		b.Run(c.name, func(b *testing.B) {
			ps := notPrincipalSet(b, c.bounded)
			var d policy.Decision
			policy.DecideInto(req, ps, &d)
			if d.Result != c.want {
				b.Fatalf("got %v, want %v", d.Result, c.want)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				policy.DecideInto(req, ps, &d)
			}
		})
	}
}

// BenchmarkCompile is shape (c): parsing and compiling one five-statement
// policy.
func BenchmarkCompile(b *testing.B) {
	doc := []byte(s3Policy(1, 5))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := policy.CompileJSON("p", doc); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDecideAllocatesNothing pins the zero-allocation promise of
// DecideInto with a reused Decision.
func TestDecideAllocatesNothing(t *testing.T) {
	b := &testing.B{}
	ps := benchSet(b, 10, 5)
	for _, req := range []*policy.Request{
		benchRequest("s3:GetObject", "arn:aws:s3:::bucket-3/home/alice/notes.txt", "10.1.2.3"),
		benchRequest("s3:PutObject", "arn:aws:s3:::bucket-3/shared/x", "203.0.113.9"),
		benchRequest("S3:LISTBUCKET", "arn:aws:s3:::bucket-3", "2001:db8::1"),
	} {
		var d policy.Decision
		policy.DecideInto(req, ps, &d)
		if n := testing.AllocsPerRun(100, func() { policy.DecideInto(req, ps, &d) }); n != 0 {
			t.Errorf("%s %s: %v allocations per decision, want 0", req.Action, req.Resource, n)
		}
	}
	req := benchRequest("s3:GetObject", "arn:aws:s3:::bucket-3/home/alice/notes.txt", "10.1.2.3")
	for _, bounded := range []bool{false, true} {
		ps := notPrincipalSet(b, bounded)
		var d policy.Decision
		policy.DecideInto(req, ps, &d)
		if n := testing.AllocsPerRun(100, func() { policy.DecideInto(req, ps, &d) }); n != 0 {
			t.Errorf("NotPrincipal deny, boundary %v: %v allocations per decision, want 0", bounded, n)
		}
	}
}
