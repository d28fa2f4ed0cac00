package restjson

import (
	"net/http"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/internal/wire"
	"github.com/gatehouse-dev/gatehouse/api/query"
)

// restJSONCodes turns Gatehouse's (IAM) codes into the REST-JSON
// exception names, and SigV4 failures into the names JSON services use.
var restJSONCodes = map[string]string{
	gatehouse.EAccessDenied:           "AccessDeniedException",
	gatehouse.ENoSuchEntity:           "ResourceNotFoundException",
	gatehouse.EValidation:             "ValidationException",
	gatehouse.EInvalidInput:           "ValidationException",
	gatehouse.EMalformedPolicy:        "ValidationException",
	gatehouse.EEntityAlreadyExists:    "ConflictException",
	gatehouse.EDeleteConflict:         "ConflictException",
	gatehouse.EConcurrentModification: "ConflictException",
	gatehouse.EServiceFailure:         "InternalServerException",
	"InvalidClientTokenId":            "UnrecognizedClientException",
	"SignatureDoesNotMatch":           "InvalidSignatureException",
	"IncompleteSignature":             "IncompleteSignatureException",
	"MissingAuthenticationToken":      "MissingAuthenticationTokenException",
	"ExpiredToken":                    "ExpiredTokenException",
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
// *gatehouse.ValidationError, adds the reason and the fields.
func (c Codec) WriteError(w http.ResponseWriter, requestID, code, message string, err error) {
	if s, ok := restJSONCodes[code]; ok {
		code = s
	}
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
