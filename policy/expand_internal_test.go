package policy

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// TestExpandOverColons checks that the two ways of matching a Resource
// pattern whose '*' may take in colons agree, on random patterns and
// values with up to a dozen colons.
func TestExpandOverColons(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	components := []string{"arn", "aws", "*", "a*", "*a", "a", "", "a*b*", "?*", "${aws:username}*", "b"}
	values := []string{"a", "b", "ab", "", "alice", "aa"}
	ctx := &Context{}
	ctx.Set("aws:username", "ab")
	matched := map[bool]int{}
	for range 20000 {
		var comps []string
		for range 6 {
			comps = append(comps, components[r.IntN(len(components))])
		}
		pat := strings.Join(comps, ":")
		ap := compileARNPattern(pat, true, true)
		if !ap.split {
			continue
		}
		var vs []string
		for range 5 + r.IntN(8) {
			vs = append(vs, values[r.IntN(len(values))])
		}
		v := strings.Join(vs, ":")
		if !strings.HasPrefix(v, ap.prefix) {
			continue
		}
		if got, want := ap.expandOverColons(v, ctx), ap.tryExpanding(v, 0, 0, ctx); got != want {
			t.Fatalf("%q on %q: over colons %v, tried %v", pat, v, got, want)
		}
		matched[ap.tryExpanding(v, 0, 0, ctx)]++
	}
	if matched[true] < 100 || matched[false] < 100 {
		t.Errorf("%d matches and %d mismatches, want both often", matched[true], matched[false])
	}
}

// TestExpandManyColons decides requests whose resource is as long as
// ResourceNameType allows (2048) and nearly all colons, against patterns
// whose components may each take in colons: the time stays small (it
// grew with the colons to the fifth power: 400 colons took 16 s).
func TestExpandManyColons(t *testing.T) {
	cases := []struct {
		pattern, resource string
		want              Result
	}{
		{"arn:*:*:*:*:x", "arn:" + strings.Repeat(":", 2044), ImplicitDeny},
		{"arn:*:*:*:*:x", "arn:" + strings.Repeat(":", 2042) + "x", Allowed},
		{"arn:*a*:*a*:*a*:*a*:*b", "arn:" + strings.Repeat("a:", 1022), ImplicitDeny},
		{"*:*:*:*:*:*", strings.Repeat(":", 2048), Allowed},
	}
	for _, c := range cases {
		p, err := CompileJSON("p", []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"`+c.pattern+`"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		req := &Request{Principal: Principal{Type: User, ARN: "arn:aws:iam::1:user/u", Account: "1"}, Action: "s3:GetObject", Resource: c.resource}
		start := time.Now()
		d := Decide(req, &Policies{Identity: NewSet(p)})
		elapsed := time.Since(start)
		t.Logf("%s on %d characters: %v", c.pattern, len(c.resource), elapsed)
		if d.Result != c.want {
			t.Errorf("%s: %v, want %v", c.pattern, d.Result, c.want)
		}
		if elapsed > time.Second {
			t.Errorf("%s: %v, want under a second", c.pattern, elapsed)
		}
	}
}
