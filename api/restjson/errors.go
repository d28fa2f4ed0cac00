package restjson

import (
	"net/http"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/internal/wire"
	"github.com/gatehouse-dev/gatehouse/api/query"
)

// restJSONCodes spells the domain's error codes as the REST-JSON
// services do, and SigV4 failures with the names JSON services use.
// Codes not listed have their Query spelling (query.Spell).
var restJSONCodes = map[gatehouse.Code]string{
	gatehouse.CodeDenied:                 "AccessDeniedException",
	gatehouse.CodeNotFound:               "ResourceNotFoundException",
	gatehouse.CodeInvalid:                "ValidationException",
	gatehouse.CodeInvalidInput:           "ValidationException",
	gatehouse.CodeInvalidParameter:       "ValidationException",
	gatehouse.CodeMalformedPolicy:        "ValidationException",
	gatehouse.CodeAlreadyExists:          "ConflictException",
	gatehouse.CodeConflict:               "ConflictException",
	gatehouse.CodeDeleteConflict:         "ConflictException",
	gatehouse.CodeConcurrentModification: "ConflictException",
	gatehouse.CodeInternal:               "InternalServerException",
	"InvalidClientTokenId":               "UnrecognizedClientException",
	"SignatureDoesNotMatch":              "InvalidSignatureException",
	"IncompleteSignature":                "IncompleteSignatureException",
	"MissingAuthenticationToken":         "MissingAuthenticationTokenException",
	"ExpiredToken":                       "ExpiredTokenException",
}

// Spell returns the REST-JSON spelling of an error code.
func Spell(code gatehouse.Code) string {
	if s, ok := restJSONCodes[code]; ok {
		return s
	}
	return query.Spell(code)
}

// restJSONStatus is the HTTP status of each REST-JSON error code. Codes
// in neither it nor a service's Status have their Query status
// (query.Status).
var restJSONStatus = map[string]int{
	"AccessDeniedException":               http.StatusForbidden,
	"ValidationException":                 http.StatusBadRequest,
	"ResourceNotFoundException":           http.StatusNotFound,
	"ConflictException":                   http.StatusConflict,
	"TooManyRequestsException":            http.StatusTooManyRequests,
	"InternalServerException":             http.StatusInternalServerError,
	"ResourceUnavailableException":        http.StatusFailedDependency,
	"UnknownOperationException":           http.StatusNotFound,
	"UnrecognizedClientException":         http.StatusForbidden,
	"InvalidSignatureException":           http.StatusForbidden,
	"IncompleteSignatureException":        http.StatusBadRequest,
	"MissingAuthenticationTokenException": http.StatusForbidden,
	"ExpiredTokenException":               http.StatusForbidden,
}

// errorBody is the body of a REST-JSON error.
type errorBody struct {
	Message   string       `json:"message"`
	Reason    string       `json:"reason,omitempty"`
	FieldList []wire.Field `json:"fieldList,omitempty"`
}

// errorCodeBody is the body of a Tax Settings error.
type errorCodeBody struct {
	ErrorCode string      `json:"errorCode"`
	Message   string      `json:"message"`
	FieldList []fieldName `json:"fieldList,omitempty"`
}

type fieldName struct {
	Name string `json:"name"`
}

// WriteError writes a REST-JSON error. code and message are the
// Gatehouse ones (as for the Query protocol); err, when it is a
// *gatehouse.ValidationError, adds the reason and the fields. It
// returns the code it wrote.
func (c Codec) WriteError(w http.ResponseWriter, requestID string, domain gatehouse.Code, message string, err error) string {
	code := Spell(domain)
	status, ok := c.Status[code]
	if !ok {
		status, ok = restJSONStatus[code]
	}
	if !ok {
		status = query.Status(code)
	}
	var b []byte
	if c.ErrorCode {
		b = errorCodeError(code, message, err)
	} else {
		body := errorBody{Message: message}
		if code == "ValidationException" {
			body.Reason, body.FieldList = wire.Validation(err)
		}
		b, _ = wire.Marshal(body)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.Header().Set("X-Amzn-Errortype", code)
	w.WriteHeader(status)
	w.Write(b)
	return code
}

// errorCodeError returns the body of a Tax Settings error:
// {"errorCode", "message"} and, for ValidationException, "fieldList" of
// names.
func errorCodeError(code, message string, err error) []byte {
	body := errorCodeBody{ErrorCode: strings.TrimSuffix(code, "Exception"), Message: message}
	if code == "ValidationException" {
		body.ErrorCode = "FieldValidationFailed"
		reason, fields := wire.Validation(err)
		if reason == "MissingInput" || reason == "InvalidToken" {
			body.ErrorCode = reason
		}
		for _, f := range fields {
			body.FieldList = append(body.FieldList, fieldName{f.Name})
		}
	}
	b, _ := wire.Marshal(body)
	return b
}

// Spell is the package's Spell, as the codec's method.
func (Codec) Spell(code gatehouse.Code) string { return Spell(code) }
