// Package restjson is the AWS REST-JSON protocol (Account Management,
// Gatehouse's root tasks, Tax Settings): operations named by their
// path, JSON bodies, and errors with their code in x-amzn-ErrorType.
package restjson

import (
	"net/http"
	"strings"
	"unicode"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/internal/wire"
)

// The AWS REST-JSON protocol as the Account Management API uses it
// (aws-reference §5.2): every operation is POST /<lowerCamelName> with a
// JSON body ({} or nothing when there is no input); results are JSON
// objects; errors carry their code in the x-amzn-ErrorType header and
// {"message": ...} (plus reason and fieldList for ValidationException) in
// the body.

// Codec is the REST-JSON protocol as one service speaks it. The zero
// value is the Account Management API's; TaxSettings is Tax Settings'.
type Codec struct {
	// ExactPaths: operation paths are /<OperationName> (Tax Settings),
	// not /<lowerCamelName>.
	ExactPaths bool
	// ErrorCode: error bodies are {"errorCode", "message"} and, for
	// ValidationException, "fieldList" of names (Tax Settings), not
	// {"message", "reason", "fieldList"}.
	ErrorCode bool
	// Status holds the statuses of the service's model that differ from
	// those of the other REST-JSON services.
	Status map[string]int
}

// TaxSettings is the REST-JSON protocol as the Tax Settings API
// (taxsettings model 2018-05-10) speaks it.
var TaxSettings = Codec{ExactPaths: true, ErrorCode: true, Status: taxStatus}

// taxStatus holds the statuses of the taxsettings model (2018-05-10)
// that differ from those of the other REST-JSON services
// (restJSONStatus): its AccessDeniedException is 401, not 403.
var taxStatus = map[string]int{
	"AccessDeniedException":              http.StatusUnauthorized,
	"CaseCreationLimitExceededException": http.StatusRequestEntityTooLarge,
}

// Operation returns the name of the operation a REST-JSON request calls,
// which known must report as one of the service's: POST
// /getContactInformation calls GetContactInformation. Its input is the
// JSON body.
func (c Codec) Operation(r *http.Request, body []byte, known func(name string) bool) (string, func(any) error, error) {
	path := strings.TrimPrefix(r.URL.Path, "/")
	name := path
	if name != "" {
		rs := []rune(name)
		rs[0] = unicode.ToUpper(rs[0])
		name = string(rs)
	}
	want := wire.LowerFirst(name)
	if c.ExactPaths {
		want = name
	}
	if !known(name) || r.Method != http.MethodPost || want != path {
		return "", nil, gatehouse.Errorf("UnknownOperationException", "The operation %s %s is not supported by this service.", r.Method, r.URL.Path)
	}
	return name, wire.Decoder(body), nil
}

// WriteResult writes a successful REST-JSON response; a nil result is
// {}.
func (c Codec) WriteResult(w http.ResponseWriter, _, requestID string, result any) error {
	b, err := wire.Result(result)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.Write(b)
	return nil
}
