package restxml

import (
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// Target is what a request's path addresses.
type Target int

// The targets of S3 requests.
const (
	// Service is the endpoint itself (GET / is ListBuckets).
	Service Target = iota
	// Bucket is /{Bucket}, or / on a virtual-hosted bucket.
	Bucket
	// Object is /{Bucket}/{Key+}.
	Object
)

// Route maps one shape of request to an operation. A request matches
// when its method and target are the route's, it has every query
// parameter in Query ("name" present, with or without a value, or
// "name=value"), and every header in Header. Routes are tried in order:
// list the more specific first.
type Route struct {
	Method string
	Target Target
	Query  []string
	Header []string
	Op     string
}

// Address is the bucket and key a request names.
type Address struct {
	Bucket string
	Key    string
	// Virtual is true when the bucket came from the Host header.
	Virtual bool
}

// Target returns what the address names.
func (a Address) Target() Target {
	switch {
	case a.Bucket == "":
		return Service
	case a.Key == "":
		return Bucket
	}
	return Object
}

// Addressing tells the bucket of a request from its Host when the host
// is <bucket>.<one of Hosts> (virtual-hosted style), and from the first
// path segment otherwise (path style).
type Addressing struct {
	// Hosts are the server's own host names, without port ("localhost",
	// "s3.localhost"): a request to a subdomain of one of them names a
	// bucket.
	Hosts []string
}

// Parse returns the address of r.
func (a Addressing) Parse(r *http.Request) (Address, error) {
	path := r.URL.Path
	if !strings.HasPrefix(path, "/") {
		return Address{}, gatehouse.Errorf("InvalidURI", "Couldn't parse the specified URI.").With("URI", r.URL.RequestURI())
	}
	if bucket, ok := a.VirtualBucket(r.Host); ok {
		return Address{Bucket: bucket, Key: path[1:], Virtual: true}, nil
	}
	bucket, key, _ := strings.Cut(path[1:], "/")
	return Address{Bucket: bucket, Key: key}, nil
}

// VirtualBucket returns the bucket a Host names, when it is a subdomain of
// one of the server's host names.
func (a Addressing) VirtualBucket(host string) (string, bool) {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(host)
	for _, base := range a.Hosts {
		if b, ok := strings.CutSuffix(host, "."+strings.ToLower(base)); ok && b != "" {
			return b, true
		}
	}
	return "", false
}

// match reports whether r (with query q) matches the route.
func (rt *Route) match(r *http.Request, q url.Values, target Target) bool {
	if rt.Method != r.Method || rt.Target != target {
		return false
	}
	for _, p := range rt.Query {
		name, value, hasValue := strings.Cut(p, "=")
		vs, ok := q[name]
		if !ok || hasValue && (len(vs) == 0 || vs[0] != value) {
			return false
		}
	}
	for _, h := range rt.Header {
		if r.Header.Get(h) == "" {
			return false
		}
	}
	return true
}

// route returns the operation of the first route r matches. A request
// that names an S3 subresource no route names (?lifecycle, ?cors, ?acl
// on an object...) is an operation Gatehouse does not serve: it must not
// fall through to the plain operation of its method and path (a DELETE
// ?lifecycle is not a DeleteBucket).
func route(routes []Route, r *http.Request, q url.Values, target Target) (string, bool) {
	for i := range routes {
		if routes[i].match(r, q, target) {
			for name := range q {
				if subresources[name] && !routes[i].names(name) {
					return "unserved:" + name, true
				}
			}
			return routes[i].Op, true
		}
	}
	return "", false
}

// names reports whether the route names a query parameter.
func (rt *Route) names(param string) bool {
	for _, p := range rt.Query {
		if name, _, _ := strings.Cut(p, "="); name == param {
			return true
		}
	}
	return false
}

// subresources are the query parameters that select an S3 operation
// (from the S3 model's request URIs).
var subresources = map[string]bool{
	"accelerate": true, "acl": true, "analytics": true, "attributes": true, "cors": true, "delete": true,
	"encryption": true, "intelligent-tiering": true, "inventory": true, "legal-hold": true, "lifecycle": true,
	"location": true, "logging": true, "metadataConfiguration": true, "metadataTable": true, "metrics": true,
	"notification": true, "object-lock": true, "ownershipControls": true, "policy": true, "policyStatus": true,
	"publicAccessBlock": true, "renameObject": true, "replication": true, "requestPayment": true,
	"restore": true, "retention": true, "select": true, "session": true, "tagging": true, "torrent": true,
	"uploads": true, "versioning": true, "versions": true, "website": true,
	"abac": true, "metadataInventoryTable": true, "metadataJournalTable": true,
}
