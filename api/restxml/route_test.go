package restxml_test

import (
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/restxml"
	"github.com/gatehouse-dev/gatehouse/api/s3ops"
)

var s3Codec = restxml.Codec{Routes: s3ops.Routes, Addressing: restxml.Addressing{Hosts: []string{"localhost"}}}

func allKnown(string) bool { return true }

// routeRequest returns the path-style target and headers of a request
// that has exactly what rt asks for: its query parameters (a value for
// those that need one) and headers.
func routeRequest(rt restxml.Route) (path, query string, header []string) {
	switch rt.Target {
	case restxml.Service:
		path = "/"
	case restxml.Bucket:
		path = "/b"
	case restxml.Object:
		path = "/b/photos/cat.jpg"
	}
	var q []string
	for _, p := range rt.Query {
		switch p {
		case "uploadId":
			p = "uploadId=u1"
		case "partNumber":
			p = "partNumber=3"
		}
		q = append(q, p)
	}
	for _, h := range rt.Header {
		header = append(header, h, "src/key")
	}
	return path, strings.Join(q, "&"), header
}

// TestRouteEveryRoute: every route of s3ops.Routes is reachable (no
// earlier route takes its requests), path style and virtual-hosted,
// and the x-id=<Operation> that Smithy SDKs add to the query changes
// nothing.
func TestRouteEveryRoute(t *testing.T) {
	seen := map[string]bool{}
	for _, rt := range s3ops.Routes {
		if seen[rt.Op] {
			t.Errorf("%s has two routes", rt.Op)
		}
		seen[rt.Op] = true
		path, query, header := routeRequest(rt)
		variants := map[string]string{"path style": path + "?" + query}
		if query == "" {
			variants["path style"] = path
		}
		variants["x-id first"] = path + "?x-id=" + rt.Op
		variants["x-id last"] = path + "?x-id=" + rt.Op
		if query != "" {
			variants["x-id first"] += "&" + query
			variants["x-id last"] = path + "?" + query + "&x-id=" + rt.Op
		}
		for name, target := range variants {
			for _, host := range []string{"127.0.0.1:4590", "virtual"} {
				if host == "virtual" {
					if rt.Target == restxml.Service {
						continue
					}
					host = "b.localhost:4590"
					target = strings.TrimPrefix(target, "/b")
					if !strings.HasPrefix(target, "/") {
						target = "/" + target
					}
				}
				r := request(t, rt.Method, host, target)
				for i := 0; i+1 < len(header); i += 2 {
					r.Header.Set(header[i], header[i+1])
				}
				op, decode, err := s3Codec.Operation(r, nil, allKnown)
				if err != nil || op != rt.Op || decode == nil {
					t.Errorf("%s (%s): %s %s %s routes to %q, %v; want %s", rt.Op, name, rt.Method, host, target, op, err, rt.Op)
				}
			}
		}
	}
}

// TestRouteDistinguishers: requests that share a method and target go
// where their query and headers say (aws-s3.md §1.3).
func TestRouteDistinguishers(t *testing.T) {
	tests := []struct {
		method, target string
		header         []string
		want           string
	}{
		{"GET", "/", nil, "ListBuckets"},
		{"GET", "/?prefix=a&max-buckets=2", nil, "ListBuckets"},
		{"GET", "/b", nil, "ListObjects"},
		{"GET", "/b/", nil, "ListObjects"},
		{"GET", "/b?list-type=2", nil, "ListObjectsV2"},
		{"GET", "/b?list-type=1", nil, "ListObjects"},
		{"GET", "/b?list-type", nil, "ListObjects"},
		{"GET", "/b?prefix=a&list-type=2&delimiter=%2F", nil, "ListObjectsV2"},
		{"GET", "/b?versioning=", nil, "GetBucketVersioning"},
		{"GET", "/b?policy", nil, "GetBucketPolicy"},
		{"GET", "/b?policyStatus", nil, "GetBucketPolicyStatus"},
		{"GET", "/b?versions&prefix=a", nil, "ListObjectVersions"},
		{"PUT", "/b", nil, "CreateBucket"},
		{"PUT", "/b?versioning", nil, "PutBucketVersioning"},
		{"DELETE", "/b", nil, "DeleteBucket"},
		{"DELETE", "/b?tagging", nil, "DeleteBucketTagging"},
		{"POST", "/b?delete", nil, "DeleteObjects"},
		{"PUT", "/b/k", nil, "PutObject"},
		{"PUT", "/b/k?partNumber=1", nil, "PutObject"},
		{"PUT", "/b/k?uploadId=u", nil, "PutObject"},
		{"PUT", "/b/k?partNumber=1&uploadId=u", nil, "UploadPart"},
		{"PUT", "/b/k?partNumber=1&uploadId=u", []string{"X-Amz-Copy-Source", "b/src"}, "UploadPartCopy"},
		{"PUT", "/b/k", []string{"X-Amz-Copy-Source", "b/src"}, "CopyObject"},
		{"PUT", "/b/k", []string{"X-Amz-Copy-Source", ""}, "PutObject"},
		{"GET", "/b/k", nil, "GetObject"},
		{"GET", "/b/k?versionId=v&response-content-type=text%2Fplain", nil, "GetObject"},
		{"GET", "/b/k?uploadId=u", nil, "ListParts"},
		{"HEAD", "/b/k", nil, "HeadObject"},
		{"HEAD", "/b", nil, "HeadBucket"},
		{"DELETE", "/b/k", nil, "DeleteObject"},
		{"DELETE", "/b/k?versionId=v", nil, "DeleteObject"},
		{"DELETE", "/b/k?uploadId=u", nil, "AbortMultipartUpload"},
		{"POST", "/b/k?uploads", nil, "CreateMultipartUpload"},
		{"POST", "/b/k?uploadId=u", nil, "CompleteMultipartUpload"},
		// A key that looks like a subresource is a key.
		{"GET", "/b/versioning", nil, "GetObject"},
		{"PUT", "/b/%3Fpolicy", nil, "PutObject"},
	}
	for _, tt := range tests {
		r := request(t, tt.method, "localhost:4590", tt.target)
		for i := 0; i+1 < len(tt.header); i += 2 {
			r.Header.Set(tt.header[i], tt.header[i+1])
		}
		op, _, err := s3Codec.Operation(r, nil, allKnown)
		if err != nil || op != tt.want {
			t.Errorf("%s %s %v = %q, %v; want %s", tt.method, tt.target, tt.header, op, err, tt.want)
		}
	}
}

