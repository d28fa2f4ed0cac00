package restxml_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/restxml"
)

type named struct {
	Bucket string `rest:"bucket"`
}

// scalars has a field of every scalar kind Decode fills.
type scalars struct {
	named
	Key       string            `rest:"key"`
	Prefix    string            `rest:"query,prefix"`
	Token     *string           `rest:"query,continuation-token"`
	MaxKeys   int               `rest:"query,max-keys"`
	MaxParts  *int              `rest:"query,max-parts"`
	Versions  bool              `rest:"query,versions"`
	Length    int64             `rest:"header,X-Amz-Decoded-Content-Length"`
	Size      *int64            `rest:"header,X-Amz-Object-Size"`
	Bypass    bool              `rest:"header,x-amz-bypass-governance-retention"`
	IfMatch   string            `rest:"header,If-Match"`
	Since     *time.Time        `rest:"header,If-Modified-Since"`
	Meta      map[string]string `rest:"headers,x-amz-meta-"`
	Skipped   string            `rest:"-"`
	untouched string
}

// newRequest is a Request for GET target with headers (name, value, ...)
// and body.
func newRequest(t testing.TB, host, target string, body io.Reader, headers ...string) *restxml.Request {
	t.Helper()
	r := request(t, "GET", host, target)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Add(headers[i], headers[i+1])
	}
	addr, err := restxml.Addressing{Hosts: []string{"localhost"}}.Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	if body == nil {
		body = strings.NewReader("")
	}
	return &restxml.Request{HTTP: r, Query: q, Address: addr, Body: body}
}

func TestDecodeScalars(t *testing.T) {
	since := time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)
	req := newRequest(t, "localhost", "/my-bucket/a/b%20c?prefix=p%2F&continuation-token=&max-keys=7&max-parts=0&versions",
		nil,
		"X-Amz-Decoded-Content-Length", "1048576",
		"X-Amz-Object-Size", "-1",
		"X-Amz-Bypass-Governance-Retention", "TRUE",
		"If-Match", `"a"`, "If-Match", `"b"`,
		"If-Modified-Since", since.Format("Mon, 02 Jan 2006 15:04:05 GMT"),
		"X-Amz-Meta-Color", "orange", "x-amz-meta-Two-Words", "x", "X-Amz-Meta-", "ignored", "X-Amz-Metadata", "not meta")
	var got scalars
	got.Skipped, got.untouched = "kept", "kept"
	if err := req.Decode(&got); err != nil {
		t.Fatal(err)
	}
	empty, zero, size := "", 0, int64(-1)
	want := scalars{named: named{Bucket: "my-bucket"}, Key: "a/b c", Prefix: "p/", Token: &empty, MaxKeys: 7, MaxParts: &zero,
		Versions: true, Length: 1 << 20, Size: &size, Bypass: true, IfMatch: `"a","b"`, Since: &since,
		// Metadata names are lower-cased; "x-amz-meta-" alone and
		// "X-Amz-Metadata" are not metadata.
		Meta: map[string]string{"color": "orange", "two-words": "x"}, Skipped: "kept", untouched: "kept"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Decode =\n%+v\nwant\n%+v", got, want)
	}
}

func TestDecodeAbsent(t *testing.T) {
	var got scalars
	if err := newRequest(t, "my-bucket.localhost", "/", nil).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if want := (scalars{named: named{Bucket: "my-bucket"}}); !reflect.DeepEqual(got, want) {
		t.Errorf("Decode = %+v, want only the bucket", got)
	}
}

// TestDecodeBools: a query parameter bool is true when present, whatever
// its value; a header bool when it says true, in any case.
func TestDecodeBools(t *testing.T) {
	for _, tt := range []struct {
		target, header string
		query, hdr     bool
	}{
		{"/b?versions", "true", true, true},
		{"/b?versions=", "True", true, true},
		{"/b?versions=false", "false", true, false},
		{"/b", "yes", false, false},
		{"/b", "1", false, false},
		{"/b", "", false, false},
	} {
		var got scalars
		if err := newRequest(t, "localhost", tt.target, nil, "X-Amz-Bypass-Governance-Retention", tt.header).Decode(&got); err != nil {
			t.Fatal(err)
		}
		if got.Versions != tt.query || got.Bypass != tt.hdr {
			t.Errorf("%s, header %q: query %v header %v, want %v %v", tt.target, tt.header, got.Versions, got.Bypass, tt.query, tt.hdr)
		}
	}
}

