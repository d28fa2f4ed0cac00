package query

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

func TestCodecOperation(t *testing.T) {
	known := func(name string) bool { return name == "GetUser" }
	tests := []struct {
		method, target, body string
		name                 string
		code                 gatehouse.Code
		message              string
	}{
		{"POST", "/", "Action=GetUser&Version=2010-05-08&UserName=a", "GetUser", "", ""},
		{"GET", "/?Action=GetUser&UserName=a", "", "GetUser", "", ""},
		{"POST", "/", "Version=2010-05-08", "", "MissingAction", "Missing Action"},
		{"POST", "/", "Action=Foo&Version=2010-05-08", "Foo", "InvalidAction", "Could not find operation Foo for version 2010-05-08"},
		{"PUT", "/", "Action=GetUser", "", "MethodNotAllowed", "The specified method is not allowed against this resource. Query API actions are sent with GET or POST."},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
		if tt.body != "" {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		name, decode, err := Codec{}.Operation(r, []byte(tt.body), known)
		if name != tt.name || gatehouse.ErrorCode(err) != tt.code && tt.code != "" || tt.code == "" && err != nil {
			t.Errorf("%s %s %q: %q, %v; want %q, %s", tt.method, tt.target, tt.body, name, err, tt.name, tt.code)
			continue
		}
		if tt.code != "" {
			if got := gatehouse.ErrorMessage(err); got != tt.message {
				t.Errorf("%s %q: message %q, want %q", tt.method, tt.body, got, tt.message)
			}
			continue
		}
		var in struct{ UserName string }
		if err := decode(&in); err != nil || in.UserName != "a" {
			t.Errorf("%s %q: decoded %+v, %v", tt.method, tt.body, in, err)
		}
	}
}

func TestCodecWriteError(t *testing.T) {
	tests := []struct {
		codec  Codec
		code   gatehouse.Code
		status int
		body   string
	}{
		{Codec{Namespace: "https://iam.amazonaws.com/doc/2010-05-08/"}, gatehouse.CodeNotFound, 404,
			`<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>`},
		{Codec{}, gatehouse.CodeInternal, 500,
			`<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceFailure</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>`},
		{Codec{}, "SomethingNew", 400,
			`<ErrorResponse><Error><Type>Sender</Type><Code>SomethingNew</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>`},
		{Codec{EC2: true}, "InvalidAction", 400,
			`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Response><Errors><Error><Code>InvalidAction</Code><Message>m</Message></Error></Errors><RequestID>r</RequestID></Response>`},
	}
	for _, tt := range tests {
		w := httptest.NewRecorder()
		tt.codec.WriteError(w, "r", tt.code, "m", nil)
		if w.Code != tt.status || w.Body.String() != tt.body || w.Header().Get("X-Amzn-Requestid") != "r" {
			t.Errorf("%+v %s: %d %s, want %d %s", tt.codec, tt.code, w.Code, w.Body, tt.status, tt.body)
		}
	}
}

func TestCodecWriteResult(t *testing.T) {
	w := httptest.NewRecorder()
	type out struct {
		Names List[string]
	}
	if err := (Codec{Namespace: "ns"}).WriteResult(w, "ListThings", "r", out{Names: List[string]{"a"}}); err != nil {
		t.Fatal(err)
	}
	want := `<ListThingsResponse xmlns="ns"><ListThingsResult><Names><member>a</member></Names></ListThingsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListThingsResponse>`
	if w.Code != http.StatusOK || w.Body.String() != want || w.Header().Get("Content-Type") != "text/xml" {
		t.Errorf("got %d %s %q\nwant %s", w.Code, w.Body, w.Header().Get("Content-Type"), want)
	}
}