// TestRouteUnknown: a request no route matches, or whose operation is not
// served, is MethodNotAllowed naming the method and the resource type.
func TestRouteUnknown(t *testing.T) {
	served := func(op string) bool { return op != "GetBucketAcl" && op != "CopyObject" }
	tests := []struct {
		method, target string
		header         []string
		resourceType   string
	}{
		{"POST", "/", nil, "SERVICE"},
		{"PUT", "/", nil, "SERVICE"},
		{"DELETE", "/?x-id=DeleteBucket", nil, "SERVICE"},
		{"POST", "/b", nil, "BUCKET"},
		{"PATCH", "/b", nil, "BUCKET"},
		{"POST", "/b/k", nil, "OBJECT"},
		{"OPTIONS", "/b/k", nil, "OBJECT"},
		{"POST", "/b?x-id=DeleteObjects", nil, "BUCKET"},
		{"GET", "/b?acl", nil, "BUCKET"},                                  // routed, not served
		{"PUT", "/b/k", []string{"X-Amz-Copy-Source", "b/src"}, "OBJECT"}, // routed, not served
		{"get", "/b/k", nil, "OBJECT"},                                    // methods are case-sensitive
		{"PUT", "/b/k?x-id=UploadPart&partNumber=1", nil, ""},             // x-id does not route: PutObject
		{"PUT", "/b/k?x-id=UploadPart&partNumber=1&uploadId=u", nil, ""},  // ... but is no obstacle
		{"GET", "/b/k?x-id=ListParts", nil, ""},                           // GetObject
		{"POST", "/b/k?x-id=CompleteMultipartUpload", nil, "OBJECT"},      // no uploadId
		{"POST", "/b/k?x-id=CreateMultipartUpload&upload", nil, "OBJECT"}, // "upload" is not "uploads"
		{"DELETE", "/b/k?x-id=AbortMultipartUpload&uploadid=u", nil, ""},  // names are case-sensitive: DeleteObject
		{"HEAD", "/", nil, "SERVICE"},
	}
	for _, tt := range tests {
		r := request(t, tt.method, "localhost:4590", tt.target)
		for i := 0; i+1 < len(tt.header); i += 2 {
			r.Header.Set(tt.header[i], tt.header[i+1])
		}
		op, _, err := s3Codec.Operation(r, nil, served)
		if tt.resourceType == "" {
			if err != nil {
				t.Errorf("%s %s: %v, want an operation", tt.method, tt.target, err)
			}
			continue
		}
		if op != "" && !served(op) && gatehouse.ErrorCode(err) == "NotImplemented" {
			continue // an S3 operation the table does not serve: 501, by design
		}
		if gatehouse.ErrorCode(err) != restxml.CodeMethodNotAllowed {
			t.Errorf("%s %s = %q, %v; want MethodNotAllowed", tt.method, tt.target, op, err)
			continue
		}
		details := map[string]string{}
		for _, d := range gatehouse.ErrorDetails(err) {
			details[d.Name] = d.Value
		}
		if details["Method"] != tt.method || details["ResourceType"] != tt.resourceType {
			t.Errorf("%s %s: details %v, want Method %s and ResourceType %s", tt.method, tt.target, details, tt.method, tt.resourceType)
		}
	}
}

// TestRouteMalformedQuery: a query string that does not parse is
// InvalidArgument, before any routing.
func TestRouteMalformedQuery(t *testing.T) {
	for _, target := range []string{"/b?list-type=2&prefix=%zz", "/b/k?versionId=%", "/?a=%G0"} {
		_, _, err := s3Codec.Operation(request(t, "GET", "localhost", target), nil, allKnown)
		if gatehouse.ErrorCode(err) != "InvalidArgument" {
			t.Errorf("GET %s: %v, want InvalidArgument", target, err)
		}
	}
}