// TestDecodeInvalidNumbers: a number that does not parse is
// InvalidArgument naming the parameter and the value.
func TestDecodeInvalidNumbers(t *testing.T) {
	for _, tt := range []struct {
		target  string
		headers []string
		name    string
		value   string
	}{
		{"/b?max-keys=ten", nil, "max-keys", "ten"},
		{"/b?max-keys=1.5", nil, "max-keys", "1.5"},
		{"/b?max-keys=", nil, "max-keys", ""},
		{"/b?max-keys=99999999999999999999", nil, "max-keys", "99999999999999999999"},
		{"/b?max-parts=0x10", nil, "max-parts", "0x10"},
		{"/b", []string{"X-Amz-Decoded-Content-Length", "12 "}, "X-Amz-Decoded-Content-Length", "12 "},
		{"/b", []string{"X-Amz-Object-Size", "1", "X-Amz-Object-Size", "2"}, "X-Amz-Object-Size", "1,2"},
	} {
		var got scalars
		err := newRequest(t, "localhost", tt.target, nil, tt.headers...).Decode(&got)
		if gatehouse.ErrorCode(err) != "InvalidArgument" {
			t.Errorf("%s %v: %v, want InvalidArgument", tt.target, tt.headers, err)
			continue
		}
		details := map[string]string{}
		for _, d := range gatehouse.ErrorDetails(err) {
			details[d.Name] = d.Value
		}
		if details["ArgumentName"] != tt.name || details["ArgumentValue"] != tt.value {
			t.Errorf("%s %v: details %v, want ArgumentName %q ArgumentValue %q", tt.target, tt.headers, details, tt.name, tt.value)
		}
	}
}

// TestDecodeUnreadableDate: S3 ignores a conditional date it cannot
// read.
func TestDecodeUnreadableDate(t *testing.T) {
	for _, v := range []string{"yesterday", "2025-03-14T15:09:26Z", ""} {
		var got scalars
		if err := newRequest(t, "localhost", "/b/k", nil, "If-Modified-Since", v).Decode(&got); err != nil || got.Since != nil {
			t.Errorf("If-Modified-Since %q: %v, %v; want ignored", v, got.Since, err)
		}
	}
	// The three formats of RFC 9110 are read.
	for _, v := range []string{"Fri, 14 Mar 2025 15:09:26 GMT", "Friday, 14-Mar-25 15:09:26 GMT", "Fri Mar 14 15:09:26 2025"} {
		var got scalars
		if err := newRequest(t, "localhost", "/b/k", nil, "If-Modified-Since", v).Decode(&got); err != nil || got.Since == nil ||
			!got.Since.Equal(time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)) {
			t.Errorf("If-Modified-Since %q: %v, %v", v, got.Since, err)
		}
	}
}

type part struct {
	PartNumber int
	ETag       string
}

type complete struct {
	XMLName xml.Name `xml:"CompleteMultipartUpload"`
	Parts   []part   `xml:"Part"`
}

type structBody struct {
	named
	Complete complete `rest:"body"`
}

type pointerBody struct {
	Config *struct{ LocationConstraint string } `rest:"body"`
}

type bytesBody struct {
	Policy []byte `rest:"body"`
}

type streamBody struct {
	Body io.Reader `rest:"body"`
}

