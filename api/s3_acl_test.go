package api_test

import "testing"

// TestS3ACLCondition: the writes that take a canned ACL (PutObject,
// CreateMultipartUpload, CopyObject) put the x-amz-acl header in
// s3:x-amz-acl, so a policy can require one; without the header the key
// is absent and the condition does not match.
func TestS3ACLCondition(t *testing.T) {
	h := newS3Harness(t)
	iamOK := func(kv ...string) []byte {
		t.Helper()
		r := h.send(t, "iam", rootKey, iamForm(kv[0], kv[1:]...))
		if r.status != 200 {
			t.Fatalf("%s: HTTP %d %s", kv[0], r.status, r.body)
		}
		return r.body
	}
	root := func(r s3Req) {
		t.Helper()
		if resp := h.sendS3(t, rootKey, r); resp.status != 200 {
			t.Fatalf("%s %s: HTTP %d %s", r.method, r.target, resp.status, resp.body)
		}
	}
	root(s3Put("/acl-bucket", ""))
	root(s3Put("/acl-bucket/source.txt", "source"))
	iamOK("CreateUser", "UserName", "writer")
	iamOK("PutUserPolicy", "UserName", "writer", "PolicyName", "acl", "PolicyDocument", `{"Version":"2012-10-17","Statement":[`+
		`{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::acl-bucket/*",`+
		`"Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}},`+
		`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::acl-bucket/*"}]}`)
	body := iamOK("CreateAccessKey", "UserName", "writer")
	writer := key{id: field(t, body, "AccessKeyId"), secret: field(t, body, "SecretAccessKey")}

	for _, tc := range []struct {
		name string
		req  func(header ...string) s3Req
	}{
		{"PutObject", func(header ...string) s3Req { return s3Put("/acl-bucket/put.txt", "put", header...) }},
		{"CreateMultipartUpload", func(header ...string) s3Req { return s3Post("/acl-bucket/big.bin?uploads", "", header...) }},
		{"CopyObject", func(header ...string) s3Req {
			return s3Put("/acl-bucket/copy.txt", "", append([]string{"X-Amz-Copy-Source", "acl-bucket/source.txt"}, header...)...)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r := h.sendS3(t, writer, tc.req()); r.status != 403 {
				t.Errorf("without x-amz-acl: HTTP %d, want 403\n%s", r.status, r.body)
			}
			if r := h.sendS3(t, writer, tc.req("X-Amz-Acl", "private")); r.status != 403 {
				t.Errorf("with another ACL: HTTP %d, want 403\n%s", r.status, r.body)
			}
			if r := h.sendS3(t, writer, tc.req("X-Amz-Acl", "bucket-owner-full-control")); r.status != 200 {
				t.Errorf("with the ACL the policy requires: HTTP %d, want 200\n%s", r.status, r.body)
			}
		})
	}
}
