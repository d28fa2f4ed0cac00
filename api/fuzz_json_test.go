package api_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/api"
	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// jsonServices are the JSON-protocol services and how a request names its
// operation.
var jsonServices = []struct {
	name   string
	target string // X-Amz-Target prefix (JSON 1.0); "" for REST-JSON
	upper  bool   // REST-JSON path /<Operation>, not /<lowerCamelOperation>
}{
	{"account", "", false},
	{"gatehouse", "", false},
	{"tax", "", true},
	{"invoicing", "Invoicing", false},
}

// FuzzJSONServices sends random bodies, signed by root, to every
// operation of the JSON services (but CloseAccount, which would leave the
// rest refused): the answer is never a 5xx, and always JSON.
func FuzzJSONServices(f *testing.F) {
	for _, s := range []struct {
		svc, op uint8
		body    string
	}{
		{0, 0, `{}`}, {0, 3, `{"AlternateContactType":"BILLING"}`}, {1, 2, `{"NewEmail":"x@example.com"}`},
		{2, 1, `{"taxRegistrationEntry":{"registrationId":"DE1","registrationType":"VAT"}}`},
		{3, 1, `{"Selector":{"ResourceType":"ACCOUNT_ID","Value":"123456789012"}}`},
		{0, 9, `{"AccountId":1}`}, {1, 0, `[]`}, {2, 0, `{"maxResults":-1}`}, {3, 0, `{"InvoiceId":"\u0000"}`},
		{1, 5, `{"IamUserAccessToBilling":"MAYBE"}`}, {0, 1, `{"RegionName":"` + strings.Repeat("a", 600) + `"}`},
	} {
		f.Add(s.svc, s.op, s.body)
	}
	h := newHarness(f, nil)
	handler := h.srv.Handler()
	ops := make([][]string, len(jsonServices))
	for i, s := range jsonServices {
		for _, name := range api.OperationNames(s.name) {
			if name != "CloseAccount" {
				ops[i] = append(ops[i], name)
			}
		}
	}
	f.Fuzz(func(t *testing.T, svc, op uint8, body string) {
		s := jsonServices[int(svc)%len(jsonServices)]
		names := ops[int(svc)%len(jsonServices)]
		name := names[int(op)%len(names)]
		path := "/"
		switch {
		case s.target != "":
		case s.upper:
			path += name
		default:
			path += strings.ToLower(name[:1]) + name[1:]
		}
		r := httptest.NewRequest("POST", path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		if s.target != "" {
			r.Header.Set("Content-Type", "application/x-amz-json-1.0")
			r.Header.Set("X-Amz-Target", s.target+"."+name)
		}
		signer := sigv4.Signer{AccessKeyID: rootKey.id, SecretAccessKey: rootKey.secret, Region: "us-east-1", Service: s.name, Now: h.clock}
		if err := signer.Sign(r, []byte(body)); err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s %s %q: HTTP %d %s", s.name, name, body, w.Code, w.Body)
		}
		if !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%s %s %q: HTTP %d, not JSON: %s", s.name, name, body, w.Code, w.Body)
		}
	})
}
