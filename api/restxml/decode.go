package restxml

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// MaxXMLBody bounds the XML and policy documents a request may carry
// (DeleteObjects with 1,000 keys of 1,024 bytes fits).
const MaxXMLBody = 2 << 20

// Request is one REST-XML request as an operation's input decoder sees
// it.
type Request struct {
	HTTP    *http.Request
	Query   url.Values
	Address Address
	// Body is the request body, already verified by the edge as it is
	// read (its payload hash or chunk signatures).
	Body io.Reader
}

// Decode fills v, a pointer to an input struct, from the request. Each
// field's `rest` tag says where its value is:
//
//	rest:"bucket"              the bucket name
//	rest:"key"                 the object key
//	rest:"query,<name>"        a query parameter
//	rest:"header,<Name>"       a header
//	rest:"headers,<prefix>"    the headers with a prefix, a map from the
//	                           lower-case rest of the name to the value
//	rest:"body"                the body: an io.Reader streams it, a
//	                           []byte holds it (at most MaxXMLBody), a
//	                           struct or pointer to one is XML
//
// Scalars are string, *string, int, *int, int64, *int64, bool (a
// header "true", or a query parameter that is present) and *time.Time (an
// HTTP date). A value that does not parse is InvalidArgument; a body
// that is not XML of the field's shape is MalformedXML.
//
// An embedded struct without a rest tag is decoded as if its fields were
// the outer struct's, at any depth, exported or not, so that inputs can
// share groups of fields; rest:"-" leaves it out. An embedded pointer
// to a struct is not supported: Decode returns an error rather than
// leave its fields unset.
func (req *Request) Decode(v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("restxml: decode into %T", v)
	}
	return req.decodeStruct(rv.Elem())
}

func (req *Request) decodeStruct(sv reflect.Value) error {
	st := sv.Type()
	for i := 0; i < st.NumField(); i++ {
		f := st.Field(i)
		tag, ok := f.Tag.Lookup("rest")
		if !ok && f.Anonymous {
			switch {
			case f.Type.Kind() == reflect.Struct:
				if err := req.decodeStruct(sv.Field(i)); err != nil {
					return err
				}
			case f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct:
				return fmt.Errorf("restxml: embedded field %s is a pointer", f.Name)
			}
			continue
		}
		if !ok || tag == "-" {
			continue
		}
		where, name, _ := strings.Cut(tag, ",")
		fv := sv.Field(i)
		var err error
		switch where {
		case "bucket":
			fv.SetString(req.Address.Bucket)
		case "key":
			fv.SetString(req.Address.Key)
		case "query":
			if vs, ok := req.Query[name]; ok {
				val := ""
				if len(vs) > 0 {
					val = vs[0]
				}
				err = setScalar(fv, val, true, name)
			}
		case "header":
			if vs := req.HTTP.Header.Values(name); len(vs) > 0 {
				err = setScalar(fv, strings.Join(vs, ","), false, name)
			}
		case "headers":
			m := map[string]string{}
			prefix := strings.ToLower(name)
			for h, vs := range req.HTTP.Header {
				if rest, ok := strings.CutPrefix(strings.ToLower(h), prefix); ok && rest != "" {
					m[rest] = strings.Join(vs, ",")
				}
			}
			if len(m) > 0 {
				fv.Set(reflect.ValueOf(m))
			}
		case "body":
			err = req.decodeBody(fv)
		default:
			return fmt.Errorf("restxml: field %s has an unknown rest tag %q", f.Name, tag)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

var (
	timeType   = reflect.TypeFor[time.Time]()
	readerType = reflect.TypeFor[io.Reader]()
)

// setScalar sets a scalar field from its wire string. For a query
// parameter a bool is true when the parameter is present.
func setScalar(fv reflect.Value, s string, query bool, name string) error {
	invalid := func() error {
		return gatehouse.Errorf("InvalidArgument", "Invalid Argument").With("ArgumentName", name).With("ArgumentValue", s)
	}
	if fv.Kind() == reflect.Pointer {
		if fv.Type().Elem() == timeType {
			t, err := http.ParseTime(s)
			if err != nil {
				return nil // S3 ignores a conditional date it cannot read
			}
			fv.Set(reflect.ValueOf(&t))
			return nil
		}
		p := reflect.New(fv.Type().Elem())
		if err := setScalar(p.Elem(), s, query, name); err != nil {
			return err
		}
		fv.Set(p)
		return nil
	}
	switch fv.Kind() {
	case reflect.String:
		fv.SetString(s)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return invalid()
		}
		fv.SetInt(n)
	case reflect.Bool:
		fv.SetBool(query || strings.EqualFold(s, "true"))
	default:
		return fmt.Errorf("restxml: cannot decode into %s", fv.Type())
	}
	return nil
}

func malformedXML() error {
	return gatehouse.Errorf("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
}

func (req *Request) decodeBody(fv reflect.Value) error {
	if fv.Type() == readerType {
		fv.Set(reflect.ValueOf(req.Body))
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(req.Body, MaxXMLBody+1))
	if err != nil {
		var ge *gatehouse.Error
		if errors.As(err, &ge) {
			return err
		}
		return gatehouse.Errorf("IncompleteBody", "The request body could not be read in full.")
	}
	if len(b) > MaxXMLBody {
		return gatehouse.Errorf("MaxMessageLengthExceeded", "Your request was too big.")
	}
	switch {
	case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.Uint8:
		fv.SetBytes(b)
		return nil
	case fv.Kind() == reflect.Pointer:
		if len(b) == 0 {
			return nil // an optional payload left out
		}
		p := reflect.New(fv.Type().Elem())
		if err := xml.Unmarshal(b, p.Interface()); err != nil {
			return malformedXML()
		}
		fv.Set(p)
		return nil
	case fv.Kind() == reflect.Struct:
		if len(b) == 0 {
			return malformedXML()
		}
		if err := xml.Unmarshal(b, fv.Addr().Interface()); err != nil {
			return malformedXML()
		}
		return nil
	}
	return fmt.Errorf("restxml: cannot decode a body into %s", fv.Type())
}
