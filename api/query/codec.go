package query

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"

	"github.com/gatehouse-dev/gatehouse"
)

// Codec is the Query protocol as one service speaks it. Its methods are
// the operation step and the response envelopes of the server's
// pipeline.
type Codec struct {
	// Namespace is the XML namespace of the service's results and
	// errors ("" for none).
	Namespace string
	// EC2 writes errors in EC2's envelope (<Response><Errors><Error>)
	// instead of ErrorResponse.
	EC2 bool
}

// errMethod refuses a Query request sent with a method other than
// GET or POST. AWS documents no Query error for it; this is S3's
// MethodNotAllowed (405), with the methods named.
var errMethod = gatehouse.Errorf("MethodNotAllowed",
	"The specified method is not allowed against this resource. Query API actions are sent with GET or POST.")

// Operation finds the operation a request asks for (its Action
// parameter), which known must report as one of the service's, and
// returns the decoder of its input from the request's parameters. The
// name is returned with the error of an unknown action.
func (c Codec) Operation(r *http.Request, body []byte, known func(name string) bool) (string, func(any) error, error) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		return "", nil, errMethod
	}
	form, err := Form(r, body)
	if err != nil {
		return "", nil, err
	}
	name := form.Get("Action")
	if name == "" {
		return "", nil, gatehouse.Errorf("MissingAction", "Missing Action")
	}
	if !known(name) {
		return name, nil, gatehouse.Errorf("InvalidAction", "Could not find operation %s for version %s", name, form.Get("Version"))
	}
	return name, func(v any) error { return Decode(form, v) }, nil
}

// WriteResult writes a successful result of operation name:
// <OpResponse><OpResult>...</OpResult>
// <ResponseMetadata><RequestId>...</RequestId></ResponseMetadata></OpResponse>.
func (c Codec) WriteResult(w http.ResponseWriter, name, requestID string, result any) error {
	var b bytes.Buffer
	b.WriteString(`<` + name + `Response xmlns="` + c.Namespace + `">`)
	if result != nil {
		enc := xml.NewEncoder(&b)
		if err := enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: name + "Result"}}); err != nil {
			return fmt.Errorf("encode %s result: %w", name, err)
		}
		if err := enc.Flush(); err != nil {
			return fmt.Errorf("encode %s result: %w", name, err)
		}
	}
	b.WriteString(`<ResponseMetadata><RequestId>` + requestID + `</RequestId></ResponseMetadata></` + name + `Response>`)
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.Write(b.Bytes())
	return nil
}

// errorResponse is the Query protocol's error envelope.
type errorResponse struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Xmlns     string   `xml:"xmlns,attr,omitempty"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
}

// ec2Error is the EC2 protocol's error envelope.
type ec2Error struct {
	XMLName   xml.Name `xml:"Response"`
	Code      string   `xml:"Errors>Error>Code"`
	Message   string   `xml:"Errors>Error>Message"`
	RequestID string   `xml:"RequestID"`
}

// WriteError writes an ErrorResponse (EC2's <Response><Errors><Error>
// when c.EC2) with the code spelled as Query services do (Spell) and its
// status (Status), and returns the code it wrote. Internal errors are
// reported as ServiceFailure with a generic message; their details are
// logged by the caller, never sent.
func (c Codec) WriteError(w http.ResponseWriter, requestID string, domain gatehouse.Code, message string, _ error) string {
	code := Spell(domain)
	status := Status(code)
	if c.EC2 {
		body, _ := xml.Marshal(ec2Error{Code: code, Message: message, RequestID: requestID})
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
		w.Header().Set("X-Amzn-Requestid", requestID)
		w.WriteHeader(status)
		w.Write(append([]byte(xml.Header), body...))
		return code
	}
	typ := "Sender"
	if status >= 500 {
		typ = "Receiver"
	}
	body, _ := xml.Marshal(errorResponse{Xmlns: c.Namespace, Type: typ, Code: code, Message: message, RequestID: requestID})
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.WriteHeader(status)
	w.Write(body)
	return code
}
