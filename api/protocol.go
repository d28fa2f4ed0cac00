package api

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/query"
)

// The wire protocol of a service is chosen by its fields: unserved (a
// service Gatehouse does not serve, answered in the request's protocol:
// api/unserved.go), jsonTarget (AWS JSON 1.0, X-Amz-Target), restJSON
// (REST-JSON, with errorCode for Tax Settings' error shape), else the
// Query protocol. These three
// methods are the only places that look at them, so the request path
// stays the same for every protocol.

// errQueryMethod refuses a Query request sent with a method other than
// GET or POST. AWS documents no Query error for it; this is S3's
// MethodNotAllowed (405), with the methods named.
var errQueryMethod = gatehouse.Errorf("MethodNotAllowed",
	"The specified method is not allowed against this resource. Query API actions are sent with GET or POST.")

// operation finds the operation a request asks for, and how to decode its
// input: form holds the Query parameters, decode reads a JSON body.
func (svc service) operation(r *http.Request, body []byte) (name string, form url.Values, decode func(any) error, err error) {
	switch {
	case svc.unserved:
		name, err = svc.unservedOperation(r, body)
		return name, nil, nil, err
	case svc.jsonTarget != "":
		name, err = json10Operation(svc, r)
		return name, nil, jsonDecoder(body), err
	case svc.restJSON:
		name, err = restJSONOperation(svc, r)
		return name, nil, jsonDecoder(body), err
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		return "", nil, nil, errQueryMethod
	}
	if form, err = query.Form(r, body); err != nil {
		return "", nil, nil, err
	}
	if name = form.Get("Action"); name == "" {
		return "", nil, nil, gatehouse.Errorf("MissingAction", "Missing Action")
	}
	return name, form, nil, nil
}

// writeError writes an error in the service's envelope.
func (svc service) writeError(w http.ResponseWriter, requestID, code, message string, err error) {
	switch {
	case svc.unserved:
		svc.writeUnservedError(w, requestID, code, message, err)
	case svc.jsonTarget != "":
		writeJSON10Error(w, requestID, code, message, err)
	case svc.restJSON && svc.errorCode:
		writeTaxError(w, requestID, code, message, err)
	case svc.restJSON:
		writeRESTJSONError(w, requestID, code, message, err)
	default:
		writeQueryError(w, svc.namespace, requestID, code, message)
	}
}

// writeResult writes a successful result of operation name.
func (svc service) writeResult(w http.ResponseWriter, name, requestID string, result any) error {
	switch {
	case svc.jsonTarget != "":
		return writeJSON10Result(w, requestID, result)
	case svc.restJSON:
		return writeRESTJSONResult(w, requestID, result)
	}
	out, err := writeResult(svc.namespace, name, requestID, result)
	if err != nil {
		return fmt.Errorf("encode %s result: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.Write(out)
	return nil
}
