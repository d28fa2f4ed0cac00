package api

import (
	"net/http"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
)

// codec is one AWS wire protocol as one service speaks it: the codecs
// are in api/query (Query), api/restjson (REST-JSON), api/awsjson (JSON
// 1.0 and 1.1) and api/restxml (REST-XML, for errors only so far). The
// pipeline (serveAWS) never looks at the protocol: it asks the service's
// codec for the operation and its decoder, and has it write the result
// or the error.
type codec interface {
	// Operation names the operation a request asks for and returns the
	// decoder of its input. known reports whether a name is one of the
	// service's operations; an unknown one is the protocol's error,
	// returned with the name the request gave, if any (for the log).
	Operation(r *http.Request, body []byte, known func(name string) bool) (name string, decode func(any) error, err error)
	// WriteResult writes the successful result of operation name.
	WriteResult(w http.ResponseWriter, name, requestID string, result any) error
	// WriteError writes an error: code and message as Gatehouse raises
	// them, spelled and given a status by the codec; err adds details
	// some protocols send (a ValidationException's fields). It returns
	// the code as written, for the log, the metrics and the audit.
	WriteError(w http.ResponseWriter, requestID string, code gatehouse.Code, message string, err error) string
	// Spell returns the code WriteError would write for code.
	Spell(code gatehouse.Code) string
}

// service is one AWS service on the shared port: its operation table and
// the codec of its protocol.
type service struct {
	ops   map[string]op.Row
	codec codec
	// unserved marks the service that answers requests for a service
	// Gatehouse does not serve (unservedName, "" when the request names
	// none), in the protocol the request uses (api/unserved.go).
	unserved     bool
	unservedName string
	// streaming marks a service whose request bodies the edge does not
	// read before authentication (S3): the signature is verified over
	// the declared payload hash and the operation streams the body.
	streaming bool
}

// operation finds the operation a request asks for, and the decoder of
// its input.
func (svc service) operation(r *http.Request, body []byte) (string, func(any) error, error) {
	return svc.codec.Operation(r, body, func(name string) bool {
		_, ok := svc.ops[name]
		return ok
	})
}

// writeError writes an error in the service's envelope and returns the
// code as written.
func (svc service) writeError(w http.ResponseWriter, requestID string, code gatehouse.Code, message string, err error) string {
	return svc.codec.WriteError(w, requestID, code, message, err)
}

// writeResult writes a successful result of operation name.
func (svc service) writeResult(w http.ResponseWriter, name, requestID string, result any) error {
	return svc.codec.WriteResult(w, name, requestID, result)
}
