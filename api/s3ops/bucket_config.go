package s3ops

import (
	"encoding/xml"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/s3"
)

type versioningConfiguration struct {
	XMLName   xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ VersioningConfiguration"`
	Status    string   `xml:",omitempty"`
	MfaDelete string   `xml:",omitempty"`
}

type putVersioningIn struct {
	bucketIn
	MFA    string                  `rest:"header,x-amz-mfa"`
	Config versioningConfiguration `rest:"body"`
}

func (in *putVersioningIn) target() *bucketIn { return &in.bucketIn }

type tag struct {
	Key   string
	Value string
}

type tagging struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ Tagging"`
	TagSet  []tag    `xml:"TagSet>Tag"`
}

type putTaggingIn struct {
	bucketIn
	Tagging tagging `rest:"body"`
}

func (in *putTaggingIn) target() *bucketIn { return &in.bucketIn }

type putPolicyIn struct {
	bucketIn
	Policy []byte `rest:"body"`
}

func (in *putPolicyIn) target() *bucketIn { return &in.bucketIn }

type policyOut struct {
	Policy string `rest:"body"`
}

func toTags(in []tag) []gatehouse.Tag {
	out := make([]gatehouse.Tag, len(in))
	for i, t := range in {
		out[i] = gatehouse.Tag{Key: t.Key, Value: t.Value}
	}
	return out
}

func fromTags(in []gatehouse.Tag) []tag {
	out := make([]tag, len(in))
	for i, t := range in {
		out[i] = tag{Key: t.Key, Value: t.Value}
	}
	return out
}

type publicAccessBlockConfiguration struct {
	XMLName               xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ PublicAccessBlockConfiguration"`
	BlockPublicAcls       bool
	IgnorePublicAcls      bool
	BlockPublicPolicy     bool
	RestrictPublicBuckets bool
}

type putPublicAccessBlockIn struct {
	bucketIn
	Config publicAccessBlockConfiguration `rest:"body"`
}

func (in *putPublicAccessBlockIn) target() *bucketIn { return &in.bucketIn }

type policyStatus struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ PolicyStatus"`
	IsPublic bool
}