func TestDecodeBody(t *testing.T) {
	const doc = `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
		`<Part><ETag>"e1"</ETag><PartNumber>1</PartNumber></Part><Part><PartNumber>2</PartNumber><ETag>e2</ETag></Part></CompleteMultipartUpload>`
	var s structBody
	if err := newRequest(t, "localhost", "/b/k?uploadId=u", strings.NewReader(doc)).Decode(&s); err != nil {
		t.Fatal(err)
	}
	if want := []part{{1, `"e1"`}, {2, "e2"}}; s.Bucket != "b" || !reflect.DeepEqual(s.Complete.Parts, want) {
		t.Errorf("struct body: %+v", s)
	}

	var p pointerBody
	if err := newRequest(t, "localhost", "/b", strings.NewReader(`<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>`)).Decode(&p); err != nil || p.Config == nil || p.Config.LocationConstraint != "eu-west-1" {
		t.Errorf("pointer body: %+v, %v", p.Config, err)
	}
	p = pointerBody{}
	if err := newRequest(t, "localhost", "/b", nil).Decode(&p); err != nil || p.Config != nil {
		t.Errorf("empty pointer body: %+v, %v; want nil (an optional payload left out)", p.Config, err)
	}

	policy := `{"Version":"2012-10-17"}` + "\n\x00\xff"
	var b bytesBody
	if err := newRequest(t, "localhost", "/b?policy", strings.NewReader(policy)).Decode(&b); err != nil || string(b.Policy) != policy {
		t.Errorf("[]byte body: %q, %v", b.Policy, err)
	}

	src := strings.NewReader("object bytes")
	var st streamBody
	if err := newRequest(t, "localhost", "/b/k", src).Decode(&st); err != nil || st.Body != io.Reader(src) {
		t.Errorf("io.Reader body: %v, %v; want the request's own reader, unread", st.Body, err)
	}
	if src.Len() != len("object bytes") {
		t.Errorf("Decode read %d bytes of a streamed body", len("object bytes")-src.Len())
	}
}

// TestDecodeMalformedBody: a body that is not XML of the field's shape is
// MalformedXML; a required (non-pointer) payload may not be empty.
func TestDecodeMalformedBody(t *testing.T) {
	for _, body := range []string{"", "   ", "not xml", "<CompleteMultipartUpload>", `<CompleteMultipartUpload><Part><PartNumber>one</PartNumber></Part></CompleteMultipartUpload>`,
		"<Other/>", "\xff\xfe<"} {
		var s structBody
		err := newRequest(t, "localhost", "/b/k?uploadId=u", strings.NewReader(body)).Decode(&s)
		if gatehouse.ErrorCode(err) != "MalformedXML" {
			t.Errorf("body %q: %v, want MalformedXML", body, err)
		}
	}
	var p pointerBody
	if err := newRequest(t, "localhost", "/b", strings.NewReader("<CreateBucketConfiguration>")).Decode(&p); gatehouse.ErrorCode(err) != "MalformedXML" {
		t.Errorf("pointer body: %v, want MalformedXML", err)
	}
}

func TestDecodeBodyTooLarge(t *testing.T) {
	for _, v := range []any{&bytesBody{}, &structBody{}, &pointerBody{}} {
		body := io.MultiReader(strings.NewReader("<CompleteMultipartUpload>"), bytes.NewReader(make([]byte, restxml.MaxXMLBody)))
		err := newRequest(t, "localhost", "/b", body).Decode(v)
		if gatehouse.ErrorCode(err) != "MaxMessageLengthExceeded" {
			t.Errorf("%T: %v, want MaxMessageLengthExceeded", v, err)
		}
	}
	// MaxXMLBody bytes is not too many.
	var b bytesBody
	if err := newRequest(t, "localhost", "/b", bytes.NewReader(make([]byte, restxml.MaxXMLBody))).Decode(&b); err != nil || len(b.Policy) != restxml.MaxXMLBody {
		t.Errorf("a body of MaxXMLBody bytes: %d, %v", len(b.Policy), err)
	}
}

// failingReader returns its bytes, then err.
type failingReader struct {
	data string
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.data == "" {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// TestDecodeBodyReadError: a body that breaks off is IncompleteBody; the
// edge's own verdict on it (a payload hash that does not match) is
// passed on as it is.
func TestDecodeBodyReadError(t *testing.T) {
	mismatch := gatehouse.Errorf("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.")
	for _, tt := range []struct {
		err  error
		want gatehouse.Code
	}{
		{io.ErrUnexpectedEOF, "IncompleteBody"},
		{errors.New("connection reset"), "IncompleteBody"},
		{mismatch, "XAmzContentSHA256Mismatch"},
		{wrapped{mismatch}, "XAmzContentSHA256Mismatch"},
	} {
		for _, v := range []any{&bytesBody{}, &structBody{}} {
			err := newRequest(t, "localhost", "/b", &failingReader{data: "<Comp", err: tt.err}).Decode(v)
			if gatehouse.ErrorCode(err) != tt.want {
				t.Errorf("%T, read error %v: %v, want %s", v, tt.err, err, tt.want)
			}
		}
	}
}

type wrapped struct{ err error }

func (w wrapped) Error() string { return "read: " + w.err.Error() }
func (w wrapped) Unwrap() error { return w.err }

// TestDecodeProgrammingErrors: inputs Decode cannot fill are the
// programmer's errors (internal), never a client's.
func TestDecodeProgrammingErrors(t *testing.T) {
	type unknownTag struct {
		X string `rest:"cookie,session"`
	}
	type floatQuery struct {
		F float64 `rest:"query,f"`
	}
	type intBody struct {
		N int `rest:"body"`
	}
	req := func() *restxml.Request { return newRequest(t, "localhost", "/b?f=1.5", strings.NewReader("1")) }
	for _, v := range []any{scalars{}, &[]string{}, &unknownTag{}, &floatQuery{}, &intBody{}} {
		err := req().Decode(v)
		var ge *gatehouse.Error
		if err == nil || errors.As(err, &ge) {
			t.Errorf("Decode(%T) = %v, want a non-client error", v, err)
		}
	}
	// A field whose parameter is absent is never looked at.
	var f floatQuery
	if err := newRequest(t, "localhost", "/b", nil).Decode(&f); err != nil {
		t.Errorf("absent float: %v", err)
	}
}

// TestDecodeThroughCodec: the decoder Codec.Operation returns decodes
// the request it routed.
func TestDecodeThroughCodec(t *testing.T) {
	r := request(t, "GET", "photos.localhost:4590", "/2025/cat.jpg?versionId=v1&x-id=GetObject")
	r.Header.Set("Range", "bytes=0-9")
	op, decode, err := s3Codec.Operation(r, nil, allKnown)
	if err != nil || op != "GetObject" {
		t.Fatalf("Operation = %q, %v", op, err)
	}
	var in struct {
		named
		Key     string `rest:"key"`
		Version string `rest:"query,versionId"`
		XID     string `rest:"query,x-id"`
		Range   string `rest:"header,Range"`
	}
	if err := decode(&in); err != nil {
		t.Fatal(err)
	}
	if in.Bucket != "photos" || in.Key != "2025/cat.jpg" || in.Version != "v1" || in.XID != "GetObject" || in.Range != "bytes=0-9" {
		t.Errorf("decoded %+v", in)
	}
}

// Groups of fields shared by embedding, as the S3 inputs share them.
type (
	objectNamed struct {
		named
		Key string `rest:"key"`
	}
	SystemHeaders struct {
		ContentType string            `rest:"header,Content-Type"`
		Meta        map[string]string `rest:"headers,x-amz-meta-"`
	}
	conditions struct {
		IfMatch string     `rest:"header,x-amz-copy-source-if-match"`
		Since   *time.Time `rest:"header,x-amz-copy-source-if-modified-since"`
	}
	// embedded has a struct embedded two levels deep, an exported and an
	// unexported embedded struct side by side, and a struct left out.
	embedded struct {
		objectNamed
		SystemHeaders
		conditions
		Ignored conditions `rest:"-"`
		Version string     `rest:"query,versionId"`
	}
	embeddedPointer struct {
		*SystemHeaders
	}
)

// TestDecodeEmbedded: the fields of embedded structs are decoded as the
// outer struct's, at any depth; rest:"-" leaves an embedded struct out.
func TestDecodeEmbedded(t *testing.T) {
	since := time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)
	req := newRequest(t, "localhost", "/my-bucket/a/b?versionId=v1", nil,
		"Content-Type", "text/plain", "X-Amz-Meta-Color", "orange",
		"X-Amz-Copy-Source-If-Match", `"abc"`, "X-Amz-Copy-Source-If-Modified-Since", since.Format(http.TimeFormat))
	var got embedded
	if err := req.Decode(&got); err != nil {
		t.Fatal(err)
	}
	want := embedded{
		objectNamed:   objectNamed{named: named{Bucket: "my-bucket"}, Key: "a/b"},
		SystemHeaders: SystemHeaders{ContentType: "text/plain", Meta: map[string]string{"color": "orange"}},
		conditions:    conditions{IfMatch: `"abc"`, Since: &since},
		Version:       "v1",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Decode =\n%+v\nwant\n%+v", got, want)
	}

	var p embeddedPointer
	if err := req.Decode(&p); err == nil || p.SystemHeaders != nil {
		t.Errorf("Decode into an embedded pointer: %v, %+v; want an error", err, p.SystemHeaders)
	}
}
