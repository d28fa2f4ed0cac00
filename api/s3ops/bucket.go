package s3ops

import (
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"strconv"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/policy"
	"github.com/gatehouse-dev/gatehouse/s3"
)

// s3Time is how S3's XML writes times (ISO 8601 with milliseconds).
func s3Time(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

type createBucketConfiguration struct {
	LocationConstraint string
}

type createBucketIn struct {
	Bucket string                     `rest:"bucket"`
	ACL    string                     `rest:"header,x-amz-acl"`
	Config *createBucketConfiguration `rest:"body"`
}

type createBucketOut struct {
	Location string `rest:"header,Location"`
}

type owner struct {
	ID string
}

type listBucketsIn struct {
	Prefix            string  `rest:"query,prefix"`
	MaxBuckets        *int    `rest:"query,max-buckets"`
	ContinuationToken *string `rest:"query,continuation-token"`
	BucketRegion      string  `rest:"query,bucket-region"`
}

// paged reports whether a ListBuckets request has any of the paging
// parameters: the answer is then a page (of 10,000 buckets unless
// max-buckets says otherwise) whose buckets show their region.
func (in *listBucketsIn) paged() bool {
	return in.MaxBuckets != nil || in.Prefix != "" || in.BucketRegion != "" || in.ContinuationToken != nil && *in.ContinuationToken != ""
}

// page reads max-buckets (1 to 10,000) and the continuation token (the
// last name of the page before, base64url-encoded) into a
// ListBucketsInput.
func (in *listBucketsIn) page(account string) (s3.ListBucketsInput, error) {
	list := s3.ListBucketsInput{AccountID: account, Prefix: in.Prefix, Region: in.BucketRegion}
	if in.paged() {
		list.Max = s3.MaxBuckets
	}
	if n := in.MaxBuckets; n != nil {
		if *n < 1 || *n > s3.MaxBuckets {
			return list, gatehouse.Errorf(s3.CodeInvalidArgument, "Argument max-buckets must be an integer between 1 and %d", s3.MaxBuckets).
				With("ArgumentName", "max-buckets").With("ArgumentValue", strconv.Itoa(*n))
		}
		list.Max = *n
	}
	if in.ContinuationToken != nil && *in.ContinuationToken != "" {
		after, err := base64.RawURLEncoding.DecodeString(*in.ContinuationToken)
		if err != nil || len(after) == 0 {
			return list, gatehouse.Errorf(s3.CodeInvalidArgument, "The continuation token provided is incorrect").With("ArgumentName", "continuation-token")
		}
		list.After = string(after)
	}
	return list, nil
}

type bucketEntry struct {
	Name         string
	CreationDate string
	BucketRegion string `xml:",omitempty"`
}

type listBucketsOut struct {
	XMLName xml.Name      `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListAllMyBucketsResult"`
	Owner   owner         `xml:"Owner"`
	Buckets []bucketEntry `xml:"Buckets>Bucket"`
	// ContinuationToken is the token of the next page, when there is
	// one.
	ContinuationToken string `xml:",omitempty"`
	Prefix            string `xml:",omitempty"`
}

type bucketOnlyIn struct {
	bucketIn
}

func (in *bucketOnlyIn) target() *bucketIn { return &in.bucketIn }

type headBucketOut struct {
	Region string `rest:"header,X-Amz-Bucket-Region"`
	ARN    string `rest:"header,X-Amz-Bucket-Arn"`
}

type locationOut struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ LocationConstraint"`
	Region  string   `xml:",chardata"`
}

// noContent is the result of the operations S3 answers with 204.
type noContent struct {
	Status int `rest:"status"`
}

var done204 = noContent{Status: http.StatusNoContent}

// allowedACLs are the canned ACLs a bucket with ObjectOwnership
// BucketOwnerEnforced (every new bucket's default) accepts.
var allowedACLs = map[string]bool{"": true, "private": true, "bucket-owner-full-control": true}

func aclNotSupported() error {
	return gatehouse.Errorf("InvalidBucketAclWithObjectOwnership", "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
}

func bucketRows(d Deps) []op.Row {
	return []op.Row{
		op.New("ListBuckets", op.Spec[listBucketsIn]{
			Action:  "s3:ListAllMyBuckets",
			Context: func(c *op.Call, in *listBucketsIn, ctx *policy.Context) { s3Context(c, ctx) },
			Handle: func(c *op.Call, in *listBucketsIn) (any, error) {
				page, err := in.page(c.Account())
				if err != nil {
					return nil, err
				}
				list, truncated, err := d.S3.ListBuckets(c.Ctx, page)
				if err != nil {
					return nil, err
				}
				out := listBucketsOut{Owner: owner{ID: s3.CanonicalUserID(c.Account())}, Buckets: []bucketEntry{}, Prefix: in.Prefix}
				for _, b := range list {
					e := bucketEntry{Name: b.Name, CreationDate: s3Time(b.Created)}
					if in.paged() {
						e.BucketRegion = b.Region
					}
					out.Buckets = append(out.Buckets, e)
				}
				if truncated && len(list) > 0 {
					out.ContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(list[len(list)-1].Name))
				}
				return out, nil
			},
		}),
		op.New("CreateBucket", op.Spec[createBucketIn]{
			Action: "s3:CreateBucket",
			Context: func(c *op.Call, in *createBucketIn, ctx *policy.Context) {
				s3Context(c, ctx)
				aclContext(in.ACL, ctx)
			},
			Resource: func(c *op.Call, in *createBucketIn) string {
				return "arn:" + c.Caller.Account.ARNPartition() + ":s3:::" + in.Bucket
			},
			Precheck: func(c *op.Call, in *createBucketIn) error {
				if !allowedACLs[in.ACL] {
					return aclNotSupported()
				}
				return nil
			},
			Handle: func(c *op.Call, in *createBucketIn) (any, error) {
				constraint := ""
				if in.Config != nil {
					constraint = in.Config.LocationConstraint
				}
				b, err := d.S3.CreateBucket(c.Ctx, s3.CreateBucketInput{AccountID: c.Account(), Partition: c.Caller.Account.Partition,
					Name: in.Bucket, Region: c.Region, Constraint: constraint})
				if err != nil {
					return nil, err
				}
				return createBucketOut{Location: "/" + b.Name}, nil
			},
		}),
		op.New("HeadBucket", bucketSpec(d, "s3:ListBucket", (*bucketOnlyIn).target, func(c *op.Call, in *bucketOnlyIn, b *gatehouse.Bucket) (any, error) {
			return headBucketOut{Region: b.Region, ARN: b.ARN()}, nil
		})),
		op.New("DeleteBucket", bucketSpec(d, "s3:DeleteBucket", (*bucketOnlyIn).target, func(c *op.Call, in *bucketOnlyIn, b *gatehouse.Bucket) (any, error) {
			return done204, d.S3.DeleteBucket(c.Ctx, b)
		})),
		op.New("GetBucketLocation", bucketSpecIn(d, true, "s3:GetBucketLocation", (*bucketOnlyIn).target, func(c *op.Call, in *bucketOnlyIn, b *gatehouse.Bucket) (any, error) {
			out := locationOut{Region: b.Region}
			if b.Region == "us-east-1" {
				out.Region = "" // S3's LocationConstraint of us-east-1 is empty
			}
			return out, nil
		})),
	}
}
