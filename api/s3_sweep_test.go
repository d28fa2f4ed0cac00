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
// role session whose role has none, an anonymous caller sending unsigned
// requests), is refused with AccessDenied, or answers NoSuchBucket for a
// bucket that does not exist (S3 reads the bucket before it authorizes),
// and changes nothing; once the bucket's policy grants everyone
// s3:GetObject (its Block Public Access setting deleted), an anonymous
// caller may GetObject and HeadObject and nothing else; the account's
// root user is refused none of them. Requests are built from the routes
// of s3ops.Routes, so a new S3 operation is swept without editing this
// test.

const (
	sweepBucket  = "sweep-bucket"
	sweepMissing = "sweep-missing"
	sweepKey     = "k"
	// sweepSource is the object x-amz-copy-source names (a copy of k
	// onto itself would be InvalidRequest).
	sweepSource = "src"
	// sweepPolicy is the bucket's policy in the world: it grants the
	// account (not everyone) s3:ListBucket, and differs from
	// PutBucketPolicy's body, so a PutBucketPolicy that ran would show.
	sweepPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},` +
		`"Action":"s3:ListBucket","Resource":"arn:aws:s3:::` + sweepBucket + `"}]}`
	// sweepPublicPolicy grants everyone s3:GetObject.
	sweepPublicPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",` +
		`"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + sweepBucket + `/*"}]}`
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
	// Bodies are decoded before authorization: an empty one would be
	// MalformedXML whoever sends it.
	"PutObjectTagging": objectTags("swept", "yes"),
	// Unlike the world's setting (all four on, or none).
	"PutPublicAccessBlock": publicAccessBlock(true, false, true, false),
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
		if !strings.EqualFold(h, "X-Amz-Copy-Source") {
			t.Fatalf("s3 %s: no value for the route's header %s", op, h)
		}
		r.header = append(r.header, h, sweepBucket+"/"+sweepSource)
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

// s3SweepCaller is one caller of the sweep; allowed lists the
// operations it may call on sweepBucket.
type s3SweepCaller struct {
	name    string
	k       key
	allowed map[string]bool
}

// sweepS3 calls every operation as c, on sweepBucket and on
// sweepMissing: each is refused (AccessDenied; NoSuchBucket for the
// missing bucket), but those c is allowed on sweepBucket, which succeed;
// none changes S3's state.
func sweepS3(t *testing.T, h *harness, c s3SweepCaller, ops []string, uploadID, partETag string) {
	t.Helper()
	before := s3State(t, h)
	for _, op := range ops {
		for _, bucket := range []string{sweepBucket, sweepMissing} {
			req := s3SweepRequest(t, op, bucket, uploadID, partETag)
			if req.target == "/" && bucket == sweepMissing {
				continue // ListBuckets names no bucket: sent once
			}
			resp := h.sendS3(t, c.k, req)
			what := fmt.Sprintf("%s %s (%s %s)", c.name, op, req.method, req.target)
			code := s3ErrorCode(resp.body)
			head := req.method == http.MethodHead
			denied := resp.status == 403 && (head || code == "AccessDenied")
			noBucket := resp.status == 404 && (head || code == "NoSuchBucket")
			switch {
			case c.allowed[op] && bucket == sweepBucket:
				if resp.status >= 300 {
					t.Errorf("%s: HTTP %d %s, want success", what, resp.status, resp.body)
				}
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

	// The world: a versioned bucket with tags, a policy, Block Public
	// Access (all four on, a new bucket's default), an object with two
	// versions, the copy source and an upload in progress with a part.
	g.setup(t, s3Put("/"+sweepBucket, ""))
	g.setup(t, s3Put("/"+sweepBucket+"?versioning", `<VersioningConfiguration xmlns="`+s3NS+`"><Status>Enabled</Status></VersioningConfiguration>`))
	g.setup(t, s3Put("/"+sweepBucket+"?tagging", `<Tagging xmlns="`+s3NS+`"><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>`))
	g.setup(t, s3Put("/"+sweepBucket+"?policy", sweepPolicy))
	g.setup(t, s3Put("/"+sweepBucket+"/"+sweepKey, "one"))
	g.setup(t, s3Put("/"+sweepBucket+"/"+sweepKey, "two"))
	g.setup(t, s3Put("/"+sweepBucket+"/"+sweepSource, "source"))
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
	if len(ops) < 36 {
		t.Fatalf("%d S3 operations: the table lost some", len(ops))
	}
	sweepS3(t, h, s3SweepCaller{name: "IAMUserWithoutPolicy", k: nobody}, ops, uploadID, partETag)
	sweepS3(t, h, s3SweepCaller{name: "RoleSessionWithoutPolicy", k: session}, ops, uploadID, partETag)
	// Anonymous callers: the bucket's policy grants the account, not
	// everyone; then the bucket has no policy.
	sweepS3(t, h, s3SweepCaller{name: "AnonymousAccountPolicy", k: key{}}, ops, uploadID, partETag)
	g.setup(t, s3Del("/"+sweepBucket+"?policy"))
	sweepS3(t, h, s3SweepCaller{name: "AnonymousNoPolicy", k: key{}}, ops, uploadID, partETag)
	// A public policy: everyone may read objects, and only that.
	g.setup(t, s3Del("/"+sweepBucket+"?publicAccessBlock"))
	g.setup(t, s3Put("/"+sweepBucket+"?policy", sweepPublicPolicy))
	sweepS3(t, h, s3SweepCaller{name: "AnonymousPublicRead", k: key{},
		allowed: map[string]bool{"GetObject": true, "HeadObject": true}}, ops, uploadID, partETag)

	// Root last: it may call every operation. Before each, the world is
	// put back (the object, tags, policy, Block Public Access, and a new
	// upload with a part); DeleteBucket deletes an empty bucket made for
	// it.
	for _, op := range ops {
		g.setup(t, s3Put("/"+sweepBucket+"/"+sweepKey, "again"))
		g.setup(t, s3Put("/"+sweepBucket+"?tagging", s3SweepBodies["PutBucketTagging"]))
		g.setup(t, s3Put("/"+sweepBucket+"?publicAccessBlock", publicAccessBlock(true, true, true, true)))
		g.setup(t, s3Put("/"+sweepBucket+"?policy", sweepPolicy))
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
