package s3

import (
	"context"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// MaxPolicyBytes is the size quota of a bucket policy (20 KB).
const MaxPolicyBytes = 20 * 1024

func malformedPolicy(msg string) error {
	return gatehouse.Errorf(gatehouse.CodeMalformedPolicy, "%s", msg)
}

// PutBucketPolicy validates a bucket policy with the resource-policy
// grammar and S3's rules (every resource is this bucket or its objects)
// and stores it as sent.
//
// With BlockPublicPolicy on, a public policy is refused, whoever the
// caller (callerARN, for the message).
func (s *Service) PutBucketPolicy(ctx context.Context, b *gatehouse.Bucket, doc, callerARN string) error {
	if len(doc) > MaxPolicyBytes {
		return malformedPolicy("Policy exceeds the maximum allowed document size.")
	}
	if f, bad := policy.FirstError(policy.Validate([]byte(doc), policy.ValidateOptions{Kind: policy.KindResource, MaxSize: MaxPolicyBytes})); bad {
		return malformedPolicy(f.Message)
	}
	parsed, err := policy.Parse([]byte(doc))
	if err != nil {
		return malformedPolicy(err.Error())
	}
	for _, st := range parsed.Statements {
		for _, list := range [][]string{st.Resource.List, st.NotResource.List} {
			for _, r := range list {
				if !ownResource(b, r) {
					return malformedPolicy("Policy has invalid resource")
				}
			}
		}
	}
	_, err = s.updateBucket(ctx, b, func(b *gatehouse.Bucket) error {
		if b.PublicAccessBlock != nil && b.PublicAccessBlock.BlockPublicPolicy && IsPublicPolicy(doc) {
			return gatehouse.Errorf(gatehouse.CodeDenied, "User: %s is not authorized to perform: s3:PutBucketPolicy on resource: \"%s\" because public policies are blocked by the BlockPublicPolicy block public access setting.", callerARN, b.ARN())
		}
		b.Policy = doc
		return nil
	})
	return err
}

// ownResource reports whether a policy's resource pattern names the
// bucket or objects in it.
func ownResource(b *gatehouse.Bucket, pattern string) bool {
	arn := b.ARN()
	return pattern == arn || strings.HasPrefix(pattern, arn+"/")
}

// BucketPolicy returns the bucket's policy (NoSuchBucketPolicy).
func BucketPolicy(b *gatehouse.Bucket) (string, error) {
	if b.Policy == "" {
		return "", gatehouse.Errorf(CodeNoSuchBucketPolicy, "The bucket policy does not exist").With("BucketName", b.Name)
	}
	return b.Policy, nil
}

// DeleteBucketPolicy removes the bucket's policy; removing none succeeds.
func (s *Service) DeleteBucketPolicy(ctx context.Context, b *gatehouse.Bucket) error {
	_, err := s.updateBucket(ctx, b, func(b *gatehouse.Bucket) error {
		b.Policy = ""
		return nil
	})
	return err
}
