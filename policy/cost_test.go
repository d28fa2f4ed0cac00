package policy_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/policy"
)

// TestMeterBoundsWork decides requests shaped to make single decisions
// expensive and checks that a Meter's cost bounds the time taken, at a
// few nanoseconds per unit at most (units are meant to be about one).
func TestMeterBoundsWork(t *testing.T) {
	stmts := func(n int, stmt func(i int) string) string {
		var parts []string
		for i := range n {
			parts = append(parts, stmt(i))
		}
		return `{"Version":"2012-10-17","Statement":[` + strings.Join(parts, ",") + `]}`
	}
	values := func(n int, value func(i int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = value(i)
		}
		return out
	}
	condition := func(op, key string, vals []string) string {
		return fmt.Sprintf(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{%q:{%q:["%s"]}}}`, op, key, strings.Join(vals, `","`))
	}
	tests := []struct {
		name     string
		doc      string
		action   string
		resource string
		context  map[string][]string
	}{
		{name: "condition values × context values",
			doc: stmts(1, func(int) string {
				return condition("ForAnyValue:StringLike", "aws:TagKeys", values(3000, func(i int) string { return fmt.Sprintf("b%d*", i) }))
			}),
			action: "s3:GetObject", resource: "*",
			context: map[string][]string{"aws:TagKeys": values(2000, func(i int) string { return fmt.Sprintf("a%d", i) })}},
		{name: "ignoring case",
			doc: stmts(1, func(int) string {
				return condition("StringEqualsIgnoreCase", "k:v", values(3000, func(i int) string { return strings.Repeat("A", 20) + fmt.Sprint(i) }))
			}),
			action: "s3:GetObject", resource: "*",
			context: map[string][]string{"k:v": values(2000, func(i int) string { return strings.Repeat("a", 25) })}},
		{name: "long pattern × long value",
			doc: stmts(1, func(int) string {
				return condition("StringLike", "k:v", []string{"*" + strings.Repeat("a", 20000) + "b"})
			}),
			action: "s3:GetObject", resource: "*",
			context: map[string][]string{"k:v": {strings.Repeat("a", 60000)}}},
		{name: "long variable × long value",
			doc:    stmts(1, func(int) string { return condition("StringLike", "k:v", []string{"*${k:w}b"}) }),
			action: "s3:GetObject", resource: "*",
			context: map[string][]string{"k:v": {strings.Repeat("a", 60000)}, "k:w": {strings.Repeat("a", 20000)}}},
		{name: "numbers × values",
			doc: stmts(1, func(int) string {
				return condition("NumericEquals", "k:n", values(3000, func(i int) string { return fmt.Sprint(i + 5000) }))
			}),
			action: "s3:GetObject", resource: "*",
			context: map[string][]string{"k:n": values(2000, func(i int) string { return fmt.Sprint(i) })}},
		{name: "dates × values",
			doc: stmts(20, func(int) string {
				return condition("DateGreaterThan", "k:d", []string{"2020-01-01T00:00:00Z"})
			}),
			action: "s3:GetObject", resource: "*",
			context: map[string][]string{"k:d": values(200, func(i int) string { return "2006-01-02T15:04:05.999999999Zgarbage" + fmt.Sprint(i) })}},
		{name: "long dates",
			doc:    stmts(1, func(int) string { return condition("DateGreaterThan", "k:d", []string{"2020-01-01T00:00:00Z"}) }),
			action: "s3:GetObject", resource: "*",
			context: map[string][]string{"k:d": {"2006-01-02T15:04:05" + strings.Repeat("9", 100000)}}},
		{name: "long numbers",
			doc:    stmts(1, func(int) string { return condition("NumericLessThan", "k:n", []string{"5"}) }),
			action: "s3:GetObject", resource: "*",
			context: map[string][]string{"k:n": values(10, func(int) string { return strings.Repeat("9", 100000) })}},
		{name: "resource of 1,022 colons",
			doc:      stmts(1, func(int) string { return `{"Effect":"Allow","Action":"*","Resource":"arn:*a*:*a*:*a*:*a*:*b"}` }),
			action:   "s3:GetObject",
			resource: "arn:" + strings.Repeat("a:", 1022)},
		{name: "resource of 8 colons",
			doc:      stmts(1, func(int) string { return `{"Effect":"Allow","Action":"*","Resource":"arn:*:*:*:*:x"}` }),
			action:   "s3:GetObject",
			resource: "arn:" + strings.Repeat(":", 7) + strings.Repeat("y", 2000)},
		{name: "thousands of candidates that never match",
			doc: stmts(5000, func(int) string {
				return `{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Null":{"aws:TagKeys":"false"}}}`
			}),
			action: "s3:GetObject", resource: "*"},
		{name: "thousands of statements naming resources",
			doc: stmts(3000, func(i int) string {
				return fmt.Sprintf(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/p%d/${aws:username}/*"}`, i)
			}),
			action: "s3:GetObject", resource: "arn:aws:s3:::b/p7/alice/x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := policy.CompileJSON("p", []byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			ps := &policy.Policies{Identity: policy.NewSet(p)}
			req := &policy.Request{Principal: policy.Principal{Type: policy.User, ARN: "arn:aws:iam::111122223333:user/alice", Account: "111122223333"},
				Action: tc.action, Resource: tc.resource}
			for k, v := range tc.context {
				req.Context.Set(k, v...)
			}
			policy.PrincipalContext(&req.Context, req.Principal, "AIDAEXAMPLE")
			cost := policy.NewMeter(&req.Context).Cost(req, ps)
			elapsed := time.Duration(1 << 62)
			for range 3 {
				start := time.Now()
				policy.Decide(req, ps)
				policy.MissingContextKeys(req, ps)
				elapsed = min(elapsed, time.Since(start))
			}
			perUnit := float64(elapsed.Nanoseconds()) / float64(cost)
			t.Logf("cost %d, decided in %v: %.3f ns per unit", cost, elapsed, perUnit)
			if !raceEnabled && elapsed > time.Millisecond && perUnit > 4 {
				t.Errorf("%.3f ns per unit, want at most 4: the cost does not bound the work", perUnit)
			}
		})
	}
}

// TestMeterOrdinary checks that ordinary policies cost little, so that
// the simulator's pages are not cut short for them.
func TestMeterOrdinary(t *testing.T) {
	var ps []*policy.Policy
	for n := range 20 {
		p, err := policy.CompileJSON(fmt.Sprintf("p%d", n), []byte(s3Policy(n, 20)))
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	dates := make([]string, 3000)
	for i := range dates {
		dates[i] = fmt.Sprintf(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-%02dT00:00:00Z"}}}`, i%28+1)
	}
	p, err := policy.CompileJSON("dates", []byte(`{"Version":"2012-10-17","Statement":[`+strings.Join(dates, ",")+`]}`))
	if err != nil {
		t.Fatal(err)
	}
	req := benchRequest("s3:GetObject", "arn:aws:s3:::b/k", "10.1.2.3")
	if cost := policy.NewMeter(&req.Context).Cost(req, &policy.Policies{Identity: policy.NewSet(p)}); cost > 2_000_000 {
		t.Errorf("3,000 date conditions on a valid date: cost %d, want at most 2,000,000", cost)
	}
	set := &policy.Policies{Identity: policy.NewSet(ps...)}
	for _, req := range []*policy.Request{
		benchRequest("s3:GetObject", "arn:aws:s3:::bucket-3/home/alice/notes.txt", "10.1.2.3"),
		benchRequest("s3:PutObject", "arn:aws:s3:::bucket-3/shared/x", "203.0.113.9"),
		benchRequest("iam:GetUser", "arn:aws:iam::111122223333:user/alice", "10.1.2.3"),
	} {
		cost := policy.NewMeter(&req.Context).Cost(req, set)
		t.Logf("%s on %s: cost %d", req.Action, req.Resource, cost)
		if cost > 20000 {
			t.Errorf("%s on %s: cost %d, want at most 20000", req.Action, req.Resource, cost)
		}
	}
}
