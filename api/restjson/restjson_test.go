package restjson

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

func TestOperation(t *testing.T) {
	known := func(name string) bool { return name == "GetContactInformation" || name == "ListTaxRegistrations" }
	tests := []struct {
		codec        Codec
		method, path string
		name         string // "" for UnknownOperationException
	}{
		{Codec{}, "POST", "/getContactInformation", "GetContactInformation"},
		{Codec{}, "POST", "/GetContactInformation", ""},
		{Codec{}, "GET", "/getContactInformation", ""},
		{Codec{}, "POST", "/getNothing", ""},
		{Codec{}, "POST", "/", ""},
		{TaxSettings, "POST", "/ListTaxRegistrations", "ListTaxRegistrations"},
		{TaxSettings, "POST", "/listTaxRegistrations", ""},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, tt.path, nil)
		name, _, err := tt.codec.Operation(r, nil, known)
		if tt.name != "" && (name != tt.name || err != nil) {
			t.Errorf("%s %s: %q, %v; want %s", tt.method, tt.path, name, err, tt.name)
		}
		if tt.name == "" && gatehouse.ErrorCode(err) != "UnknownOperationException" {
			t.Errorf("%s %s: %q, %v; want UnknownOperationException", tt.method, tt.path, name, err)
		}
	}
}

func TestWriteError(t *testing.T) {
	invalid := &gatehouse.ValidationError{
		Err:    gatehouse.Errorf(gatehouse.CodeInvalid, "bad"),
		Reason: "fieldValidationFailed",
		Fields: []gatehouse.FieldError{{Name: "a", Message: "b"}},
	}
	tests := []struct {
		codec    Codec
		code     gatehouse.Code
		err      error
		status   int
		wireCode string
		body     string
	}{
		{Codec{}, gatehouse.CodeNotFound, nil, 404, "ResourceNotFoundException", `{"message":"m"}`},
		{Codec{}, gatehouse.CodeDenied, nil, 403, "AccessDeniedException", `{"message":"m"}`},
		{Codec{}, gatehouse.CodeDeleteConflict, nil, 409, "ConflictException", `{"message":"m"}`},
		{Codec{}, "InvalidClientTokenId", nil, 403, "UnrecognizedClientException", `{"message":"m"}`},
		{Codec{}, gatehouse.CodeInternal, nil, 500, "InternalServerException", `{"message":"m"}`},
		{Codec{}, gatehouse.CodeInvalid, invalid, 400, "ValidationException", `{"message":"m","reason":"fieldValidationFailed","fieldList":[{"name":"a","message":"b"}]}`},
		{TaxSettings, gatehouse.CodeDenied, nil, 401, "AccessDeniedException", `{"errorCode":"AccessDenied","message":"m"}`},
		{TaxSettings, gatehouse.CodeInvalid, invalid, 400, "ValidationException", `{"errorCode":"FieldValidationFailed","message":"m","fieldList":[{"name":"a"}]}`},
		{TaxSettings, gatehouse.CodeInvalid, &gatehouse.ValidationError{Err: invalid.Err, Reason: "MissingInput"}, 400, "ValidationException", `{"errorCode":"MissingInput","message":"m"}`},
	}
	for _, tt := range tests {
		w := httptest.NewRecorder()
		wrote := tt.codec.WriteError(w, "r", tt.code, "m", tt.err)
		if wrote != tt.wireCode || w.Code != tt.status || w.Header().Get("X-Amzn-Errortype") != tt.wireCode || w.Body.String() != tt.body {
			t.Errorf("%s: %d %s %s, want %d %s %s", tt.code, w.Code, w.Header().Get("X-Amzn-Errortype"), w.Body, tt.status, tt.wireCode, tt.body)
		}
	}
}

func TestWriteResult(t *testing.T) {
	for result, want := range map[any]string{nil: "{}", struct{ A string }{"<&>"}: `{"A":"<&>"}`} {
		w := httptest.NewRecorder()
		if err := (Codec{}).WriteResult(w, "X", "r", result); err != nil || w.Body.String() != want || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
			t.Errorf("WriteResult(%v) = %s %q, %v; want %s", result, w.Body, w.Header().Get("Content-Type"), err, want)
		}
	}
}
