package policy

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// wantCandidates is what the index of s must yield for an action and a
// resource head, by definition: in statement order, every statement that
// may name the action (literally, with a wildcard name in its service,
// or anywhere: "*", NotAction, wildcard services) and may name the head
// (literally, or with a resource whose head is not literal).
func wantCandidates(s *Set, service, name, head string) []cand {
	service, name = strings.ToLower(service), strings.ToLower(name)
	var out []cand
	for ref, r := range s.refs {
		st := r.st
		if !st.wildHeads && !slices.Contains(st.heads, head) {
			continue
		}
		exact, other := false, st.notAction
		for _, a := range st.actions {
			switch {
			case st.notAction:
			case a.all || a.noColon || a.svcWild:
				other = true
			case a.service != service:
			case a.name.isLiteral:
				exact = exact || a.name.literal == name
			default:
				other = true
			}
		}
		if exact || other {
			out = append(out, cand{ref: int32(ref), actionKnown: exact})
		}
	}
	return out
}

// TestSetCandidates checks the index against its definition on random
// sets, walking both sides (the action side when it is the shorter, the
// head side otherwise).
func TestSetCandidates(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	actions := []string{"*", "s3:*", "s3:GetObject", "s3:getobject", "s3:Put*", "iam:GetUser", "iam:*User", "*:Get*",
		"ec2:RunInstances", "s?:ListBucket", "s3:ListBucket", "GetObject"}
	resources := []string{"*", "arn:aws:s3:::a", "arn:aws:s3:::a/*", "arn:aws:s3:::b/x", "arn:aws:s3:::b*", "arn:aws:iam::1:user/u",
		"arn:aws:iam::1:user/*", "arn:aws:s3:::${aws:username}/x", "arn:aws:s3:::c/${aws:username}"}
	reqActions := []string{"s3:GetObject", "S3:GETOBJECT", "s3:PutObject", "s3:ListBucket", "iam:GetUser", "iam:CreateUser",
		"ec2:RunInstances", "sqs:SendMessage", "bogus"}
	reqResources := []string{"*", "arn:aws:s3:::a", "arn:aws:s3:::a/k", "arn:aws:s3:::b/x", "arn:aws:s3:::bb",
		"arn:aws:iam::1:user/u", "arn:aws:s3:::c/alice", "x"}
	pick := func(l []string) string { return l[r.IntN(len(l))] }
	list := func(l []string) string {
		var out []string
		for range 1 + r.IntN(3) {
			out = append(out, fmt.Sprintf("%q", pick(l)))
		}
		return "[" + strings.Join(out, ",") + "]"
	}
	walked := map[bool]int{}
	for range 2000 {
		var ps []*Policy
		for pi := range 1 + r.IntN(4) {
			var sts []string
			for range 1 + r.IntN(6) {
				ak, rk := "Action", "Resource"
				if r.IntN(6) == 0 {
					ak = "NotAction"
				}
				if r.IntN(6) == 0 {
					rk = "NotResource"
				}
				sts = append(sts, fmt.Sprintf(`{"Effect":"Allow","%s":%s,"%s":%s}`, ak, list(actions), rk, list(resources)))
			}
			p, err := CompileJSON(fmt.Sprint("p", pi), []byte(`{"Version":"2012-10-17","Statement":[`+strings.Join(sts, ",")+`]}`))
			if err != nil {
				t.Fatal(err)
			}
			ps = append(ps, p)
		}
		s := NewSet(ps...)
		for range 20 {
			action, resource := pick(reqActions), pick(reqResources)
			service, name, _ := strings.Cut(action, ":")
			head := resourceHead(resource)
			cs := s.candidates(service, name, head)
			walked[cs.byAction]++
			var got []cand
			for c, ok := cs.next(); ok; c, ok = cs.next() {
				got = append(got, c)
			}
			if want := wantCandidates(s, service, name, head); !slices.Equal(got, want) {
				t.Fatalf("%s on %s: candidates %v, want %v", action, resource, got, want)
			}
		}
	}
	if walked[true] == 0 || walked[false] == 0 {
		t.Errorf("walked the action side %d times and the head side %d times; want both", walked[true], walked[false])
	}
}

// TestNewSetLinear builds a Set from a megabyte of policies shaped to
// defeat an actions × heads index (statements naming thousands of
// resource heads next to thousands of statements that match any
// resource, and thousands of action names next to thousands of "*"
// statements): it stays within a time and memory bound.
func TestNewSetLinear(t *testing.T) {
	const docMax = 131072 // policyDocumentType's maximum length
	fill := func(open string, item func(i int) string, close string) string {
		var b strings.Builder
		b.WriteString(open)
		for i := 0; ; i++ {
			s := item(i)
			if b.Len()+len(s)+1+len(close) > docMax {
				break
			}
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(s)
		}
		b.WriteString(close)
		return b.String()
	}
	shapes := []string{
		fill(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":[`,
			func(i int) string { return fmt.Sprintf(`"arn:aws:s3:::b%d/x"`, i) }, `]}]}`),
		fill(`{"Version":"2012-10-17","Statement":[`,
			func(int) string { return `{"Effect":"Allow","Action":"*","Resource":"*"}` }, `]}`),
		fill(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"arn:aws:s3:::b/x","Action":[`,
			func(i int) string { return fmt.Sprintf(`"s3:a%d"`, i) }, `]}]}`),
	}
	var ps []*Policy
	for i := range 8 {
		p, err := CompileJSON(fmt.Sprint("p", i), []byte(shapes[i%len(shapes)]))
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	s := NewSet(ps...)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("NewSet of %d statements: %v, %.1f MB allocated", len(s.refs), elapsed, float64(alloc)/(1<<20))
	if elapsed > 2*time.Second || alloc > 64<<20 {
		t.Errorf("NewSet took %v and allocated %d bytes, want at most 2s and 64 MiB", elapsed, alloc)
	}
	// Deciding walks the shorter side.
	req := &Request{Principal: Principal{Type: User, ARN: "arn:aws:iam::1:user/u", Account: "1"},
		Action: "s3:a7", Resource: "arn:aws:s3:::b7/x"}
	start = time.Now()
	d := Decide(req, &Policies{Identity: s})
	t.Logf("one decision: %v, %d statements matched", time.Since(start), len(d.Matched))
	if d.Result != Allowed {
		t.Errorf("decision %v, want allowed", d.Result)
	}
}
