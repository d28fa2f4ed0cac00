// Package awsjson is the AWS JSON protocol, versions 1.0 and 1.1:
// POST / with the operation in X-Amz-Target, JSON bodies, and errors
// named by __type.
package awsjson

import (
	"net/http"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/internal/wire"
	"github.com/gatehouse-dev/gatehouse/api/query"
)

// The protocol versions, as the Content-Type spells them.
const (
	V10 = "1.0"
	V11 = "1.1"
)

// frontEnd is the namespace of the errors AWS's front end answers
// (unknown operations and authentication failures), whatever the
// service.
const frontEnd = "com.amazon.coral.service#"

// Codec is the AWS JSON protocol as one service speaks it.
type Codec struct {
	// Target is the X-Amz-Target prefix of the service's operations:
	// <Target>.<Operation>.
	Target string
	// Namespace precedes the code in an error's __type, e.g.
	// "com.amazonaws.invoicing#" ("" for none).
	Namespace string
	// Version is the protocol version, V10 or V11.
	Version string
}

func (c Codec) contentType() string { return "application/x-amz-json-" + c.Version }

// Operation returns the operation a request calls, which known must
// report as one of the service's: POST / with X-Amz-Target:
// <Target>.<Op>. Its input is the JSON body.
func (c Codec) Operation(r *http.Request, body []byte, known func(name string) bool) (string, func(any) error, error) {
	target := r.Header.Get("X-Amz-Target")
	prefix, name, ok := strings.Cut(target, ".")
	if !ok || !known(name) || prefix != c.Target || r.Method != http.MethodPost {
		return "", nil, gatehouse.Errorf("UnknownOperationException", "The operation %q is not supported by this service.", target)
	}
	return name, wire.Decoder(body), nil
}

// WriteResult writes a successful response; a nil result is {}.
func (c Codec) WriteResult(w http.ResponseWriter, _, requestID string, result any) error {
	b, err := wire.Result(result)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", c.contentType())
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.Write(b)
	return nil
}

// codes spells the domain's error codes as the JSON protocols do, and
// the edge's failures with their JSON names. Codes not listed have their
// Query spelling (query.Spell).
var codes = map[gatehouse.Code]string{
	gatehouse.CodeDenied:                 "AccessDeniedException",
	gatehouse.CodeNotFound:               "ResourceNotFoundException",
	gatehouse.CodeInvalid:                "ValidationException",
	gatehouse.CodeInvalidInput:           "ValidationException",
	gatehouse.CodeInvalidParameter:       "ValidationException",
	gatehouse.CodeInternal:               "InternalServerException",
	gatehouse.CodeConcurrentModification: "ThrottlingException",
	"InvalidClientTokenId":               "UnrecognizedClientException",
	"SignatureDoesNotMatch":              "InvalidSignatureException",
	"IncompleteSignature":                "IncompleteSignatureException",
	"MissingAuthenticationToken":         "MissingAuthenticationTokenException",
	"ExpiredToken":                       "ExpiredTokenException",
	"RequestEntityTooLarge":              "ValidationException",
}

// Spell returns the JSON protocols' spelling of an error code.
func Spell(code gatehouse.Code) string {
	if s, ok := codes[code]; ok {
		return s
	}
	return query.Spell(code)
}

// errorBody is the body of an error.
type errorBody struct {
	Type      string       `json:"__type"`
	Message   string       `json:"message"`
	Reason    string       `json:"reason,omitempty"`
	FieldList []wire.Field `json:"fieldList,omitempty"`
}

// WriteError writes an error: HTTP 500 for InternalServerException, 400
// for every other (client) error, as the models declare no HTTP status
// for their errors. The __type is the code after the service's
// Namespace, or after AWS's front end's (com.amazon.coral.service#) for
// the errors the front end answers: unknown operations and
// authentication failures. It returns the code it wrote.
func (c Codec) WriteError(w http.ResponseWriter, requestID string, domain gatehouse.Code, message string, err error) string {
	code := Spell(domain)
	status := http.StatusBadRequest
	if code == "InternalServerException" {
		status = http.StatusInternalServerError
	}
	ns := c.Namespace
	if code == "UnknownOperationException" || strings.HasSuffix(code, "SignatureException") ||
		code == "UnrecognizedClientException" || code == "MissingAuthenticationTokenException" || code == "ExpiredTokenException" {
		ns = frontEnd
	}
	body := errorBody{Type: ns + code, Message: message}
	if code == "ValidationException" {
		body.Reason, body.FieldList = wire.Validation(err)
	}
	b, _ := wire.Marshal(body)
	w.Header().Set("Content-Type", c.contentType())
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.WriteHeader(status)
	w.Write(b)
	return code
}

// Spell is the package's Spell, as the codec's method.
func (Codec) Spell(code gatehouse.Code) string { return Spell(code) }
