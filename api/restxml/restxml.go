// Package restxml is the AWS REST-XML protocol as S3 speaks it: the
// bucket and key from the path or the Host, operations routed by method,
// target, query and headers, inputs decoded from tagged fields (path,
// query, headers, a streamed or XML body), results written from tagged
// fields, and S3's <Error> document with its codes and statuses.
package restxml

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/query"
)

// Codec is the REST-XML protocol as S3 speaks it. The zero Codec only
// writes errors (for requests to a REST-XML service Gatehouse does not
// serve).
type Codec struct {
	Routes     []Route
	Addressing Addressing
}

// Operation routes a request (its body, already verified, in r.Body;
// the body argument is unused) to an operation and returns the
// decoder of its input.
func (c Codec) Operation(r *http.Request, _ []byte, known func(string) bool) (string, func(any) error, error) {
	addr, err := c.Addressing.Parse(r)
	if err != nil {
		return "", nil, err
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return "", nil, gatehouse.Errorf("InvalidArgument", "The query string is malformed.")
	}
	name, ok := route(c.Routes, r, q, addr.Target())
	if ok && !known(name) {
		return name, nil, gatehouse.Errorf("NotImplemented", "A header you provided implies functionality that is not implemented")
	}
	if !ok {
		for param := range q {
			if subresources[param] {
				return "", nil, gatehouse.Errorf("NotImplemented", "A header you provided implies functionality that is not implemented")
			}
		}
		return "", nil, gatehouse.Errorf(CodeMethodNotAllowed, "The specified method is not allowed against this resource.").
			With("Method", r.Method).With("ResourceType", [...]string{"SERVICE", "BUCKET", "OBJECT"}[addr.Target()])
	}
	req := &Request{HTTP: r, Query: q, Address: addr, Body: r.Body}
	return name, req.Decode, nil
}

// WriteResult writes an operation's result (see writeResult).
func (Codec) WriteResult(w http.ResponseWriter, _, requestID string, result any) error {
	return writeResult(w, requestID, result)
}

// CodeMethodNotAllowed is S3's answer to a request no operation serves.
const CodeMethodNotAllowed gatehouse.Code = "MethodNotAllowed"

// s3Codes spells the domain's and the edge's error codes as S3 does
// (aws-s3.md §3.2, in docs/reference), with S3's status. Codes not
// listed have their Query spelling and status (query.Spell,
// query.Status).
var s3Codes = map[gatehouse.Code]struct {
	code   string
	status int
}{
	"InvalidClientTokenId":       {"InvalidAccessKeyId", http.StatusForbidden},
	"MissingAuthenticationToken": {"AccessDenied", http.StatusForbidden},
	"IncompleteSignature":        {"AuthorizationHeaderMalformed", http.StatusBadRequest},
	"ExpiredToken":               {"ExpiredToken", http.StatusBadRequest},
	"RequestEntityTooLarge":      {"EntityTooLarge", http.StatusBadRequest},
	gatehouse.CodeInternal:       {"InternalError", http.StatusInternalServerError},
	"NotImplemented":             {"NotImplemented", http.StatusNotImplemented},
}

// s3Status gives S3's wire codes (the s3 service's own, which it
// raises as they are) their statuses, from aws-s3.md §3.2. Codes not
// listed here or in s3Codes are 400.
var s3Status = map[gatehouse.Code]int{
	"NoSuchBucket": 404, "NoSuchKey": 404, "NoSuchVersion": 404, "NoSuchUpload": 404, "NoSuchBucketPolicy": 404,
	"NoSuchTagSet": 404, "NoSuchPublicAccessBlockConfiguration": 404,
	"BucketAlreadyExists": 409, "BucketAlreadyOwnedByYou": 409, "BucketNotEmpty": 409, "InvalidBucketState": 409,
	"OperationAborted": 409, "ConditionalRequestConflict": 409,
	"AccessDenied": 403, "SignatureDoesNotMatch": 403, "InvalidAccessKeyId": 403, "RequestTimeTooSkewed": 403,
	"InvalidRange": 416, "PreconditionFailed": 412, "NotModified": 304, "MethodNotAllowed": 405,
	"MissingContentLength": 411, "NotImplemented": 501, "InternalError": 500, "SlowDown": 503, "ServiceUnavailable": 503,
}

// s3Codes spells the domain's shared codes as S3 does, with S3's
// status.
var s3Shared = map[gatehouse.Code]struct {
	code   string
	status int
}{
	gatehouse.CodeDenied:          {"AccessDenied", http.StatusForbidden},
	gatehouse.CodeInvalid:         {"InvalidArgument", http.StatusBadRequest},
	gatehouse.CodeInvalidInput:    {"InvalidArgument", http.StatusBadRequest},
	gatehouse.CodeMalformedPolicy: {"MalformedPolicy", http.StatusBadRequest},
	gatehouse.CodeNotFound:        {"NoSuchKey", http.StatusNotFound},
	gatehouse.CodeLimit:           {"TooManyBuckets", http.StatusBadRequest},
	gatehouse.CodeInvalidMFACode:  {"AccessDenied", http.StatusForbidden},
}

// spellStatus returns S3's code and status for a code.
func spellStatus(domain gatehouse.Code) (string, int) {
	if c, ok := s3Codes[domain]; ok {
		return c.code, c.status
	}
	if c, ok := s3Shared[domain]; ok {
		return c.code, c.status
	}
	if st, ok := s3Status[domain]; ok {
		return string(domain), st
	}
	code := query.Spell(domain)
	if st, ok := s3Status[gatehouse.Code(code)]; ok {
		return code, st
	}
	return code, query.Status(code)
}

// WriteError writes an S3-style error: application/xml, <Error> with
// Code, Message, the error's details (BucketName, Key, ...), and the
// request ID, which also goes in x-amz-request-id. A detail named
// "header:<Name>" is sent as that response header instead (a delete
// marker's x-amz-delete-marker). NotModified is a bare 304. It returns
// the code it wrote.
func (Codec) WriteError(w http.ResponseWriter, requestID string, domain gatehouse.Code, message string, err error) string {
	code, status := spellStatus(domain)
	h := w.Header()
	setRequestID(h, requestID)
	var body strings.Builder
	body.WriteString(xml.Header)
	body.WriteString("<Error><Code>")
	xml.EscapeText(&body, []byte(code))
	body.WriteString("</Code><Message>")
	xml.EscapeText(&body, []byte(message))
	body.WriteString("</Message>")
	for _, d := range gatehouse.ErrorDetails(err) {
		if name, ok := strings.CutPrefix(d.Name, "header:"); ok {
			h.Set(name, d.Value)
			continue
		}
		fmt.Fprintf(&body, "<%s>", d.Name)
		xml.EscapeText(&body, []byte(d.Value))
		fmt.Fprintf(&body, "</%s>", d.Name)
	}
	body.WriteString("<RequestId>")
	xml.EscapeText(&body, []byte(requestID))
	body.WriteString("</RequestId><HostId>")
	xml.EscapeText(&body, []byte(requestID))
	body.WriteString("</HostId></Error>")
	if status == http.StatusNotModified {
		w.WriteHeader(status)
		return code
	}
	h.Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	w.Write([]byte(body.String()))
	return code
}

// Spell returns S3's spelling of an error code.
func Spell(code gatehouse.Code) string {
	c, _ := spellStatus(code)
	return c
}

// Spell is the package's Spell, as the codec's method.
func (Codec) Spell(code gatehouse.Code) string { return Spell(code) }
