package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/restxml"
	"github.com/gatehouse-dev/gatehouse/s3"
)

// unsignedS3 reports whether a request without a SigV4 credential is
// meant for S3, so that it is answered in S3's terms: it is signed with
// S3's legacy Signature Version 2, or it addresses a bucket (by its
// Host, or by a first path segment that is a bucket name) and is none of
// the other protocols' requests (a Query Action, an X-Amz-Target, a
// form POST).
func (s *Server) unsignedS3(r *http.Request) bool {
	if _, ok := s.services["s3"]; !ok {
		return false
	}
	if sigV2(r) {
		return true
	}
	if r.URL.Query().Has("Action") || r.Header.Get("X-Amz-Target") != "" ||
		r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return false
	}
	if _, virtual := (restxml.Addressing{Hosts: s.S3Hosts}).VirtualBucket(r.Host); virtual {
		return true
	}
	if r.URL.Path == "/" && r.Method == http.MethodGet && r.URL.RawQuery == "" {
		return true // ListBuckets
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	return s3.ValidBucketName(first)
}

// sigV2 reports whether a request is signed with AWS Signature Version 2
// (an "AWS key:signature" Authorization header, or AWSAccessKeyId and
// Signature query parameters), which S3 accepted before SigV4.
func sigV2(r *http.Request) bool {
	if strings.HasPrefix(r.Header.Get("Authorization"), "AWS ") {
		return true
	}
	q := r.URL.Query()
	return q.Has("AWSAccessKeyId") && q.Has("Signature")
}

// errAnonymous is s3Unsigned's answer for a request with no signature.
var errAnonymous = errors.New("api: anonymous S3 request")

// s3Unsigned sorts out an S3 request that carries no SigV4 signature:
// Signature Version 2 is not supported (S3's answer in every region
// opened since 2014), and a request with no signature at all is
// anonymous (errAnonymous). nil means a SigV4 request.
func s3Unsigned(r *http.Request) error {
	if sigV2(r) {
		return gatehouse.Errorf("InvalidRequest", "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.")
	}
	q := r.URL.Query()
	if r.Header.Get("Authorization") == "" && !q.Has("X-Amz-Credential") && !q.Has("X-Amz-Signature") && !q.Has("X-Amz-Algorithm") {
		return errAnonymous
	}
	return nil
}
