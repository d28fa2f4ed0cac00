package restxml_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/restxml"
)

// The input shapes FuzzDecode decodes every routed request into: the
// kinds of fields the S3 inputs have (api/s3ops).
type (
	fuzzList struct {
		named
		Prefix       string  `rest:"query,prefix"`
		Delimiter    string  `rest:"query,delimiter"`
		MaxKeys      *int    `rest:"query,max-keys"`
		Token        *string `rest:"query,continuation-token"`
		FetchOwner   string  `rest:"query,fetch-owner"`
		Versions     bool    `rest:"query,versions"`
		EncodingType string  `rest:"query,encoding-type"`
	}
	fuzzPut struct {
		named
		Key         string            `rest:"key"`
		Body        io.Reader         `rest:"body"`
		ContentMD5  string            `rest:"header,Content-MD5"`
		Length      int64             `rest:"header,X-Amz-Decoded-Content-Length"`
		Size        *int64            `rest:"header,X-Amz-Object-Size"`
		Meta        map[string]string `rest:"headers,x-amz-meta-"`
		Since       *time.Time        `rest:"header,If-Modified-Since"`
		Bypass      bool              `rest:"header,x-amz-bypass-governance-retention"`
		PartNumber  int               `rest:"query,partNumber"`
		UploadID    string            `rest:"query,uploadId"`
		IfNoneMatch string            `rest:"header,If-None-Match"`
	}
	fuzzComplete struct {
		named
		Key     string `rest:"key"`
		Request struct {
			Parts []struct {
				PartNumber int
				ETag       string
			} `xml:"Part"`
		} `rest:"body"`
	}
	fuzzOptional struct {
		named
		Config *struct {
			XMLName            xml.Name `xml:"CreateBucketConfiguration"`
			LocationConstraint string
		} `rest:"body"`
	}
	fuzzBytes struct {
		named
		Policy []byte `rest:"body"`
	}
)

var fuzzShapes = []func() any{
	func() any { return &fuzzList{} },
	func() any { return &fuzzPut{} },
	func() any { return &fuzzComplete{} },
	func() any { return &fuzzOptional{} },
	func() any { return &fuzzBytes{} },
}

// checkClientError fails unless err is a client's error (a
// gatehouse.Error that is not internal) that S3's error document can
// carry as well-formed XML.
func checkClientError(t *testing.T, what string, err error) {
	t.Helper()
	var ge *gatehouse.Error
	if !errors.As(err, &ge) || ge.Code == gatehouse.CodeInternal {
		t.Fatalf("%s: %v (%T), want a client error", what, err, err)
	}
	w := httptest.NewRecorder()
	code := restxml.Codec{}.WriteError(w, "request-id", ge.Code, gatehouse.ErrorMessage(err), err)
	if w.Code < 300 || code == "" {
		t.Fatalf("%s: WriteError wrote HTTP %d %q", what, w.Code, code)
	}
	if w.Code == http.StatusNotModified {
		return
	}
	var doc struct {
		XMLName xml.Name `xml:"Error"`
		Code    string
	}
	if err := xml.Unmarshal(w.Body.Bytes(), &doc); err != nil || doc.Code != code {
		t.Fatalf("%s: the error document does not parse (%v):\n%s", what, err, w.Body)
	}
}

// FuzzDecode feeds arbitrary requests (method, Host, target, header
// lines, body) through Codec.Operation and decodes each routed one into
// the input shapes: nothing panics, and every error is a client's.
func FuzzDecode(f *testing.F) {
	f.Add("GET", "localhost:4590", "/", "", []byte(nil), uint8(0))
	f.Add("GET", "b.localhost:4590", "/?list-type=2&prefix=a%2F&max-keys=10&continuation-token=", "", []byte(nil), uint8(0))
	f.Add("PUT", "localhost", "/b/k?partNumber=1&uploadId=u&x-id=UploadPart", "Content-MD5: x\nX-Amz-Meta-A: 1\nIf-Modified-Since: Fri, 14 Mar 2025 15:09:26 GMT",
		[]byte("part"), uint8(1))
	f.Add("POST", "localhost", "/b/k?uploadId=u", "",
		[]byte(`<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"e"</ETag></Part></CompleteMultipartUpload>`), uint8(2))
	f.Add("PUT", "localhost", "/b", "", []byte(`<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>`), uint8(3))
	f.Add("PUT", "localhost", "/b?policy", "", []byte(`{"Version":"2012-10-17"}`), uint8(4))
	f.Add("DELETE", "B.LOCALHOST", "/k?versionId=null", "X-Amz-Object-Size: 12", []byte(nil), uint8(1))
	f.Add("GET", "localhost", "/b?max-keys=1e3&versions", "X-Amz-Decoded-Content-Length: -", []byte("<"), uint8(0))
	f.Add("PATCH", ".localhost", "/%zz?%", "", []byte(nil), uint8(0))
	codec := restxml.Codec{Routes: s3Codec.Routes, Addressing: restxml.Addressing{Hosts: []string{"localhost"}}}
	f.Fuzz(func(t *testing.T, method, host, target, headerLines string, body []byte, served uint8) {
		u, err := url.ParseRequestURI(target)
		if err != nil {
			return // net/http answers 400 before any handler
		}
		header := http.Header{}
		for _, line := range strings.Split(headerLines, "\n") {
			if name, value, ok := strings.Cut(line, ":"); ok && name != "" {
				header.Add(textproto.CanonicalMIMEHeaderKey(name), strings.TrimSpace(value))
			}
		}
		// served picks the operations the server serves: all of them,
		// or all but a few.
		known := func(op string) bool { return served%2 == 0 || !strings.HasPrefix(op, "Get") }
		for i, shape := range fuzzShapes {
			r := &http.Request{Method: method, Host: host, URL: u, RequestURI: target, Header: header.Clone(),
				Body: io.NopCloser(bytes.NewReader(body))}
			op, decode, err := codec.Operation(r, nil, known)
			if err != nil {
				checkClientError(t, "Operation", err)
				return
			}
			if op == "" || decode == nil || !known(op) {
				t.Fatalf("Operation = %q, %v: no operation or decoder", op, decode != nil)
			}
			v := shape()
			if err := decode(v); err != nil {
				checkClientError(t, "decode", err)
				continue
			}
			if p, ok := v.(*fuzzPut); ok && p.Body != nil {
				if b, err := io.ReadAll(p.Body); err != nil || !bytes.Equal(b, body) {
					t.Fatalf("shape %d: the streamed body reads %q, %v; want the request's", i, b, err)
				}
			}
		}
	})
}
