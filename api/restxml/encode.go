package restxml

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Namespace is S3's XML namespace; result structs name it in their
// XMLName.
const Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

// writeResult writes an operation's result: a struct whose fields' `rest`
// tags say where each goes.
//
//	rest:"status"              the HTTP status (an int; 0 is 200)
//	rest:"header,<Name>"       a header: string, *string, int64, *int64,
//	                           bool (sent when true), time.Time or
//	                           *time.Time (an HTTP date)
//	rest:"headers,<prefix>"    a map[string]string sent as prefix+key
//	rest:"body"                the body: an io.ReadCloser is streamed and
//	                           closed, a []byte or string is sent as it
//	                           is, anything else is XML
//
// A result that is not such a struct is XML as a whole; nil is an empty
// 200.
// copyBufs holds the buffers streamed bodies are copied through, one
// of S3's transfer size: allocating one per response was a tenth of a
// small GetObject's CPU, most of it in the garbage collector.
var copyBufs = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

func writeResult(w http.ResponseWriter, requestID string, result any) error {
	setRequestID(w.Header(), requestID)
	if result == nil {
		w.WriteHeader(http.StatusOK)
		return nil
	}
	rv := reflect.Indirect(reflect.ValueOf(result))
	if rv.Kind() != reflect.Struct || !hasRestTags(rv.Type()) {
		return writeXML(w, http.StatusOK, result)
	}
	status := http.StatusOK
	var body reflect.Value
	st := rv.Type()
	for i := 0; i < st.NumField(); i++ {
		tag, ok := st.Field(i).Tag.Lookup("rest")
		if !ok || tag == "-" {
			continue
		}
		where, name, _ := strings.Cut(tag, ",")
		fv := rv.Field(i)
		switch where {
		case "status":
			if n := int(fv.Int()); n != 0 {
				status = n
			}
		case "header":
			if s, ok := headerValue(fv); ok {
				w.Header().Set(name, s)
			}
		case "headers":
			// Names as given, not canonicalized: S3 sends user metadata
			// as x-amz-meta-<lower-case name>, and clients keep the case
			// they receive.
			for k, v := range fv.Interface().(map[string]string) {
				w.Header()[name+k] = []string{v}
			}
		case "body":
			body = fv
		}
	}
	if !body.IsValid() || body.Kind() == reflect.Pointer && body.IsNil() || body.Kind() == reflect.Interface && body.IsNil() {
		if w.Header().Get("Content-Length") == "" && status != http.StatusNotModified && status != http.StatusNoContent {
			w.Header().Set("Content-Length", "0")
		}
		w.WriteHeader(status)
		return nil
	}
	switch b := body.Interface().(type) {
	case io.ReadCloser:
		defer b.Close()
		w.WriteHeader(status)
		buf := copyBufs.Get().(*[]byte)
		_, err := io.CopyBuffer(w, b, *buf)
		copyBufs.Put(buf)
		if err != nil {
			// The status is sent: all that is left is to cut the
			// response short, which the client sees as a broken body.
			panic(http.ErrAbortHandler)
		}
		return nil
	case []byte:
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.WriteHeader(status)
		w.Write(b)
		return nil
	case string:
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.WriteHeader(status)
		io.WriteString(w, b)
		return nil
	}
	return writeXML(w, status, body.Interface())
}

func hasRestTags(t reflect.Type) bool {
	for i := 0; i < t.NumField(); i++ {
		if _, ok := t.Field(i).Tag.Lookup("rest"); ok {
			return true
		}
	}
	return false
}

func headerValue(fv reflect.Value) (string, bool) {
	if fv.Kind() == reflect.Pointer {
		if fv.IsNil() {
			return "", false
		}
		fv = fv.Elem()
	}
	switch v := fv.Interface().(type) {
	case string:
		return v, v != ""
	case int64:
		return strconv.FormatInt(v, 10), true
	case int:
		return strconv.Itoa(v), true
	case bool:
		return "true", v
	case time.Time:
		return v.UTC().Format(http.TimeFormat), !v.IsZero()
	}
	return fmt.Sprint(fv.Interface()), true
}

func writeXML(w http.ResponseWriter, status int, v any) error {
	b, err := xml.Marshal(v)
	if err != nil {
		return fmt.Errorf("restxml: encode result: %w", err)
	}
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(xml.Header)+len(b)))
	w.WriteHeader(status)
	io.WriteString(w, xml.Header)
	w.Write(b)
	return nil
}

// setRequestID sets S3's request ID headers: x-amz-request-id, and
// x-amz-id-2 (the host ID, which Gatehouse makes the same).
func setRequestID(h http.Header, id string) {
	h.Set("X-Amz-Request-Id", id)
	h.Set("X-Amz-Id-2", id)
}
