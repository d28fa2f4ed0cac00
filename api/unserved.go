package api

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/awsjson"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/api/restjson"
	"github.com/gatehouse-dev/gatehouse/api/restxml"
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
	u := unservedCodec{service: name}
	switch {
	case r.Header.Get("X-Amz-Target") != "" || strings.HasPrefix(ct, "application/x-amz-json-"):
		version := awsjson.V10
		if strings.HasPrefix(ct, "application/x-amz-json-1.1") {
			version = awsjson.V11
		}
		u.errorWriter, u.kind = awsjson.Codec{Version: version}, unservedJSON
	case queryAction(r, body) != "":
		u.errorWriter, u.kind = query.Codec{EC2: name == "ec2"}, unservedQuery
	case restXMLServices[name] || strings.Contains(ct, "xml"):
		u.errorWriter, u.kind = restxml.Codec{}, unservedRESTXML
	default:
		u.errorWriter, u.kind = restjson.Codec{}, unservedRESTJSON
	}
	return service{codec: u, unserved: true, unservedName: name}
}

// unservedKind is the protocol family of a request for a service
// Gatehouse does not serve.
type unservedKind int

const (
	unservedQuery unservedKind = iota
	unservedJSON
	unservedRESTJSON
	unservedRESTXML
)

// unservedCodec answers a request for a service Gatehouse does not
// serve: its errors are those of the codec of the request's protocol,
// and its operation step always fails.
type unservedCodec struct {
	errorWriter
	service string
	kind    unservedKind
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

// errorWriter is the part of a codec that writes errors.
type errorWriter interface {
	WriteError(w http.ResponseWriter, requestID string, code gatehouse.Code, message string, err error) string
	Spell(code gatehouse.Code) string
}

// WriteResult is never called: no operation of an unserved service
// runs.
func (unservedCodec) WriteResult(http.ResponseWriter, string, string, any) error {
	return errors.New("api: no result for a service Gatehouse does not serve")
}

// Operation is the operation step of a request for a service
// Gatehouse does not serve: it names the operation the request asks for
// (for the log and the audit record) and fails with the protocol's
// unknown-operation error.
func (u unservedCodec) Operation(r *http.Request, body []byte, _ func(string) bool) (string, func(any) error, error) {
	what := "The service " + u.service + " is not served by this endpoint"
	if u.service == "" {
		what = "The service this request names is not served by this endpoint"
	}
	switch u.kind {
	case unservedJSON:
		target := r.Header.Get("X-Amz-Target")
		_, name, _ := strings.Cut(target, ".")
		return name, nil, gatehouse.Errorf("UnknownOperationException", "%s (operation %q).", what, target)
	case unservedQuery:
		action := queryAction(r, body)
		return action, nil, gatehouse.Errorf("InvalidAction", "%s (action %s).", what, action)
	case unservedRESTXML:
		return "", nil, gatehouse.Errorf("NotImplemented", "%s (%s %s).", what, r.Method, r.URL.Path)
	}
	return "", nil, gatehouse.Errorf("UnknownOperationException", "%s (%s %s).", what, r.Method, r.URL.Path)
}
