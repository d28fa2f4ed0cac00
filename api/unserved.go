package api

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// Requests for services Gatehouse does not serve (sso-admin,
// organizations, s3, ...) are answered in the wire protocol of the
// service the request names, so that the client parses the error and
// prints its code: an IAM Query XML body means nothing to a JSON client
// ("An error occurred (400)"). The protocol is read from the request,
// as AWS's own front ends tell it:
//
//   - X-Amz-Target, or Content-Type application/x-amz-json-1.x: the AWS
//     JSON protocols; UnknownOperationException, as AWS's front end
//     answers an unknown target ({"__type":
//     "com.amazon.coral.service#UnknownOperationException"}), HTTP 400;
//   - a Query request (an Action parameter in the URL or a form body):
//     InvalidAction in the Query protocol's ErrorResponse (EC2's
//     Response/Errors envelope for ec2), HTTP 400;
//   - otherwise REST: REST-XML for the services that use it (s3, ...)
//     or an XML body: S3's <Error> document with NotImplemented, S3's
//     code for functionality it does not implement (HTTP 501, which no
//     SDK retries); else REST-JSON: UnknownOperationException in
//     x-amzn-ErrorType, as Gatehouse's REST-JSON services answer an
//     unknown path (HTTP 404).
//
// Errors found before the operation (an unknown key, a bad signature)
// use the same protocol, spelled as that protocol spells them.

// wireProtocol is the protocol of a request for a service Gatehouse does
// not serve.
type wireProtocol int

const (
	protoQuery wireProtocol = iota
	protoEC2
	protoJSON
	protoRESTJSON
	protoRESTXML
)

// restXMLServices are the signing names of the REST-XML services.
var restXMLServices = map[string]bool{
	"s3": true, "s3-outposts": true, "s3-object-lambda": true, "s3express": true,
	"cloudfront": true, "route53": true,
}

// unservedService returns the service that answers a request for
// service name (the credential scope's; "" when the request names none),
// which Gatehouse does not serve, in the protocol the request uses.
func unservedService(name string, r *http.Request, body []byte) service {
	ct := strings.ToLower(r.Header.Get("Content-Type"))
	svc := service{unserved: true, unservedName: name}
	switch {
	case r.Header.Get("X-Amz-Target") != "" || strings.HasPrefix(ct, "application/x-amz-json-"):
		svc.proto = protoJSON
		svc.jsonContentType = "application/x-amz-json-1.0"
		if strings.HasPrefix(ct, "application/x-amz-json-1.1") {
			svc.jsonContentType = "application/x-amz-json-1.1"
		}
	case queryAction(r, body) != "":
		svc.proto = protoQuery
		if name == "ec2" {
			svc.proto = protoEC2
		}
	case restXMLServices[name] || strings.Contains(ct, "xml"):
		svc.proto = protoRESTXML
	default:
		svc.proto = protoRESTJSON
	}
	return svc
}

// queryAction returns the Action parameter of a Query request (in the
// URL, or in a form body), or "".
func queryAction(r *http.Request, body []byte) string {
	if a := r.URL.Query().Get("Action"); a != "" {
		return a
	}
	ct := r.Header.Get("Content-Type")
	if len(body) == 0 || !(ct == "" || strings.HasPrefix(ct, "application/x-www-form-urlencoded")) {
		return ""
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return ""
	}
	return form.Get("Action")
}

// unservedOperation is the operation step of a request for a service
// Gatehouse does not serve: it names the operation the request asks for
// (for the log and the audit record) and fails with the protocol's
// unknown-operation error.
func (svc service) unservedOperation(r *http.Request, body []byte) (string, error) {
	what := "The service " + svc.unservedName + " is not served by this endpoint"
	if svc.unservedName == "" {
		what = "The service this request names is not served by this endpoint"
	}
	switch svc.proto {
	case protoJSON:
		target := r.Header.Get("X-Amz-Target")
		_, name, _ := strings.Cut(target, ".")
		return name, gatehouse.Errorf("UnknownOperationException", "%s (operation %q).", what, target)
	case protoQuery, protoEC2:
		action := queryAction(r, body)
		return action, gatehouse.Errorf("InvalidAction", "%s (action %s).", what, action)
	case protoRESTXML:
		return "", gatehouse.Errorf("NotImplemented", "%s (%s %s).", what, r.Method, r.URL.Path)
	}
	return "", gatehouse.Errorf("UnknownOperationException", "%s (%s %s).", what, r.Method, r.URL.Path)
}

// writeUnservedError writes an error in the protocol of a service
// Gatehouse does not serve.
func (svc service) writeUnservedError(w http.ResponseWriter, requestID, code, message string, err error) {
	switch svc.proto {
	case protoJSON:
		writeJSONError(w, requestID, code, message, err, "", svc.jsonContentType)
	case protoQuery:
		writeQueryError(w, "", requestID, code, message)
	case protoEC2:
		writeEC2Error(w, requestID, code, message)
	case protoRESTXML:
		writeS3Error(w, requestID, code, message)
	default:
		writeRESTJSONError(w, requestID, code, message, err)
	}
}

// ec2Error is the EC2 protocol's error envelope.
type ec2Error struct {
	XMLName   xml.Name `xml:"Response"`
	Code      string   `xml:"Errors>Error>Code"`
	Message   string   `xml:"Errors>Error>Message"`
	RequestID string   `xml:"RequestID"`
}

// writeEC2Error writes an EC2 error: <Response><Errors><Error>.
func writeEC2Error(w http.ResponseWriter, requestID, code, message string) {
	body, _ := xml.Marshal(ec2Error{Code: code, Message: message, RequestID: requestID})
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.WriteHeader(statusOf(code))
	w.Write(append([]byte(xml.Header), body...))
}

// s3Codes spells Gatehouse's (IAM's) codes as S3 does
// (docs/reference/aws-s3.md §3.2), with S3's status.
var s3Codes = map[string]struct {
	code   string
	status int
}{
	"InvalidClientTokenId":       {"InvalidAccessKeyId", http.StatusForbidden},
	"MissingAuthenticationToken": {"AccessDenied", http.StatusForbidden},
	"IncompleteSignature":        {"AuthorizationHeaderMalformed", http.StatusBadRequest},
	"ExpiredToken":               {"ExpiredToken", http.StatusBadRequest},
	"RequestEntityTooLarge":      {"EntityTooLarge", http.StatusBadRequest},
	gatehouse.EServiceFailure:    {"InternalError", http.StatusInternalServerError},
	"NotImplemented":             {"NotImplemented", http.StatusNotImplemented},
}

// s3Error is S3's error document: <Error> with no namespace.
type s3Error struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	RequestID string   `xml:"RequestId"`
}

// writeS3Error writes an S3-style error: application/xml, <Error>, and
// the request ID in x-amz-request-id as well as in the body.
func writeS3Error(w http.ResponseWriter, requestID, code, message string) {
	status := statusOf(code)
	if c, ok := s3Codes[code]; ok {
		code, status = c.code, c.status
	}
	body, _ := xml.Marshal(s3Error{Code: code, Message: message, RequestID: requestID})
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("X-Amz-Request-Id", requestID)
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.WriteHeader(status)
	fmt.Fprint(w, xml.Header)
	w.Write(body)
}
