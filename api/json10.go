package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// json10Operation returns the operation an AWS JSON 1.0 request calls:
// POST / with X-Amz-Target: <prefix>.<Op>.
func json10Operation(svc service, r *http.Request) (string, error) {
	target := r.Header.Get("X-Amz-Target")
	prefix, name, ok := strings.Cut(target, ".")
	if _, known := svc.ops[name]; !ok || !known || prefix != svc.jsonTarget || r.Method != http.MethodPost {
		return "", gatehouse.Errorf("UnknownOperationException", "The operation %q is not supported by this service.", target)
	}
	return name, nil
}

// json10Codes turns Gatehouse's codes into JSON 1.0 exception names.
var json10Codes = map[string]string{
	gatehouse.EAccessDenied:           "AccessDeniedException",
	gatehouse.ENoSuchEntity:           "ResourceNotFoundException",
	gatehouse.EValidation:             "ValidationException",
	gatehouse.EInvalidInput:           "ValidationException",
	gatehouse.EServiceFailure:         "InternalServerException",
	"InvalidClientTokenId":            "UnrecognizedClientException",
	"SignatureDoesNotMatch":           "InvalidSignatureException",
	"IncompleteSignature":             "IncompleteSignatureException",
	"MissingAuthenticationToken":      "MissingAuthenticationTokenException",
	"ExpiredToken":                    "ExpiredTokenException",
	"RequestEntityTooLarge":           "ValidationException",
	gatehouse.EConcurrentModification: "ThrottlingException",
}

// json10Error is the body of a JSON 1.0 error.
type json10Error struct {
	Type      string            `json:"__type"`
	Message   string            `json:"message"`
	Reason    string            `json:"reason,omitempty"`
	FieldList []restJSONFieldIn `json:"fieldList,omitempty"`
}

// writeJSON10Error writes an Invoicing (JSON 1.0) error.
func writeJSON10Error(w http.ResponseWriter, requestID, code, message string, err error) {
	writeJSONError(w, requestID, code, message, err, invoicingErrorNS, "application/x-amz-json-1.0")
}

// writeJSONError writes an error of the AWS JSON protocols (1.0 and
// 1.1): HTTP 500 for InternalServerException, 400 for every other
// (client) error, as the model declares no HTTP status for its errors.
// The __type is the code after the service's namespace ns (""
// for none), or after AWS's front end's (com.amazon.coral.service#)
// for the errors the front end answers: unknown operations and
// authentication failures.
func writeJSONError(w http.ResponseWriter, requestID, code, message string, err error, ns, contentType string) {
	if c, ok := json10Codes[code]; ok {
		code = c
	}
	status := http.StatusBadRequest
	if code == "InternalServerException" {
		status = http.StatusInternalServerError
	}
	if code == "UnknownOperationException" || strings.HasSuffix(code, "SignatureException") ||
		code == "UnrecognizedClientException" || code == "MissingAuthenticationTokenException" || code == "ExpiredTokenException" {
		ns = "com.amazon.coral.service#"
	}
	body := json10Error{Type: ns + code, Message: message}
	var ve *gatehouse.ValidationError
	if code == "ValidationException" && errors.As(err, &ve) {
		body.Reason = ve.Reason
		for _, f := range ve.Fields {
			body.FieldList = append(body.FieldList, restJSONFieldIn(f))
		}
	}
	b, _ := marshalJSON(body)
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.WriteHeader(status)
	w.Write(b)
}

// writeJSON10Result writes a successful JSON 1.0 response; nil is {}.
func writeJSON10Result(w http.ResponseWriter, requestID string, result any) error {
	b := []byte("{}")
	if result != nil {
		var err error
		if b, err = marshalJSON(result); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.Write(b)
	return nil
}
