package s3ops

import (
	"bytes"
	"encoding/xml"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/restxml"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/s3"
)

type deleteRequest struct {
	Quiet   bool
	Objects []struct {
		Key       string
		VersionId string
	} `xml:"Object"`
}

type deleteObjectsIn struct {
	bucketIn
	ContentMD5 string `rest:"header,Content-MD5"`
	MFA        string `rest:"header,x-amz-mfa"`
	Body       []byte `rest:"body"`
	checksumHeaders
}

func (in *deleteObjectsIn) target() *bucketIn { return &in.bucketIn }

type deletedEntry struct {
	Key                   string
	VersionId             string `xml:",omitempty"`
	DeleteMarker          bool   `xml:",omitempty"`
	DeleteMarkerVersionId string `xml:",omitempty"`
}

type deleteError struct {
	Key       string
	VersionId string `xml:",omitempty"`
	Code      string
	Message   string
}

type deleteResult struct {
	XMLName xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ DeleteResult"`
	Deleted []deletedEntry `xml:"Deleted"`
	Errors  []deleteError  `xml:"Error"`
}

// MaxDeleteObjects is how many keys one DeleteObjects may name.
const MaxDeleteObjects = 1000

// deleteObjects deletes up to 1,000 keys, each authorized on its own
// (s3:DeleteObject, or s3:DeleteObjectVersion with a version) and each
// failure answered in the result, not as the request's error.
func deleteObjects(d Deps) op.Row {
	spec := bucketSpec(d, "", (*deleteObjectsIn).target, func(c *op.Call, in *deleteObjectsIn, b *gatehouse.Bucket) (any, error) {
		if in.ContentMD5 == "" && len(in.declared()) == 0 {
			return nil, gatehouse.Errorf(s3.CodeInvalidRequest, "Missing required header for this request: Content-MD5")
		}
		if err := s3.CheckDigests(bytes.NewReader(in.Body), in.ContentMD5, in.declared()); err != nil {
			return nil, err
		}
		var req deleteRequest
		if err := xml.Unmarshal(in.Body, &req); err != nil || len(req.Objects) == 0 || len(req.Objects) > MaxDeleteObjects {
			return nil, gatehouse.Errorf(s3.CodeMalformedXML, "The XML you provided was not well-formed or did not validate against our published schema")
		}
		// With MFA delete, a version in the list needs a valid code for
		// the whole request, and an invalid code fails it whatever it
		// names (aws-s3.md §8).
		versioned := false
		for _, o := range req.Objects {
			versioned = versioned || o.VersionId != ""
		}
		mfa, err := checkMFA(c, d, b, in.MFA, b.MFADelete && versioned)
		if err != nil {
			return nil, err
		}
		out := deleteResult{}
		for _, o := range req.Objects {
			action := "s3:DeleteObject"
			if o.VersionId != "" {
				action = "s3:DeleteObjectVersion"
			}
			err := op.Authorize(c, action, b.ARN()+"/"+o.Key, func(r *authz.Request) {
				bucketPolicy(c, &in.bucketIn, r)
				if o.VersionId != "" {
					r.Context.Set("s3:VersionId", o.VersionId)
				}
			})
			var del *s3.Deleted
			if err == nil {
				del, err = d.S3.DeleteObject(c.Ctx, b, o.Key, o.VersionId, mfa, writer(c, b))
			}
			if err != nil {
				code := gatehouse.ErrorCode(err)
				if code == gatehouse.CodeInternal {
					return nil, err
				}
				out.Errors = append(out.Errors, deleteError{Key: o.Key, VersionId: o.VersionId, Code: restxml.Spell(code), Message: gatehouse.ErrorMessage(err)})
				continue
			}
			if req.Quiet {
				continue
			}
			e := deletedEntry{Key: o.Key, VersionId: o.VersionId}
			if del.DeleteMarker {
				e.DeleteMarker = true
				e.DeleteMarkerVersionId = del.VersionID
			}
			out.Deleted = append(out.Deleted, e)
		}
		return out, nil
	})
	spec.Action = "" // each key is authorized on its own
	return op.New("DeleteObjects", spec)
}
