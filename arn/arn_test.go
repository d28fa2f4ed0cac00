package arn_test

import (
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/arn"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    arn.ARN
		wantErr bool
	}{
		{in: "arn:aws:iam::111122223333:user/division/alice", want: arn.ARN{"aws", "iam", "", "111122223333", "user/division/alice"}},
		{in: "arn:aws:s3:::bucket/key:with:colons", want: arn.ARN{"aws", "s3", "", "", "bucket/key:with:colons"}},
		{in: "arn:aws-us-gov:sts::123456789012:assumed-role/R/s", want: arn.ARN{"aws-us-gov", "sts", "", "123456789012", "assumed-role/R/s"}},
		{in: "arn:aws:sqs:us-east-1:111122223333:queue", want: arn.ARN{"aws", "sqs", "us-east-1", "111122223333", "queue"}},
		{in: "arn:aws:s3::bucket", wantErr: true},
		{in: "nra:aws:s3:::bucket", wantErr: true},
		{in: "arn::s3:::bucket", wantErr: true},
		{in: "arn:aws::::x", wantErr: true},
		{in: "*", wantErr: true},
	}
	for _, tc := range tests {
		got, err := arn.Parse(tc.in)
		if (err != nil) != tc.wantErr {
			t.Errorf("Parse(%q) error = %v, wantErr %v", tc.in, err, tc.wantErr)
			continue
		}
		if err == nil && (got != tc.want || got.String() != tc.in) {
			t.Errorf("Parse(%q) = %+v (%s), want %+v", tc.in, got, got, tc.want)
		}
	}
}

func TestMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, value string
		want           bool
	}{
		{"*", "anything", true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c", true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false},
		{"arn:aws:s3:::*", "arn:aws:iam::111122223333:user/x", false},
		{"arn:aws:iam::*:user/*", "arn:aws:iam::111122223333:user/alice", true},
		{"arn:aws:iam::*:user/*", "arn:aws:iam::111122223333:role/alice", false},
		{"arn:aws:sns:*:111122223333:topic*", "arn:aws:sns:us-east-1:111122223333:topicA", true},
		// '*' never crosses a component boundary.
		{"arn:aws:svc:*:111122223333:finance/*", "arn:aws:svc:us-east-1:extra:111122223333:finance/x", false},
		{"arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x", false},
		{"arn:aws:s3:::b?cket", "arn:aws:s3:::bucket", true},
		{"arn:aws:s3:::bucket.name/a+b", "arn:aws:s3:::bucketxname/a+b", false},
		{"arn:aws:s3:::bucket", "*", false},
	}
	for _, tc := range tests {
		if got := arn.Match(tc.pattern, tc.value); got != tc.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tc.pattern, tc.value, got, tc.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("arn:aws:iam::111122223333:user/alice")
	f.Add("arn:aws:s3:::bucket/key:with:colons")
	f.Add("arn:::::")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := arn.Parse(s)
		if err != nil {
			if a != (arn.ARN{}) {
				t.Fatalf("error with a non-zero result %+v", a)
			}
			return
		}
		if a.String() != s {
			t.Fatalf("round trip: %q became %q", s, a.String())
		}
		if !arn.Match(s, s) && !strings.ContainsAny(s, "*?") {
			t.Fatalf("a literal ARN does not match itself: %q", s)
		}
	})
}

func FuzzMatch(f *testing.F) {
	f.Add("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/key")
	f.Add("arn:*:*:*:*:*", "arn:aws:iam::1:root")
	f.Fuzz(func(t *testing.T, pattern, value string) {
		got := arn.Match(pattern, value)
		if got != arn.Match(pattern, value) {
			t.Fatal("not deterministic")
		}
		if got && pattern != "*" && strings.Count(value, ":") < 5 {
			t.Fatalf("%q matched a non-ARN %q", pattern, value)
		}
	})
}
