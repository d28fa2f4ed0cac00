package restxml_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/restxml"
)

// request builds a server-side request for host and target (path and
// query as sent), as net/http parses one.
func request(t testing.TB, method, host, target string) *http.Request {
	t.Helper()
	u, err := url.ParseRequestURI(target)
	if err != nil {
		t.Fatalf("%s: %v", target, err)
	}
	return &http.Request{Method: method, Host: host, URL: u, RequestURI: target, Header: http.Header{}, Body: http.NoBody}
}

func TestAddressingParse(t *testing.T) {
	a := restxml.Addressing{Hosts: []string{"localhost", "S3.Gatehouse.test"}}
	tests := []struct {
		name, host, target string
		want               restxml.Address
		target2            restxml.Target
	}{
		// Path style: the first segment is the bucket.
		{"service", "127.0.0.1:4590", "/", restxml.Address{}, restxml.Service},
		{"path bucket", "127.0.0.1:4590", "/my-bucket", restxml.Address{Bucket: "my-bucket"}, restxml.Bucket},
		{"path bucket slash", "127.0.0.1:4590", "/my-bucket/", restxml.Address{Bucket: "my-bucket"}, restxml.Bucket},
		{"path object", "localhost:4590", "/my-bucket/photos/cat.jpg", restxml.Address{Bucket: "my-bucket", Key: "photos/cat.jpg"}, restxml.Object},
		{"path key kept as is", "localhost", "/b/a//b/../c/", restxml.Address{Bucket: "b", Key: "a//b/../c/"}, restxml.Object},
		{"path key decoded", "localhost", "/b/a%20b%2Bc/%E2%82%AC", restxml.Address{Bucket: "b", Key: "a b+c/€"}, restxml.Object},
		{"path key with encoded slash", "localhost", "/b/x%2Fy", restxml.Address{Bucket: "b", Key: "x/y"}, restxml.Object},
		{"ipv6 host", "[::1]:4590", "/b/k", restxml.Address{Bucket: "b", Key: "k"}, restxml.Object},
		{"own host", "s3.gatehouse.test", "/b/k", restxml.Address{Bucket: "b", Key: "k"}, restxml.Object},
		{"no host", "", "/b/k", restxml.Address{Bucket: "b", Key: "k"}, restxml.Object},
		// Virtual-hosted style: <bucket>.<host>, the path is the key.
		{"virtual with port", "my-bucket.localhost:4590", "/", restxml.Address{Bucket: "my-bucket", Virtual: true}, restxml.Bucket},
		{"virtual without port", "my-bucket.localhost", "/photos/cat.jpg", restxml.Address{Bucket: "my-bucket", Key: "photos/cat.jpg", Virtual: true}, restxml.Object},
		{"virtual key is the whole path", "b.localhost", "/b/k", restxml.Address{Bucket: "b", Key: "b/k", Virtual: true}, restxml.Object},
		{"virtual dotted bucket", "my.bucket.localhost:4590", "/k", restxml.Address{Bucket: "my.bucket", Key: "k", Virtual: true}, restxml.Object},
		{"virtual second host", "my.bucket.s3.gatehouse.test", "/k", restxml.Address{Bucket: "my.bucket", Key: "k", Virtual: true}, restxml.Object},
		{"uppercase host", "My-Bucket.LOCALHOST:4590", "/K", restxml.Address{Bucket: "my-bucket", Key: "K", Virtual: true}, restxml.Object},
		{"uppercase configured host", "b.s3.gatehouse.TEST", "/", restxml.Address{Bucket: "b", Virtual: true}, restxml.Bucket},
		// Hosts that are not subdomains of a configured one: path style.
		{"suffix without dot", "evillocalhost:4590", "/b/k", restxml.Address{Bucket: "b", Key: "k"}, restxml.Object},
		{"other domain", "b.localhost.example:4590", "/b/k", restxml.Address{Bucket: "b", Key: "k"}, restxml.Object},
		{"empty label", ".localhost:4590", "/b/k", restxml.Address{Bucket: "b", Key: "k"}, restxml.Object},
		{"host of another service", "b.gatehouse.test", "/b/k", restxml.Address{Bucket: "b", Key: "k"}, restxml.Object},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := a.Parse(request(t, "GET", tt.host, tt.target))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Parse(%s %s) = %+v, want %+v", tt.host, tt.target, got, tt.want)
			}
			if got.Target() != tt.target2 {
				t.Errorf("Target() = %v, want %v", got.Target(), tt.target2)
			}
		})
	}
}

func TestAddressingNoHosts(t *testing.T) {
	got, err := restxml.Addressing{}.Parse(request(t, "GET", "b.localhost:4590", "/k"))
	if err != nil || got != (restxml.Address{Bucket: "k"}) {
		t.Errorf("Parse = %+v, %v; want path style without configured hosts", got, err)
	}
}

// TestAddressingInvalidURI: a path that does not start with "/" (an
// absolute-form or asterisk-form request target) is InvalidURI.
func TestAddressingInvalidURI(t *testing.T) {
	for _, u := range []*url.URL{{Path: "b/k"}, {Path: ""}, {Path: "*"}, {Opaque: "x"}} {
		r := &http.Request{Method: "GET", Host: "localhost", URL: u, Header: http.Header{}}
		_, err := restxml.Addressing{Hosts: []string{"localhost"}}.Parse(r)
		if gatehouse.ErrorCode(err) != "InvalidURI" {
			t.Errorf("Parse(%#v) = %v, want InvalidURI", u, err)
		}
	}
}
