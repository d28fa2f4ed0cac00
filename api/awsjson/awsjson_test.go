package awsjson

import (
	"net/http/httptest"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

var invoicing = Codec{Target: "Invoicing", Namespace: "com.amazonaws.invoicing#", Version: V10}

func TestOperation(t *testing.T) {
	known := func(name string) bool { return name == "ListInvoiceSummaries" }
	tests := []struct {
		method, target string
		name           string // "" for UnknownOperationException
	}{
		{"POST", "Invoicing.ListInvoiceSummaries", "ListInvoiceSummaries"},
		{"GET", "Invoicing.ListInvoiceSummaries", ""},
		{"POST", "Other.ListInvoiceSummaries", ""},
		{"POST", "Invoicing.Nothing", ""},
		{"POST", "ListInvoiceSummaries", ""},
		{"POST", "", ""},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, "/", nil)
		r.Header.Set("X-Amz-Target", tt.target)
		name, _, err := invoicing.Operation(r, nil, known)
		if tt.name != "" && (name != tt.name || err != nil) {
			t.Errorf("%s %s: %q, %v", tt.method, tt.target, name, err)
		}
		if tt.name == "" && gatehouse.ErrorCode(err) != "UnknownOperationException" {
			t.Errorf("%s %s: %q, %v; want UnknownOperationException", tt.method, tt.target, name, err)
		}
	}
}

func TestWriteError(t *testing.T) {
	tests := []struct {
		codec  Codec
		code   gatehouse.Code
		status int
		body   string
	}{
		{invoicing, gatehouse.CodeDenied, 400, `{"__type":"com.amazonaws.invoicing#AccessDeniedException","message":"m"}`},
		{invoicing, gatehouse.CodeNotFound, 400, `{"__type":"com.amazonaws.invoicing#ResourceNotFoundException","message":"m"}`},
		{invoicing, gatehouse.CodeInternal, 500, `{"__type":"com.amazonaws.invoicing#InternalServerException","message":"m"}`},
		{invoicing, "SignatureDoesNotMatch", 400, `{"__type":"com.amazon.coral.service#InvalidSignatureException","message":"m"}`},
		{invoicing, "UnknownOperationException", 400, `{"__type":"com.amazon.coral.service#UnknownOperationException","message":"m"}`},
		{Codec{Version: V11}, "InvalidClientTokenId", 400, `{"__type":"com.amazon.coral.service#UnrecognizedClientException","message":"m"}`},
	}
	for _, tt := range tests {
		w := httptest.NewRecorder()
		tt.codec.WriteError(w, "r", tt.code, "m", nil)
		if w.Code != tt.status || w.Body.String() != tt.body || w.Header().Get("Content-Type") != "application/x-amz-json-"+tt.codec.Version {
			t.Errorf("%s: %d %s (%s), want %d %s", tt.code, w.Code, w.Body, w.Header().Get("Content-Type"), tt.status, tt.body)
		}
	}
}
