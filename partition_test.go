package gatehouse_test

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

func TestPartitions(t *testing.T) {
	const gov, std = "900000000001", "900000000002"
	gatehouse.RegisterPartition(gov, gatehouse.PartitionGovCloud)
	gatehouse.RegisterPartition(std, "") // the standard partition is the default, not recorded
	for _, tc := range []struct{ got, want string }{
		{gatehouse.PartitionOf(gov), "aws-us-gov"},
		{gatehouse.PartitionOf(std), "aws"},
		{gatehouse.PartitionOf(gatehouse.AWSManagedAccount), "aws"},
		{gatehouse.EntityARN(gov, "user", "/ops/", "kim"), "arn:aws-us-gov:iam::" + gov + ":user/ops/kim"},
		{gatehouse.EntityARN(std, "role", "", "app"), "arn:aws:iam::" + std + ":role/app"},
		{(&gatehouse.Account{ID: gov}).RootARN(), "arn:aws-us-gov:iam::" + gov + ":root"},
		{(&gatehouse.Account{ID: "900000000003", Partition: gatehouse.PartitionGovCloud}).RootARN(), "arn:aws-us-gov:iam::900000000003:root"},
		{(&gatehouse.Account{ID: std}).RootARN(), "arn:aws:iam::" + std + ":root"},
		{(&gatehouse.User{AccountID: gov, Name: "kim", Path: "/"}).ARN(), "arn:aws-us-gov:iam::" + gov + ":user/kim"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %s, want %s", tc.got, tc.want)
		}
	}
}
