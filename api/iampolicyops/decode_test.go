package iampolicyops

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse/api/query/querytest"
)

// decodeTargets are the input types of the managed-policy operations,
// for the fuzzer.
var decodeTargets = []func() any{
	func() any { return new(createPolicyIn) },
	func() any { return new(listPoliciesIn) },
	func() any { return new(createPolicyVersionIn) },
	func() any { return new(listEntitiesIn) },
	func() any { return new(policyPageIn) },
	func() any { return new(authDetailsIn) },
	func() any { return new(simulateCustomIn) },
}

// FuzzQueryDecode decodes random form bodies into every managed-policy
// input: decoding never panics, and every error is a *gatehouse.Error
// (which the server answers as a 400, never a 500).
func FuzzQueryDecode(f *testing.F) {
	querytest.FuzzDecode(f, []string{
		"",
		"MaxItems=abc&Marker=%FF",
		"MaxItems=-0&SetAsDefault=1&OnlyAttached=T",
		"Tags.member.1.Key=k&Tags.member.1.Key=l&Tags.member.2.Value=v&Tags.member.01.Key=z",
		"PolicyDocument=%7B%22Version%22%3A%222012-10-17%22%7D&PolicyArn=arn:aws:iam::aws:policy/X&SetAsDefault=true",
		"PolicyInputList.member.1=%7B%7D&ActionNames.member.1=s3:GetObject&ContextEntries.member.1.ContextKeyName=aws:x" +
			"&ContextEntries.member.1.ContextKeyValues.member.1=v&ContextEntries.member.2.ContextKeyType=",
	}, decodeTargets)
}
