package policy_test

import (
	"fmt"

	"github.com/gatehouse-dev/gatehouse/policy"
)

// Parse, compile and decide: an IAM user whose identity policy allows
// reading one bucket's objects, except under a private prefix.
func Example() {
	doc, err := policy.Parse([]byte(`{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"},
	    {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::reports/private/*"}
	  ]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	compiled, err := policy.Compile("reader-v1", doc)
	if err != nil {
		fmt.Println(err)
		return
	}
	policies := &policy.Policies{Identity: policy.NewSet(compiled)}
	alice := policy.Principal{Type: policy.User, ARN: "arn:aws:iam::111122223333:user/alice", Account: "111122223333"}
	for _, resource := range []string{"arn:aws:s3:::reports/2026/q1.csv", "arn:aws:s3:::reports/private/salaries.csv", "arn:aws:s3:::other/x"} {
		d := policy.Decide(&policy.Request{Principal: alice, Action: "s3:GetObject", Resource: resource}, policies)
		fmt.Printf("%s: %s (%s)\n", resource, d.Result, d.DecidedBy)
	}
	// Output:
	// arn:aws:s3:::reports/2026/q1.csv: allowed (identity-based policy)
	// arn:aws:s3:::reports/private/salaries.csv: explicitDeny (identity-based policy)
	// arn:aws:s3:::other/x: implicitDeny (identity-based policy)
}