func bucketConfigRows(d Deps) []op.Row {
	return []op.Row{
		op.New("GetPublicAccessBlock", bucketSpec(d, "s3:GetBucketPublicAccessBlock", (*bucketOnlyIn).target, func(c *op.Call, in *bucketOnlyIn, b *gatehouse.Bucket) (any, error) {
			p, err := s3.PublicAccessBlock(b)
			if err != nil {
				return nil, err
			}
			return publicAccessBlockConfiguration{BlockPublicAcls: p.BlockPublicAcls, IgnorePublicAcls: p.IgnorePublicAcls,
				BlockPublicPolicy: p.BlockPublicPolicy, RestrictPublicBuckets: p.RestrictPublicBuckets}, nil
		})),
		op.New("PutPublicAccessBlock", bucketSpec(d, "s3:PutBucketPublicAccessBlock", (*putPublicAccessBlockIn).target, func(c *op.Call, in *putPublicAccessBlockIn, b *gatehouse.Bucket) (any, error) {
			return nil, d.S3.PutPublicAccessBlock(c.Ctx, b, gatehouse.PublicAccessBlock{BlockPublicAcls: in.Config.BlockPublicAcls,
				IgnorePublicAcls: in.Config.IgnorePublicAcls, BlockPublicPolicy: in.Config.BlockPublicPolicy, RestrictPublicBuckets: in.Config.RestrictPublicBuckets})
		})),
		op.New("DeletePublicAccessBlock", bucketSpec(d, "s3:PutBucketPublicAccessBlock", (*bucketOnlyIn).target, func(c *op.Call, in *bucketOnlyIn, b *gatehouse.Bucket) (any, error) {
			return done204, d.S3.DeletePublicAccessBlock(c.Ctx, b)
		})),
		op.New("GetBucketPolicyStatus", bucketSpec(d, "s3:GetBucketPolicyStatus", (*bucketOnlyIn).target, func(c *op.Call, in *bucketOnlyIn, b *gatehouse.Bucket) (any, error) {
			if _, err := s3.BucketPolicy(b); err != nil {
				return nil, err
			}
			return policyStatus{IsPublic: s3.IsPublicPolicy(b.Policy)}, nil
		})),
		op.New("GetBucketVersioning", bucketSpec(d, "s3:GetBucketVersioning", (*bucketOnlyIn).target, func(c *op.Call, in *bucketOnlyIn, b *gatehouse.Bucket) (any, error) {
			// MfaDelete shows once it has ever been configured
			// (aws-s3.md §7.1).
			out := versioningConfiguration{Status: b.Versioning}
			switch {
			case b.MFADelete:
				out.MfaDelete = "Enabled"
			case b.MFADeleteConfigured:
				out.MfaDelete = "Disabled"
			}
			return out, nil
		})),
		op.New("PutBucketVersioning", bucketSpec(d, "s3:PutBucketVersioning", (*putVersioningIn).target, func(c *op.Call, in *putVersioningIn, b *gatehouse.Bucket) (any, error) {
			// Only the owner's root user, with a code of its MFA device,
			// may set MfaDelete or change a bucket where it is enabled.
			if in.Config.MfaDelete != "" && (!c.Caller.IsRoot() || c.Account() != b.AccountID) {
				return nil, gatehouse.Errorf(gatehouse.CodeDenied, "Access Denied")
			}
			mfa, err := checkMFA(c, d, b, in.MFA, in.Config.MfaDelete != "" || b.MFADelete)
			if err != nil {
				return nil, err
			}
			return nil, d.S3.PutBucketVersioning(c.Ctx, b, in.Config.Status, in.Config.MfaDelete, mfa)
		})),
		op.New("GetBucketTagging", bucketSpec(d, "s3:GetBucketTagging", (*bucketOnlyIn).target, func(c *op.Call, in *bucketOnlyIn, b *gatehouse.Bucket) (any, error) {
			tags, err := s3.BucketTags(b)
			if err != nil {
				return nil, err
			}
			return tagging{TagSet: fromTags(tags)}, nil
		})),
		op.New("PutBucketTagging", bucketSpec(d, "s3:PutBucketTagging", (*putTaggingIn).target, func(c *op.Call, in *putTaggingIn, b *gatehouse.Bucket) (any, error) {
			return done204, d.S3.PutBucketTagging(c.Ctx, b, toTags(in.Tagging.TagSet))
		})),
		// S3 authorizes DeleteBucketTagging as s3:PutBucketTagging.
		op.New("DeleteBucketTagging", bucketSpec(d, "s3:PutBucketTagging", (*bucketOnlyIn).target, func(c *op.Call, in *bucketOnlyIn, b *gatehouse.Bucket) (any, error) {
			return done204, d.S3.DeleteBucketTagging(c.Ctx, b)
		})),
		op.New("GetBucketPolicy", bucketSpec(d, "s3:GetBucketPolicy", (*bucketOnlyIn).target, func(c *op.Call, in *bucketOnlyIn, b *gatehouse.Bucket) (any, error) {
			doc, err := s3.BucketPolicy(b)
			if err != nil {
				return nil, err
			}
			return policyOut{Policy: doc}, nil
		})),
		op.New("PutBucketPolicy", bucketSpec(d, "s3:PutBucketPolicy", (*putPolicyIn).target, func(c *op.Call, in *putPolicyIn, b *gatehouse.Bucket) (any, error) {
			return done204, d.S3.PutBucketPolicy(c.Ctx, b, string(in.Policy), c.Caller.ARN())
		})),
		op.New("DeleteBucketPolicy", bucketSpec(d, "s3:DeleteBucketPolicy", (*bucketOnlyIn).target, func(c *op.Call, in *bucketOnlyIn, b *gatehouse.Bucket) (any, error) {
			return done204, d.S3.DeleteBucketPolicy(c.Ctx, b)
		})),
	}
}
