package s3ops

import (
	"encoding/xml"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/restxml"
	"github.com/gatehouse-dev/gatehouse/s3"
)

type listVersionsIn struct {
	bucketIn
	Prefix          string `rest:"query,prefix"`
	Delimiter       string `rest:"query,delimiter"`
	MaxKeys         *int   `rest:"query,max-keys"`
	EncodingType    string `rest:"query,encoding-type"`
	KeyMarker       string `rest:"query,key-marker"`
	VersionIDMarker string `rest:"query,version-id-marker"`
}

func (in *listVersionsIn) target() *bucketIn { return &in.bucketIn }

type versionEntry struct {
	XMLName      xml.Name
	Key          string
	VersionId    string
	IsLatest     bool
	LastModified string
	ETag         string `xml:",omitempty"`
	Size         *int64 `xml:",omitempty"`
	StorageClass string `xml:",omitempty"`
	Owner        owner
}

type listVersionsOut struct {
	XMLName             xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListVersionsResult"`
	Name                string
	Prefix              string
	KeyMarker           string
	VersionIdMarker     string
	NextKeyMarker       string `xml:",omitempty"`
	NextVersionIdMarker string `xml:",omitempty"`
	Delimiter           string `xml:",omitempty"`
	MaxKeys             int
	IsTruncated         bool
	EncodingType        string `xml:",omitempty"`
	// Entries are <Version> and <DeleteMarker> elements in listing
	// order.
	Entries        []versionEntry
	CommonPrefixes []commonPrefix `xml:"CommonPrefixes"`
}

func listObjectVersions(d Deps) op.Row {
	return op.New("ListObjectVersions", bucketSpec(d, "s3:ListBucketVersions", (*listVersionsIn).target, func(c *op.Call, in *listVersionsIn, b *gatehouse.Bucket) (any, error) {
		enc, err := encoder(&listIn{EncodingType: in.EncodingType})
		if err != nil {
			return nil, err
		}
		limit := s3.DefaultMaxKeys
		if in.MaxKeys != nil {
			limit = *in.MaxKeys
		}
		page, err := d.S3.ListObjectVersions(c.Ctx, b, s3.VersionListInput{Prefix: in.Prefix, Delimiter: in.Delimiter,
			KeyMarker: in.KeyMarker, VersionIDMarker: in.VersionIDMarker, MaxKeys: limit})
		if err != nil {
			return nil, err
		}
		out := listVersionsOut{Name: b.Name, Prefix: enc(in.Prefix), KeyMarker: enc(in.KeyMarker), VersionIdMarker: in.VersionIDMarker,
			Delimiter: enc(in.Delimiter), MaxKeys: limit, IsTruncated: page.Truncated, EncodingType: in.EncodingType}
		if page.Truncated {
			out.NextKeyMarker, out.NextVersionIdMarker = enc(page.NextKeyMarker), page.NextVersionIDMarker
		}
		for _, v := range page.Versions {
			e := versionEntry{XMLName: xml.Name{Space: restxml.Namespace, Local: "Version"}, Key: enc(v.Key), VersionId: v.VersionID, IsLatest: v.IsLatest,
				LastModified: s3Time(v.Modified), Owner: owner{ID: s3.CanonicalUserID(v.Owner)}}
			if v.DeleteMarker {
				e.XMLName.Local = "DeleteMarker"
			} else {
				size := v.Size
				e.ETag, e.Size, e.StorageClass = `"`+v.ETag+`"`, &size, "STANDARD"
			}
			out.Entries = append(out.Entries, e)
		}
		for _, p := range page.CommonPrefixes {
			out.CommonPrefixes = append(out.CommonPrefixes, commonPrefix{Prefix: enc(p)})
		}
		return out, nil
	}))
}
