package s3ops

import (
	"encoding/base64"
	"encoding/xml"
	"net/url"
	"strconv"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/policy"
	"github.com/gatehouse-dev/gatehouse/s3"
)

type listIn struct {
	bucketIn
	Prefix       string `rest:"query,prefix"`
	Delimiter    string `rest:"query,delimiter"`
	MaxKeys      *int   `rest:"query,max-keys"`
	EncodingType string `rest:"query,encoding-type"`
	// ListObjectsV2
	ContinuationToken *string `rest:"query,continuation-token"`
	StartAfter        string  `rest:"query,start-after"`
	FetchOwner        string  `rest:"query,fetch-owner"`
	// ListObjects
	Marker string `rest:"query,marker"`
}

func (in *listIn) target() *bucketIn { return &in.bucketIn }

type objectEntry struct {
	Key               string
	LastModified      string
	ETag              string
	ChecksumAlgorithm []string `xml:",omitempty"`
	Size              int64
	StorageClass      string
	Owner             *owner `xml:",omitempty"`
}

type commonPrefix struct {
	Prefix string
}

type listV2Out struct {
	XMLName               xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
	Name                  string
	Prefix                string
	Delimiter             string `xml:",omitempty"`
	MaxKeys               int
	KeyCount              int
	IsTruncated           bool
	ContinuationToken     string         `xml:",omitempty"`
	NextContinuationToken string         `xml:",omitempty"`
	StartAfter            string         `xml:",omitempty"`
	EncodingType          string         `xml:",omitempty"`
	Contents              []objectEntry  `xml:"Contents"`
	CommonPrefixes        []commonPrefix `xml:"CommonPrefixes"`
}

type listV1Out struct {
	XMLName        xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
	Name           string
	Prefix         string
	Marker         string
	NextMarker     string `xml:",omitempty"`
	Delimiter      string `xml:",omitempty"`
	MaxKeys        int
	IsTruncated    bool
	EncodingType   string         `xml:",omitempty"`
	Contents       []objectEntry  `xml:"Contents"`
	CommonPrefixes []commonPrefix `xml:"CommonPrefixes"`
}

// listContext sets the condition keys S3 gives ListBucket: s3:prefix
// (empty when none is sent, so that a policy can allow listing the
// top level with ""), and s3:delimiter and s3:max-keys when sent.
func listContext(c *op.Call, in *listIn, ctx *policy.Context) {
	ctx.Set("s3:prefix", in.Prefix)
	if in.Delimiter != "" {
		ctx.Set("s3:delimiter", in.Delimiter)
	}
	if in.MaxKeys != nil {
		ctx.Set("s3:max-keys", strconv.Itoa(*in.MaxKeys))
	}
}

// encoder applies encoding-type=url to the names in a listing.
func encoder(in *listIn) (func(string) string, error) {
	switch in.EncodingType {
	case "":
		return func(s string) string { return s }, nil
	case "url":
		return url.QueryEscape, nil
	}
	return nil, gatehouse.Errorf(s3.CodeInvalidArgument, "Invalid Encoding Method specified in Request").With("ArgumentName", "encoding-type").With("ArgumentValue", in.EncodingType)
}

func maxKeys(in *listIn) int {
	if in.MaxKeys == nil {
		return s3.DefaultMaxKeys
	}
	return *in.MaxKeys
}

func entries(page *s3.ListPage, enc func(string) string, withOwner bool) ([]objectEntry, []commonPrefix) {
	var objs []objectEntry
	for _, o := range page.Objects {
		e := objectEntry{Key: enc(o.Key), LastModified: s3Time(o.Modified), ETag: `"` + o.ETag + `"`, Size: o.Size, StorageClass: "STANDARD"}
		for alg := range o.Checksums {
			e.ChecksumAlgorithm = append(e.ChecksumAlgorithm, alg)
		}
		if withOwner {
			e.Owner = &owner{ID: s3.CanonicalUserID(o.Owner)}
		}
		objs = append(objs, e)
	}
	var cps []commonPrefix
	for _, p := range page.CommonPrefixes {
		cps = append(cps, commonPrefix{Prefix: enc(p)})
	}
	return objs, cps
}

func listRows(d Deps) []op.Row {
	v2 := bucketSpec(d, "s3:ListBucket", (*listIn).target, func(c *op.Call, in *listIn, b *gatehouse.Bucket) (any, error) {
		enc, err := encoder(in)
		if err != nil {
			return nil, err
		}
		after := in.StartAfter
		if in.ContinuationToken != nil {
			t, err := base64.RawURLEncoding.DecodeString(*in.ContinuationToken)
			if err != nil || *in.ContinuationToken == "" {
				return nil, gatehouse.Errorf(s3.CodeInvalidArgument, "The continuation token provided is incorrect").With("ArgumentName", "continuation-token")
			}
			after = max(after, string(t))
		}
		page, err := d.S3.ListObjects(c.Ctx, b, s3.ListInput{Prefix: in.Prefix, Delimiter: in.Delimiter, After: after, MaxKeys: maxKeys(in)})
		if err != nil {
			return nil, err
		}
		out := listV2Out{Name: b.Name, Prefix: enc(in.Prefix), Delimiter: enc(in.Delimiter), MaxKeys: maxKeys(in), IsTruncated: page.Truncated,
			StartAfter: enc(in.StartAfter), EncodingType: in.EncodingType}
		if in.ContinuationToken != nil {
			out.ContinuationToken = *in.ContinuationToken
		}
		if page.Truncated {
			out.NextContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(page.Last))
		}
		out.Contents, out.CommonPrefixes = entries(page, enc, in.FetchOwner == "true")
		out.KeyCount = len(out.Contents) + len(out.CommonPrefixes)
		return out, nil
	})
	addContext(&v2, listContext)
	v1 := bucketSpec(d, "s3:ListBucket", (*listIn).target, func(c *op.Call, in *listIn, b *gatehouse.Bucket) (any, error) {
		enc, err := encoder(in)
		if err != nil {
			return nil, err
		}
		page, err := d.S3.ListObjects(c.Ctx, b, s3.ListInput{Prefix: in.Prefix, Delimiter: in.Delimiter, After: in.Marker, MaxKeys: maxKeys(in)})
		if err != nil {
			return nil, err
		}
		out := listV1Out{Name: b.Name, Prefix: enc(in.Prefix), Marker: enc(in.Marker), Delimiter: enc(in.Delimiter), MaxKeys: maxKeys(in),
			IsTruncated: page.Truncated, EncodingType: in.EncodingType}
		if page.Truncated && in.Delimiter != "" {
			out.NextMarker = enc(page.Last)
		}
		out.Contents, out.CommonPrefixes = entries(page, enc, true)
		return out, nil
	})
	addContext(&v1, listContext)
	return []op.Row{
		op.New("ListObjectsV2", v2),
		op.New("ListObjects", v1),
		listObjectVersions(d),
	}
}
