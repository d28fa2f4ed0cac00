package api

import (
	"slices"

	"github.com/gatehouse-dev/gatehouse"
)

// partitionRegions lists the regions of each partition an account can be
// in, from botocore's endpoints.json (botocore 1.43, data/endpoints.json,
// "partitions" → "regions"). A request's signing region must be one of
// its caller's partition: the region is the value of aws:RequestedRegion,
// so a region of another partition, or one that does not exist, would let
// a caller pass conditions on it that AWS would never let it reach.
// Add a region here when AWS opens one.
var partitionRegions = map[string][]string{
	gatehouse.Partition: {
		"af-south-1",
		"ap-east-1", "ap-east-2",
		"ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
		"ap-south-1", "ap-south-2",
		"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
		"ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
		"ca-central-1", "ca-west-1",
		"eu-central-1", "eu-central-2",
		"eu-north-1",
		"eu-south-1", "eu-south-2",
		"eu-west-1", "eu-west-2", "eu-west-3",
		"il-central-1",
		"me-central-1", "me-south-1",
		"mx-central-1",
		"sa-east-1",
		"us-east-1", "us-east-2",
		"us-west-1", "us-west-2",
	},
	gatehouse.PartitionGovCloud: {"us-gov-east-1", "us-gov-west-1"},
}

// globalRegion is the region of each partition's global services (IAM):
// what the AWS SDKs sign IAM requests with, and IAM's
// aws:RequestedRegion.
var globalRegion = map[string]string{
	gatehouse.Partition:         "us-east-1",
	gatehouse.PartitionGovCloud: "us-gov-west-1",
}

// checkRegion refuses a signing region outside the caller's partition
// with AWS's answer to a credential scoped to a region the endpoint does
// not serve: SignatureDoesNotMatch "Credential should be scoped to a valid
// region, not '<region>'. " (the trailing space is AWS's).
func checkRegion(a *gatehouse.Account, region string) error {
	if slices.Contains(partitionRegions[a.ARNPartition()], region) {
		return nil
	}
	return gatehouse.Errorf("SignatureDoesNotMatch", "Credential should be scoped to a valid region, not '%s'. ", region)
}
