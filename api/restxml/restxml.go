// Package restxml is the AWS REST-XML protocol (S3, CloudFront, Route
// 53); Gatehouse serves none of its services yet, so it only writes
// S3's error document.
package restxml

import (
	"encoding/xml"
	"fmt"
	"net/http"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/query"
)

// Codec is the REST-XML protocol as S3 speaks it.
type Codec struct{}

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

// s3Error is S3's error document: <Error> with no namespace.
type s3Error struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	RequestID string   `xml:"RequestId"`
}

// WriteError writes an S3-style error: application/xml, <Error>, and
// the request ID in x-amz-request-id as well as in the body. It returns
// the code it wrote.
func (Codec) WriteError(w http.ResponseWriter, requestID string, domain gatehouse.Code, message string, _ error) string {
	code := query.Spell(domain)
	status := query.Status(code)
	if c, ok := s3Codes[domain]; ok {
		code, status = c.code, c.status
	}
	body, _ := xml.Marshal(s3Error{Code: code, Message: message, RequestID: requestID})
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("X-Amz-Request-Id", requestID)
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.WriteHeader(status)
	fmt.Fprint(w, xml.Header)
	w.Write(body)
	return code
}

// Spell returns S3's spelling of an error code.
func Spell(code gatehouse.Code) string {
	if c, ok := s3Codes[code]; ok {
		return c.code
	}
	return query.Spell(code)
}

// Spell is the package's Spell, as the codec's method.
func (Codec) Spell(code gatehouse.Code) string { return Spell(code) }
