package gatehouse_test

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// TestPartitions checks that every ARN names the partition its entity
// carries: "" is the standard partition.
func TestPartitions(t *testing.T) {
	const gov, std = "900000000001", "900000000002"
	g := gatehouse.PartitionGovCloud
	for _, tc := range []struct{ got, want string }{
		{gatehouse.PartitionName(""), "aws"},
		{gatehouse.PartitionName(g), "aws-us-gov"},
		{gatehouse.EntityARN(g, gov, "user", "/ops/", "kim"), "arn:aws-us-gov:iam::" + gov + ":user/ops/kim"},
		{gatehouse.EntityARN("", std, "role", "", "app"), "arn:aws:iam::" + std + ":role/app"},
		{gatehouse.MFADeviceARN(g, gov, "/", "phone"), "arn:aws-us-gov:iam::" + gov + ":mfa/phone"},
		{(&gatehouse.Account{ID: gov, Partition: g}).RootARN(), "arn:aws-us-gov:iam::" + gov + ":root"},
		{(&gatehouse.Account{ID: gov}).RootARN(), "arn:aws:iam::" + gov + ":root"}, // no process-wide memory of partitions
		{(&gatehouse.Account{ID: std}).RootARN(), "arn:aws:iam::" + std + ":root"},
		{(&gatehouse.User{AccountID: gov, Name: "kim", Path: "/", Partition: g}).ARN(), "arn:aws-us-gov:iam::" + gov + ":user/kim"},
		{(&gatehouse.Group{AccountID: gov, Name: "ops", Path: "/", Partition: g}).ARN(), "arn:aws-us-gov:iam::" + gov + ":group/ops"},
		{(&gatehouse.Role{AccountID: gov, Name: "app", Path: "/x/", Partition: g}).ARN(), "arn:aws-us-gov:iam::" + gov + ":role/x/app"},
		{(&gatehouse.ManagedPolicy{AccountID: gov, Name: "p", Path: "/", Partition: g}).ARN(), "arn:aws-us-gov:iam::" + gov + ":policy/p"},
		{(&gatehouse.ManagedPolicy{AccountID: gatehouse.AWSManagedAccount, Name: "ReadOnlyAccess", Path: "/"}).ARN(), "arn:aws:iam::aws:policy/ReadOnlyAccess"},
		{(&gatehouse.User{AccountID: std, Name: "kim", Path: "/"}).ARN(), "arn:aws:iam::" + std + ":user/kim"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %s, want %s", tc.got, tc.want)
		}
	}
}
