// Package wire holds the JSON body rules the AWS JSON protocols
// (REST-JSON, JSON 1.0 and 1.1) share.
package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/gatehouse-dev/gatehouse"
)

// Decoder returns the decoder of a JSON request body: an empty body is
// {}; unknown members and values of the wrong type are
// ValidationExceptions.
func Decoder(body []byte) func(v any) error {
	return func(v any) error {
		if len(bytes.TrimSpace(body)) == 0 {
			return nil
		}
		d := json.NewDecoder(bytes.NewReader(body))
		d.DisallowUnknownFields()
		if err := d.Decode(v); err != nil {
			return decodeError(err)
		}
		if d.More() {
			return decodeError(errors.New("data after the JSON object"))
		}
		return nil
	}
}

func decodeError(err error) error {
	msg := "The request body is not valid JSON."
	var fields []gatehouse.FieldError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		name := LowerFirst(te.Field)
		msg = fmt.Sprintf("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must be of type %s", name, jsonKind(te.Type.String()))
		fields = []gatehouse.FieldError{{Name: name, Message: "Member must be of type " + jsonKind(te.Type.String())}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		msg = fmt.Sprintf("The member %s is not known to this operation.", name)
		fields = []gatehouse.FieldError{{Name: name, Message: "Unknown member"}}
	}
	return &gatehouse.ValidationError{
		Err:    gatehouse.Errorf(gatehouse.CodeInvalid, "%s", msg),
		Reason: "fieldValidationFailed",
		Fields: fields,
	}
}

func jsonKind(goType string) string {
	switch {
	case strings.Contains(goType, "int"):
		return "integer"
	case strings.HasPrefix(goType, "[]"):
		return "list"
	case strings.Contains(goType, "string"):
		return "string"
	}
	return "structure"
}

// Marshal encodes v as AWS does: '<', '>' and '&' stay as they are.
func Marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// Result returns the body of a successful JSON response: result
// encoded, or {} for a nil result.
func Result(result any) ([]byte, error) {
	if result == nil {
		return []byte("{}"), nil
	}
	return Marshal(result)
}

// Field is one entry of a ValidationException's fieldList.
type Field struct {
	Name    string `json:"name"`
	Message string `json:"message"`
}

// Validation returns the reason and the fields of err when it is a
// *gatehouse.ValidationError, for a ValidationException's body.
func Validation(err error) (reason string, fields []Field) {
	var ve *gatehouse.ValidationError
	if !errors.As(err, &ve) {
		return "", nil
	}
	for _, f := range ve.Fields {
		fields = append(fields, Field(f))
	}
	return ve.Reason, fields
}

// LowerFirst lower-cases the first letter of s.
func LowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}
