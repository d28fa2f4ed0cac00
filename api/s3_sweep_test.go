package api_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api"
	"github.com/gatehouse-dev/gatehouse/api/restxml"
	"github.com/gatehouse-dev/gatehouse/api/s3ops"
)

// The S3 principal sweep: every operation of the S3 table, called by a
// principal without any s3 permission (an IAM user without policies, a
// role session whose role has none), is refused with AccessDenied, or
// answers NoSuchBucket for a bucket that does not exist (S3 reads the
// bucket before it authorizes), and changes nothing; the account's root
// user is refused none of them. Requests are built from the routes of
// s3ops.Routes, so a new S3 operation is swept without editing this test.

const (
	sweepBucket  = "sweep-bucket"
	sweepMissing = "sweep-missing"
	sweepKey     = "k"
)

// s3SweepBodies are the bodies that make each operation's request valid
// for root (an operation not listed sends none).
var s3SweepBodies = map[string]string{
	"PutBucketVersioning": `<VersioningConfiguration xmlns="` + s3NS + `"><Status>Suspended</Status></VersioningConfiguration>`,
	"PutBucketTagging":    `<Tagging xmlns="` + s3NS + `"><TagSet><Tag><Key>swept</Key><Value>yes</Value></Tag></TagSet></Tagging>`,
	"PutBucketPolicy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},` +
		`"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + sweepBucket + `/*"}]}`,
	"PutObject":     "swept",
	"UploadPart":    "swept part",
	"DeleteObjects": `<Delete xmlns="` + s3NS + `"><Object><Key>` + sweepKey + `</Key></Object></Delete>`,
}

// s3SweepRequest builds the request of op on bucket (and object
// sweepKey) from its route: the route's method, target, query
// parameters (uploadId and partNumber naming a real upload and part)
// and headers, and a valid body.
func s3SweepRequest(t *testing.T, op, bucket, uploadID, partETag string) s3Req {
	t.Helper()
	var rt *restxml.Route
	for i := range s3ops.Routes {
		if s3ops.Routes[i].Op == op {
			rt = &s3ops.Routes[i]
			break
		}
	}
	if rt == nil {
		t.Fatalf("s3 %s is in the table but has no route in s3ops.Routes", op)
	}
	r := s3Req{method: rt.Method}
	switch rt.Target {
	case restxml.Service:
		r.target = "/"
	case restxml.Bucket:
		r.target = "/" + bucket
	case restxml.Object:
		r.target = "/" + bucket + "/" + sweepKey
	}
	var query []string
	for _, q := range rt.Query {
		name, value, hasValue := strings.Cut(q, "=")
		switch {
		case hasValue:
		case name == "uploadId":
			value, hasValue = uploadID, true
		case name == "partNumber":
			value, hasValue = "1", true
		}
		if hasValue {
			name += "=" + value
		}
		query = append(query, name)
	}
	if len(query) > 0 {
		r.target += "?" + strings.Join(query, "&")
	}
	for _, h := range rt.Header {
		r.header = append(r.header, h, sweepBucket+"/"+sweepKey)
	}
	body := s3SweepBodies[op]
	if op == "CompleteMultipartUpload" {
		body = completeBody("1", partETag)
	}
	r.body = []byte(body)
	if op == "DeleteObjects" {
		r.header = append(r.header, "Content-MD5", contentMD5(r.body))
	}
	return r
}

// s3State is everything S3 keeps for the account: buckets with their
// settings, every object version and every upload with its parts.
func s3State(t *testing.T, h *harness) string {
	t.Helper()
	var b strings.Builder
	err := h.srv.Store.View(context.Background(), func(tx gatehouse.Tx) error {
		buckets, err := tx.Buckets(accountID)
		if err != nil {
			return err
		}
		for _, bk := range buckets {
			c := *bk
			c.PublicAccessBlock = nil
			fmt.Fprintf(&b, "bucket %+v\n", c)
			if pab := bk.PublicAccessBlock; pab != nil { // %+v shows the pointer only
				fmt.Fprintf(&b, "  public access block %+v\n", *pab)
			}
			versions, err := tx.ListObjectVersions(bk.ID, "", "", 0, 1<<20)
			if err != nil {
				return err
			}
			for _, o := range versions {
				fmt.Fprintf(&b, "  version %+v\n", *o)
			}
			uploads, err := tx.Uploads(bk.ID, "", "", "", 1<<20)
			if err != nil {
				return err
			}
			for _, u := range uploads {
				fmt.Fprintf(&b, "  upload %+v\n", *u)
				parts, err := tx.Parts(u.ID, 0, 1<<20)
				if err != nil {
					return err
				}
				for _, p := range parts {
					fmt.Fprintf(&b, "    part %+v\n", *p)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// s3ErrorCode returns the code of an S3 error document ("" for none).
func s3ErrorCode(body []byte) string {
	var e struct {
		XMLName xml.Name `xml:"Error"`
		Code    string
	}
	if xml.Unmarshal(body, &e) != nil {
		return ""
	}
	return e.Code
}

// deniedEveryKey reports whether a DeleteObjects answer refused every
// key with AccessDenied (S3 authorizes each key on its own and answers
// 200).
func deniedEveryKey(body []byte) bool {
	var res struct {
		Deleted []struct{ Key string }
		Errors  []struct{ Key, Code string } `xml:"Error"`
	}
	if xml.Unmarshal(body, &res) != nil || len(res.Deleted) != 0 || len(res.Errors) == 0 {
		return false
	}
	for _, e := range res.Errors {
		if e.Code != "AccessDenied" {
			return false
		}
	}
	return true
}

// TestS3PrincipalSweep: see the comment at the top of this file.
func TestS3PrincipalSweep(t *testing.T) {
	h := newS3Harness(t)
	g := &s3Goldens{h: h, seen: map[string]bool{}}
	iamOK := func(f map[string][]string) []byte {
		t.Helper()
		r := h.send(t, "iam", rootKey, f)
		if r.status != 200 {
			t.Fatalf("%s: HTTP %d %s", f["Action"], r.status, r.body)
		}
		return r.body
	}

	// The world: a versioned bucket with tags, a policy, an object with
	// two versions and an upload in progress with a part.
	g.setup(t, s3Put("/"+sweepBucket, ""))
	g.setup(t, s3Put("/"+sweepBucket+"?versioning", `<VersioningConfiguration xmlns="`+s3NS+`"><Status>Enabled</Status></VersioningConfiguration>`))
	g.setup(t, s3Put("/"+sweepBucket+"?tagging", `<Tagging xmlns="`+s3NS+`"><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>`))
	g.setup(t, s3Put("/"+sweepBucket+"?policy", s3SweepBodies["PutBucketPolicy"]))
	g.setup(t, s3Put("/"+sweepBucket+"/"+sweepKey, "one"))
	g.setup(t, s3Put("/"+sweepBucket+"/"+sweepKey, "two"))
	r := g.setup(t, s3Post("/"+sweepBucket+"/"+sweepKey+"?uploads", ""))
	uploadID := field(t, r.body, "UploadId")
	r = g.setup(t, s3Put("/"+sweepBucket+"/"+sweepKey+"?partNumber=1&uploadId="+uploadID, "part one"))
	partETag := r.header.Get("ETag")

	// The principals: an IAM user without policies, and a session of a
	// role without policies (assumed by a user who may only assume it).
	iamOK(iamForm("CreateUser", "UserName", "nobody"))
	body := iamOK(iamForm("CreateAccessKey", "UserName", "nobody"))
	nobody := key{id: field(t, body, "AccessKeyId"), secret: field(t, body, "SecretAccessKey")}
	iamOK(iamForm("CreateUser", "UserName", "assumer"))
	iamOK(iamForm("PutUserPolicy", "UserName", "assumer", "PolicyName", "assume", "PolicyDocument",
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}}`))
	body = iamOK(iamForm("CreateAccessKey", "UserName", "assumer"))
	assumer := key{id: field(t, body, "AccessKeyId"), secret: field(t, body, "SecretAccessKey")}
	iamOK(iamForm("CreateRole", "RoleName", "powerless", "AssumeRolePolicyDocument",
		trusting("arn:aws:iam::"+accountID+":user/assumer")))
	r = h.send(t, "sts", assumer, stsForm("AssumeRole", "RoleArn", "arn:aws:iam::"+accountID+":role/powerless", "RoleSessionName", "sweep"))
	if r.status != 200 {
		t.Fatalf("AssumeRole: HTTP %d %s", r.status, r.body)
	}
	session := key{id: field(t, r.body, "AccessKeyId"), secret: field(t, r.body, "SecretAccessKey"), token: field(t, r.body, "SessionToken")}

	ops := api.S3OperationNames()
	if len(ops) < 27 {
		t.Fatalf("%d S3 operations: the table lost some", len(ops))
	}
	before := s3State(t, h)
	for _, p := range []struct {
		name string
		k    key
	}{{"IAMUserWithoutPolicy", nobody}, {"RoleSessionWithoutPolicy", session}} {
		for _, op := range ops {
			for _, bucket := range []string{sweepBucket, sweepMissing} {
				req := s3SweepRequest(t, op, bucket, uploadID, partETag)
				resp := h.sendS3(t, p.k, req)
				what := fmt.Sprintf("%s %s (%s %s)", p.name, op, req.method, req.target)
				code := s3ErrorCode(resp.body)
				head := req.method == http.MethodHead
				denied := resp.status == 403 && (head || code == "AccessDenied")
				noBucket := resp.status == 404 && (head || code == "NoSuchBucket")
				switch {
				case denied:
				case noBucket && bucket == sweepMissing:
				case op == "DeleteObjects" && resp.status == 200 && deniedEveryKey(resp.body):
				default:
					t.Errorf("%s: HTTP %d %s, want 403 AccessDenied", what, resp.status, resp.body)
				}
				if after := s3State(t, h); after != before {
					t.Fatalf("%s changed S3's state:\nbefore %s\nafter  %s", what, before, after)
				}
			}
		}
	}

	// Root last: it may call every operation. Before each, the world is
	// put back (the object, tags, policy, and a new upload with a part);
	// DeleteBucket deletes an empty bucket made for it.
	for _, op := range ops {
		g.setup(t, s3Put("/"+sweepBucket+"/"+sweepKey, "again"))
		g.setup(t, s3Put("/"+sweepBucket+"?tagging", s3SweepBodies["PutBucketTagging"]))
		g.setup(t, s3Put("/"+sweepBucket+"?policy", s3SweepBodies["PutBucketPolicy"]))
		r := g.setup(t, s3Post("/"+sweepBucket+"/"+sweepKey+"?uploads", ""))
		uploadID := field(t, r.body, "UploadId")
		r = g.setup(t, s3Put("/"+sweepBucket+"/"+sweepKey+"?partNumber=1&uploadId="+uploadID, "part one"))
		bucket := sweepBucket
		if op == "DeleteBucket" {
			bucket = "sweep-empty"
			g.setup(t, s3Put("/"+bucket, ""))
		}
		req := s3SweepRequest(t, op, bucket, uploadID, r.header.Get("ETag"))
		resp := h.sendS3(t, rootKey, req)
		if resp.status >= 300 {
			t.Errorf("root %s (%s %s): HTTP %d %s", op, req.method, req.target, resp.status, resp.body)
		}
	}
}
