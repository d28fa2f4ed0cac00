package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode"

	"github.com/gatehouse-dev/gatehouse"
)

// The AWS REST-JSON protocol as the Account Management API uses it
// (aws-reference §5.2): every operation is POST /<lowerCamelName> with a
// JSON body ({} or nothing when there is no input); results are JSON
// objects; errors carry their code in the x-amzn-ErrorType header and
// {"message": ...} (plus reason and fieldList for ValidationException) in
// the body.

// restJSONOperation returns the name of the operation a REST-JSON request
// calls: POST /getContactInformation calls GetContactInformation.
func restJSONOperation(svc service, r *http.Request) (string, error) {
	path := strings.TrimPrefix(r.URL.Path, "/")
	name := path
	if name != "" {
		rs := []rune(name)
		rs[0] = unicode.ToUpper(rs[0])
		name = string(rs)
	}
	want := lowerFirst(name)
	if svc.opPaths {
		want = name
	}
	if _, ok := svc.ops[name]; !ok || r.Method != http.MethodPost || want != path {
		return "", gatehouse.Errorf("UnknownOperationException", "The operation %s %s is not supported by this service.", r.Method, r.URL.Path)
	}
	return name, nil
}

// jsonDecoder returns the decoder of a REST-JSON body: an empty body is
// {}; unknown members and values of the wrong type are
// ValidationExceptions.
func jsonDecoder(body []byte) func(v any) error {
	return func(v any) error {
		if len(bytes.TrimSpace(body)) == 0 {
			return nil
		}
		d := json.NewDecoder(bytes.NewReader(body))
		d.DisallowUnknownFields()
		if err := d.Decode(v); err != nil {
			return jsonDecodeError(err)
		}
		if d.More() {
			return jsonDecodeError(errors.New("data after the JSON object"))
		}
		return nil
	}
}

func jsonDecodeError(err error) error {
	msg := "The request body is not valid JSON."
	var fields []gatehouse.FieldError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		name := lowerFirst(te.Field)
		msg = fmt.Sprintf("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must be of type %s", name, jsonKind(te.Type.String()))
		fields = []gatehouse.FieldError{{Name: name, Message: "Member must be of type " + jsonKind(te.Type.String())}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		msg = fmt.Sprintf("The member %s is not known to this operation.", name)
		fields = []gatehouse.FieldError{{Name: name, Message: "Unknown member"}}
	}
	return &gatehouse.ValidationError{
		Err:    gatehouse.Errorf("ValidationException", "%s", msg),
		Reason: "fieldValidationFailed",
		Fields: fields,
	}
}

func jsonKind(goType string) string {
	switch {
	case strings.Contains(goType, "int"):
		return "integer"
	case strings.HasPrefix(goType, "[]"):
		return "list"
	case strings.Contains(goType, "string"):
		return "string"
	}
	return "structure"
}

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

// restJSONStatus is the HTTP status of each REST-JSON error code.
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

// restJSONError is the body of a REST-JSON error.
type restJSONError struct {
	Message   string            `json:"message"`
	Reason    string            `json:"reason,omitempty"`
	FieldList []restJSONFieldIn `json:"fieldList,omitempty"`
}

type restJSONFieldIn struct {
	Name    string `json:"name"`
	Message string `json:"message"`
}

// writeRESTJSONError writes a REST-JSON error. code and message are the
// Gatehouse ones (as for writeQueryError); err, when it is a
// *gatehouse.ValidationError, adds the reason and the fields.
func writeRESTJSONError(w http.ResponseWriter, requestID, code, message string, err error) {
	if c, ok := restJSONCodes[code]; ok {
		code = c
	}
	status, ok := restJSONStatus[code]
	if !ok {
		status = statusOf(code)
	}
	body := restJSONError{Message: message}
	var ve *gatehouse.ValidationError
	if code == "ValidationException" && errors.As(err, &ve) {
		body.Reason = ve.Reason
		for _, f := range ve.Fields {
			body.FieldList = append(body.FieldList, restJSONFieldIn(f))
		}
	}
	b, _ := marshalJSON(body)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.Header().Set("X-Amzn-Errortype", code)
	w.WriteHeader(status)
	w.Write(b)
}

// writeRESTJSONResult writes a successful REST-JSON response; a nil
// result is {}.
func writeRESTJSONResult(w http.ResponseWriter, requestID string, result any) error {
	b := []byte("{}")
	if result != nil {
		var err error
		if b, err = marshalJSON(result); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.Write(b)
	return nil
}

// marshalJSON encodes v as AWS does: '<', '>' and '&' stay as they are.
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// lowerFirst lower-cases the first letter of s.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}
