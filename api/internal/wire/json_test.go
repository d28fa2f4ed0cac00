package wire

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

func TestDecoder(t *testing.T) {
	type in struct {
		Name  string
		Count int
		Tags  []string
	}
	tests := []struct {
		body    string
		want    in
		code    gatehouse.Code // "" for success
		message string
		fields  []Field
	}{
		{body: "", want: in{}},
		{body: "  \n", want: in{}},
		{body: `{"Name":"a","Count":2,"Tags":["x"]}`, want: in{Name: "a", Count: 2, Tags: []string{"x"}}},
		{body: `{"Count":"two"}`, code: gatehouse.CodeInvalid,
			message: "1 validation error detected: Value at 'count' failed to satisfy constraint: Member must be of type integer",
			fields:  []Field{{Name: "count", Message: "Member must be of type integer"}}},
		{body: `{"Tags":"x"}`, code: gatehouse.CodeInvalid,
			message: "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must be of type list",
			fields:  []Field{{Name: "tags", Message: "Member must be of type list"}}},
		{body: `{"Other":1}`, code: gatehouse.CodeInvalid, message: "The member Other is not known to this operation.",
			fields: []Field{{Name: "Other", Message: "Unknown member"}}},
		{body: `{"Name":"a"} {}`, code: gatehouse.CodeInvalid, message: "The request body is not valid JSON."},
		{body: `{`, code: gatehouse.CodeInvalid, message: "The request body is not valid JSON."},
	}
	for _, tt := range tests {
		var got in
		err := Decoder([]byte(tt.body))(&got)
		if tt.code == "" {
			if err != nil {
				t.Errorf("%q: %v", tt.body, err)
			} else if got.Name != tt.want.Name || got.Count != tt.want.Count || strings.Join(got.Tags, ",") != strings.Join(tt.want.Tags, ",") {
				t.Errorf("%q: decoded %+v, want %+v", tt.body, got, tt.want)
			}
			continue
		}
		if gatehouse.ErrorCode(err) != tt.code || gatehouse.ErrorMessage(err) != tt.message {
			t.Errorf("%q: error %s %q, want %s %q", tt.body, gatehouse.ErrorCode(err), gatehouse.ErrorMessage(err), tt.code, tt.message)
		}
		reason, fields := Validation(err)
		if reason != "fieldValidationFailed" || len(fields) != len(tt.fields) || len(fields) > 0 && fields[0] != tt.fields[0] {
			t.Errorf("%q: validation %q %v, want fieldValidationFailed %v", tt.body, reason, fields, tt.fields)
		}
	}
}

func TestValidationOfOtherErrors(t *testing.T) {
	if reason, fields := Validation(errors.New("x")); reason != "" || fields != nil {
		t.Errorf("Validation(plain error) = %q, %v", reason, fields)
	}
}

func TestMarshalKeepsMarkup(t *testing.T) {
	b, err := Marshal(map[string]string{"m": "<a & b>"})
	if err != nil || string(b) != `{"m":"<a & b>"}` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
	if b, _ := Result(nil); string(b) != "{}" {
		t.Errorf("Result(nil) = %s, want {}", b)
	}
}

// FuzzDecoder: any body decodes or fails with a ValidationException;
// never a panic or another error.
func FuzzDecoder(f *testing.F) {
	for _, s := range []string{``, `{}`, `{"Name":"a","Count":1}`, `{"Count":1e400}`, `[]`, `{"Tags":[1]}`, "{\"Name\":\"\\ud800\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var v struct {
			Name  string
			Count int
			Tags  []string
			Inner *struct{ On bool }
		}
		if err := Decoder(body)(&v); err != nil && gatehouse.ErrorCode(err) != gatehouse.CodeInvalid {
			t.Fatalf("error code %s (%v)", gatehouse.ErrorCode(err), err)
		}
	})
}
