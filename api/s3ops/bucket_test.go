package s3ops

import (
	"encoding/base64"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/s3"
)

func ptr[T any](v T) *T { return &v }

// TestListBucketsPage checks how ListBuckets reads its paging
// parameters: the page size (all without paging parameters, 10,000 with
// any of them, max-buckets from 1 to 10,000), the continuation token,
// and when buckets show their region.
func TestListBucketsPage(t *testing.T) {
	token := base64.RawURLEncoding.EncodeToString([]byte("b-bucket"))
	for _, tc := range []struct {
		name  string
		in    listBucketsIn
		want  s3.ListBucketsInput
		paged bool
		err   string // the ArgumentName of an InvalidArgument
	}{
		{name: "none", in: listBucketsIn{}, want: s3.ListBucketsInput{}},
		{name: "empty prefix", in: listBucketsIn{Prefix: ""}, want: s3.ListBucketsInput{}},
		{name: "empty token", in: listBucketsIn{ContinuationToken: ptr("")}, want: s3.ListBucketsInput{}},
		{name: "prefix", in: listBucketsIn{Prefix: "a"}, want: s3.ListBucketsInput{Prefix: "a", Max: 10000}, paged: true},
		{name: "region", in: listBucketsIn{BucketRegion: "eu-west-1"}, want: s3.ListBucketsInput{Region: "eu-west-1", Max: 10000}, paged: true},
		{name: "token", in: listBucketsIn{ContinuationToken: &token}, want: s3.ListBucketsInput{After: "b-bucket", Max: 10000}, paged: true},
		{name: "max 1", in: listBucketsIn{MaxBuckets: ptr(1)}, want: s3.ListBucketsInput{Max: 1}, paged: true},
		{name: "max 10000", in: listBucketsIn{MaxBuckets: ptr(10000), ContinuationToken: &token},
			want: s3.ListBucketsInput{After: "b-bucket", Max: 10000}, paged: true},
		{name: "max 0", in: listBucketsIn{MaxBuckets: ptr(0)}, paged: true, err: "max-buckets"},
		{name: "max -1", in: listBucketsIn{MaxBuckets: ptr(-1)}, paged: true, err: "max-buckets"},
		{name: "max 10001", in: listBucketsIn{MaxBuckets: ptr(10001)}, paged: true, err: "max-buckets"},
		{name: "bad token", in: listBucketsIn{ContinuationToken: ptr("not base64!")}, paged: true, err: "continuation-token"},
		{name: "padded token", in: listBucketsIn{ContinuationToken: ptr(base64.URLEncoding.EncodeToString([]byte("x")))}, paged: true, err: "continuation-token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.in.paged(); got != tc.paged {
				t.Errorf("paged() = %v, want %v", got, tc.paged)
			}
			got, err := tc.in.page("123456789012")
			if tc.err != "" {
				details := gatehouse.ErrorDetails(err)
				if gatehouse.ErrorCode(err) != s3.CodeInvalidArgument || len(details) == 0 || details[0] != (gatehouse.Detail{Name: "ArgumentName", Value: tc.err}) {
					t.Fatalf("error %v, want InvalidArgument about %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.want.AccountID = "123456789012"
			if got != tc.want {
				t.Errorf("page = %+v, want %+v", got, tc.want)
			}
		})
	}
}
