package api

import (
	"encoding/json"
	"encoding/xml"
	"net/http/httptest"
	"sort"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
)

// Test hooks for the package api_test tests.

// OperationNames returns the sorted operation names of a service's table
// ("iam", "sts", "account", "gatehouse", "tax" or "invoicing").
func OperationNames(service string) []string {
	return operationNames(service, func(op.Row) bool { return true })
}

// RootOnlyOperationNames returns the sorted names of a service's
// operations reserved for the root user.
func RootOnlyOperationNames(service string) []string {
	return operationNames(service, func(r op.Row) bool { return r.RootOnly })
}

// ConsoleOnlyOperationNames returns the sorted names of a service's
// operations reserved for the root user's console sign-in.
func ConsoleOnlyOperationNames(service string) []string {
	return operationNames(service, func(r op.Row) bool { return r.ConsoleOnly })
}

func operationNames(service string, keep func(op.Row) bool) []string {
	s := &Server{}
	s.init()
	svc, ok := s.services[service]
	if !ok {
		panic("api: no service " + service)
	}
	var names []string
	for name, r := range svc.ops {
		if keep(r) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// AddTestOperation adds an operation that needs no permission to a
// service of s, for tests that need behaviour no real operation has (a
// handler that panics). Call it before s serves its first request.
func AddTestOperation(s *Server, service, name string, handle func() (any, error)) {
	s.init()
	s.services[service].ops[name] = op.New(name, op.Spec[op.Empty]{
		Handle: func(*op.Call, *op.Empty) (any, error) { return handle() },
	})
}

// ErrorStatus writes an error with code (as the service's wire spells
// it, or as Gatehouse's handlers raise it) the way service answers it,
// and returns the HTTP status and the code a client reads from the
// response (Query: Error/Code; REST-JSON: x-amzn-ErrorType; JSON:
// __type after its namespace).
func ErrorStatus(service, code string) (status int, wireCode string) {
	s := &Server{}
	s.init()
	svc, ok := s.services[service]
	if !ok {
		panic("api: no service " + service)
	}
	w := httptest.NewRecorder()
	svc.writeError(w, "00000000-0000-4000-8000-000000000000", gatehouse.Code(code), "message", nil)
	switch {
	case w.Header().Get("X-Amzn-Errortype") != "":
		wireCode = w.Header().Get("X-Amzn-Errortype")
	case strings.HasPrefix(w.Header().Get("Content-Type"), "application/x-amz-json-"):
		var e struct {
			Type string `json:"__type"`
		}
		json.Unmarshal(w.Body.Bytes(), &e)
		wireCode = e.Type[strings.LastIndexByte(e.Type, '#')+1:]
	default:
		var e struct {
			Code string `xml:"Error>Code"`
		}
		xml.Unmarshal(w.Body.Bytes(), &e)
		wireCode = e.Code
	}
	return w.Code, wireCode
}
