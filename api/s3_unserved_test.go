package api_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/api"
)

// s3ModelOperation is an operation of botocore's s3 model, as
// botoparse_s3.py --operations prints it.
type s3ModelOperation struct {
	Name       string `json:"name"`
	Method     string `json:"method"`
	RequestURI string `json:"requestUri"`
}

// s3UnsweptOperations are the model's operations whose request cannot
// reach this server as the model writes it.
var s3UnsweptOperations = map[string]string{
	"ListDirectoryBuckets":   "S3 Express's: GET / on the s3express-control endpoint, the same request as ListBuckets here",
	"WriteGetObjectResponse": "S3 Object Lambda's: sent to the {RequestRoute}. host prefix of an Object Lambda endpoint",
}

// TestS3UnservedOperations: every operation of S3's model that
// Gatehouse does not serve (ACLs, lifecycle, CORS, encryption, object
// lock, ...) answers 501 NotImplemented, as docs/s3.md says, and changes
// nothing. They differ from served operations only by a query
// subresource (?lifecycle, ?acl): a router that ignored it would serve
// DELETE /bucket?lifecycle as DeleteBucket and PUT /bucket/key?acl as
// PutObject.
func TestS3UnservedOperations(t *testing.T) {
	requirePython(t)
	out, err := exec.Command("python3", "testdata/s3/botoparse_s3.py", "--operations").Output()
	if err != nil {
		t.Fatalf("botoparse_s3.py --operations: %v", err)
	}
	var model []s3ModelOperation
	if err := json.Unmarshal(out, &model); err != nil || len(model) < 100 {
		t.Fatalf("botoparse_s3.py --operations: %v (%d operations)", err, len(model))
	}
	served := api.S3OperationNames()
	var names []string
	for _, op := range model {
		names = append(names, op.Name)
	}
	for _, op := range served {
		if !slices.Contains(names, op) {
			t.Errorf("s3 %s is served but botocore's model has no such operation", op)
		}
	}

	// Each operation gets an empty bucket of its own, with an object
	// beside it for the object operations, so that one misrouted
	// request (DELETE /bucket?lifecycle taken for DeleteBucket) does not
	// change what the next one finds.
	h := newS3Harness(t)
	g := &s3Goldens{h: h, seen: map[string]bool{}}
	g.setup(t, s3Put("/unserved-bucket", ""))
	swept := 0
	for _, op := range model {
		if slices.Contains(served, op.Name) || s3UnsweptOperations[op.Name] != "" {
			continue
		}
		path, query, _ := strings.Cut(op.RequestURI, "?")
		if query == "" {
			t.Errorf("s3 %s (%s %s): no query subresource tells it apart from a served operation", op.Name, op.Method, op.RequestURI)
			continue
		}
		swept++
		bucket, key := fmt.Sprintf("unserved-%d", swept), fmt.Sprintf("k%d", swept)
		g.setup(t, s3Put("/"+bucket, ""))
		if strings.Contains(path, "{Key+}") {
			bucket = "unserved-bucket"
			g.setup(t, s3Put("/"+bucket+"/"+key, "kept"))
		}
		before := s3State(t, h)
		target := strings.NewReplacer("{Bucket}", bucket, "{Key+}", key).Replace(path) + "?" + query
		resp := g.h.sendS3(t, rootKey, s3Req{method: op.Method, target: target})
		var problems []string
		if resp.status != 501 || s3ErrorCode(resp.body) != "NotImplemented" {
			problems = append(problems, fmt.Sprintf("HTTP %d %s, want 501 NotImplemented", resp.status, describeBody(resp.body)))
		}
		if after := s3State(t, h); after != before {
			problems = append(problems, "changed S3's state:\n"+lineDiff(before, after))
		}
		if problems != nil {
			t.Errorf("%s (%s %s): %s", op.Name, op.Method, target, strings.Join(problems, "; "))
		}
	}
	if swept < 60 {
		t.Errorf("%d unserved operations swept, want the model's (more than 60)", swept)
	}
}

// describeBody names what a response body is: its error code, the root
// element of another XML document, or its size.
func describeBody(body []byte) string {
	if code := s3ErrorCode(body); code != "" {
		return code
	}
	var root struct{ XMLName xml.Name }
	if xml.Unmarshal(body, &root) == nil {
		return "<" + root.XMLName.Local + ">"
	}
	return fmt.Sprintf("(%d bytes: %.20q)", len(body), body)
}

// lineDiff lists the lines only in a ("-") and only in b ("+").
func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for _, l := range al {
		if !slices.Contains(bl, l) {
			out = append(out, fmt.Sprintf("  - %.170s", l))
		}
	}
	for _, l := range bl {
		if !slices.Contains(al, l) {
			out = append(out, fmt.Sprintf("  + %.170s", l))
		}
	}
	return strings.Join(out, "\n")
}
