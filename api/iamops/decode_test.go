package iamops

import (
	"errors"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/api/query/querytest"
)

func ptr[T any](v T) *T { return &v }

// decodeTarget has every kind of field decodeQuery supports.
type decodeTarget struct {
	UserName     string `query:",required"`
	Path         string
	NewPath      *string
	MaxItems     *int
	SetAsDefault *bool
	TagKeys      []string
	Tags         []op.Tag
	Entries      []entryIn
	Renamed      string `query:"Other"`
	Ignored      string `query:"-"`
	//lint:ignore U1000 the decoder must skip an unexported field
	unexported string
}

// entryIn is a list element with a list in it, like SimulateCustomPolicy's
// ContextEntries.
type entryIn struct {
	Name   string
	Values []string
	Type   *string
}

const nullUserName = "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null"

func TestDecodeQuery(t *testing.T) {
	tests := []struct {
		name    string
		form    string
		target  func() any
		want    any
		wantErr string // the message of the ValidationError
	}{
		{name: "strings", form: "UserName=bob&Path=%2Fdivision%2Fa+b%2F",
			want: &decodeTarget{UserName: "bob", Path: "/division/a b/"}},
		{name: "unicode and escapes", form: "UserName=%C3%A9l%C3%A8ve%26co",
			want: &decodeTarget{UserName: "élève&co"}},
		{name: "first of repeated values", form: "UserName=a&UserName=b",
			want: &decodeTarget{UserName: "a"}},
		{name: "empty required string is present", form: "UserName=",
			want: &decodeTarget{}},
		{name: "renamed and ignored fields", form: "UserName=a&Other=o&Renamed=r&Ignored=i&-=x&unexported=u",
			want: &decodeTarget{UserName: "a", Renamed: "o"}},
		{name: "field names are case sensitive", form: "username=a", wantErr: nullUserName},
		{name: "missing required", form: "Path=%2F", wantErr: nullUserName},
		{name: "empty form", form: "", wantErr: nullUserName},
		{name: "optional pointer absent", form: "UserName=a",
			want: &decodeTarget{UserName: "a"}},
		{name: "optional pointer empty", form: "UserName=a&NewPath=",
			want: &decodeTarget{UserName: "a", NewPath: ptr("")}},
		{name: "optional pointer set", form: "UserName=a&NewPath=%2Fx%2F",
			want: &decodeTarget{UserName: "a", NewPath: ptr("/x/")}},
		{name: "int", form: "UserName=a&MaxItems=25",
			want: &decodeTarget{UserName: "a", MaxItems: ptr(25)}},
		{name: "negative int", form: "UserName=a&MaxItems=-1",
			want: &decodeTarget{UserName: "a", MaxItems: ptr(-1)}},
		{name: "non-numeric int", form: "UserName=a&MaxItems=ten",
			wantErr: "1 validation error detected: Value 'ten' at 'maxItems' failed to satisfy constraint: Member must be a number"},
		{name: "empty int", form: "UserName=a&MaxItems=",
			wantErr: "1 validation error detected: Value '' at 'maxItems' failed to satisfy constraint: Member must be a number"},
		{name: "int overflow", form: "UserName=a&MaxItems=99999999999999999999",
			wantErr: "1 validation error detected: Value '99999999999999999999' at 'maxItems' failed to satisfy constraint: Member must be a number"},
		{name: "bool true", form: "UserName=a&SetAsDefault=true",
			want: &decodeTarget{UserName: "a", SetAsDefault: ptr(true)}},
		{name: "bool false", form: "UserName=a&SetAsDefault=false",
			want: &decodeTarget{UserName: "a", SetAsDefault: ptr(false)}},
		{name: "bad bool", form: "UserName=a&SetAsDefault=yes",
			wantErr: "1 validation error detected: Value 'yes' at 'setAsDefault' failed to satisfy constraint: Member must be a boolean"},
		{name: "string list", form: "UserName=a&TagKeys.member.1=x&TagKeys.member.2=y+z&TagKeys.member.3=",
			want: &decodeTarget{UserName: "a", TagKeys: []string{"x", "y z", ""}}},
		{name: "string list in any order", form: "TagKeys.member.2=y&UserName=a&TagKeys.member.1=x",
			want: &decodeTarget{UserName: "a", TagKeys: []string{"x", "y"}}},
		{name: "string list stops at a gap", form: "UserName=a&TagKeys.member.1=x&TagKeys.member.3=z",
			want: &decodeTarget{UserName: "a", TagKeys: []string{"x"}}},
		{name: "string list starts at 1", form: "UserName=a&TagKeys.member.0=x&TagKeys.member.2=z",
			want: &decodeTarget{UserName: "a"}},
		{name: "string list without member", form: "UserName=a&TagKeys.1=x",
			want: &decodeTarget{UserName: "a"}},
		{name: "struct list", form: "UserName=a&Tags.member.1.Key=team&Tags.member.1.Value=blue&Tags.member.2.Key=env&Tags.member.2.Value=",
			want: &decodeTarget{UserName: "a", Tags: []op.Tag{{Key: "team", Value: "blue"}, {Key: "env", Value: ""}}}},
		{name: "struct list with a member missing", form: "UserName=a&Tags.member.1.Value=v",
			want: &decodeTarget{UserName: "a", Tags: []op.Tag{{Value: "v"}}}},
		{name: "struct list stops at a gap", form: "UserName=a&Tags.member.1.Key=k&Tags.member.3.Key=z",
			want: &decodeTarget{UserName: "a", Tags: []op.Tag{{Key: "k"}}}},
		{name: "struct list index must be canonical", form: "UserName=a&Tags.member.01.Key=k&Tags.member.+1.Key=k",
			want: &decodeTarget{UserName: "a"}},
		{name: "struct list ignores unknown members", form: "UserName=a&Tags.member.1.Colour=red&Tags.member.1.Key=k",
			want: &decodeTarget{UserName: "a", Tags: []op.Tag{{Key: "k"}}}},
		{name: "struct list with a bad element", form: "UserName=a&Tags.member.1.Key=k&Tags.member.1.Key=l",
			want: &decodeTarget{UserName: "a", Tags: []op.Tag{{Key: "k"}}}},
		{name: "nested lists", form: "UserName=a&Entries.member.1.Name=k&Entries.member.1.Values.member.1=x&Entries.member.1.Values.member.2=y" +
			"&Entries.member.2.Name=j&Entries.member.2.Type=string",
			want: &decodeTarget{UserName: "a", Entries: []entryIn{{Name: "k", Values: []string{"x", "y"}}, {Name: "j", Type: ptr("string")}}}},
		{name: "nested empty list", form: "UserName=a&Entries.member.1.Values=",
			want: &decodeTarget{UserName: "a", Entries: []entryIn{{}}}},
		{name: "empty list sent as Tags=", form: "UserName=a&Tags=",
			want: &decodeTarget{UserName: "a"}},

		// Required lists: "Name=" counts as present (the empty list).
		{name: "required list missing", form: "UserName=a", target: func() any { return new(untagUserIn) },
			wantErr: "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null"},
		{name: "required list empty", form: "UserName=a&TagKeys=", target: func() any { return new(untagUserIn) },
			want: &untagUserIn{userNamed: userNamed{"a"}}},
		{name: "required struct list empty", form: "UserName=a&Tags=", target: func() any { return new(tagUserIn) },
			want: &tagUserIn{userNamed: userNamed{"a"}}},
		{name: "required struct list", form: "UserName=a&Tags.member.1.Key=k&Tags.member.1.Value=v", target: func() any { return new(tagUserIn) },
			want: &tagUserIn{userNamed{"a"}, tagsIn{[]op.Tag{{Key: "k", Value: "v"}}}}},
		{name: "first missing required field is reported", form: "", target: func() any { return new(attachGroupIn) },
			wantErr: "1 validation error detected: Value null at 'groupName' failed to satisfy constraint: Member must not be null"},
		{name: "second required field", form: "GroupName=g", target: func() any { return new(attachGroupIn) },
			wantErr: "1 validation error detected: Value null at 'policyArn' failed to satisfy constraint: Member must not be null"},

		// The embedded query.PageIn of list inputs.
		{name: "embedded paging", form: "PathPrefix=%2Fa%2F&Marker=MQ&MaxItems=2", target: func() any { return new(listUsersIn) },
			want: &listUsersIn{PathPrefix: "/a/", PageIn: query.PageIn{Marker: "MQ", MaxItems: ptr(2)}}},
		{name: "embedded paging bad MaxItems", form: "MaxItems=x", target: func() any { return new(listUsersIn) },
			wantErr: "1 validation error detected: Value 'x' at 'maxItems' failed to satisfy constraint: Member must be a number"},
		{name: "paging alone", form: "Marker=m", target: func() any { return new(query.PageIn) },
			want: &query.PageIn{Marker: "m"}},
		{name: "no fields", form: "Anything=1", target: func() any { return new(op.Empty) },
			want: &op.Empty{}},
		{name: "Action and Version are not fields", form: "Action=CreateUser&Version=2010-05-08&UserName=a&Path=%2F",
			target: func() any { return new(createUserIn) }, want: &createUserIn{UserName: "a", Path: "/"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			form, err := url.ParseQuery(tc.form)
			if err != nil {
				t.Fatal(err)
			}
			target := any(new(decodeTarget))
			if tc.target != nil {
				target = tc.target()
			}
			err = query.Decode(form, target)
			if tc.wantErr != "" {
				var ge *gatehouse.Error
				if !errors.As(err, &ge) || ge.Code != gatehouse.CodeInvalid || ge.Message != tc.wantErr {
					t.Fatalf("error = %v\nwant ValidationError: %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("error = %v", err)
			}
			if !reflect.DeepEqual(target, tc.want) {
				t.Errorf("decoded %+v\nwant    %+v", target, tc.want)
			}
		})
	}
}

// TestDecodeQueryLongList decodes the longest list url.ParseQuery lets
// through in linear time (finding each member by a scan of the form was
// quadratic: half a second of CPU per request).
func TestDecodeQueryLongList(t *testing.T) {
	var b strings.Builder
	b.WriteString("UserName=a")
	const n = 9000
	for i := 1; i <= n; i++ {
		b.WriteString("&Tags.member.")
		b.WriteString(strconv.Itoa(i))
		b.WriteString(".Key=k")
	}
	form, err := url.ParseQuery(b.String())
	if err != nil {
		t.Fatal(err)
	}
	var in createUserIn
	start := time.Now()
	if err := query.Decode(form, &in); err != nil {
		t.Fatal(err)
	}
	// Linear takes milliseconds (a hundred under -race); quadratic took
	// half a second, and seconds under -race.
	if d := time.Since(start); d > time.Second {
		t.Errorf("decoding %d tags took %v", n, d)
	}
	if len(in.Tags) != n {
		t.Fatalf("%d tags, want %d", len(in.Tags), n)
	}
}

// decodeTargets are the input types of real operations, for the fuzzer.
var decodeTargets = []func() any{
	func() any { return new(decodeTarget) },
	func() any { return new(createUserIn) },
	func() any { return new(updateUserIn) },
	func() any { return new(tagUserIn) },
	func() any { return new(untagUserIn) },
	func() any { return new(listUsersIn) },
	func() any { return new(updateAccessKeyIn) },
	func() any { return new(userPageIn) },
	func() any { return new(query.PageIn) },
	func() any { return new(op.Empty) },
}

// FuzzQueryDecode decodes random form bodies into every kind of input:
// decoding never panics, and every error is a *gatehouse.Error (which the
// server answers as a 400, never a 500).
func FuzzQueryDecode(f *testing.F) {
	seeds := []string{
		"",
		"Action=CreateUser&Version=2010-05-08&UserName=bob&Path=%2Fdev%2F&Tags.member.1.Key=team&Tags.member.1.Value=a+b",
		"UserName=a&TagKeys.member.1=x&TagKeys.member.2=y",
		"Tags=&TagKeys=&UserName=",
		"MaxItems=abc&Marker=%FF",
		"MaxItems=-0&SetAsDefault=1&OnlyAttached=T",
		"Tags.member.1.Key=k&Tags.member.1.Key=l&Tags.member.2.Value=v&Tags.member.01.Key=z",
		"Tags.member..Key=&Tags.member.1=&Tags.member.1.=&.member.1=x",
		"Entries.member.1.Name=k&Entries.member.1.Values.member.1=x&Entries.member.2.Type=&Entries.member.1.Values.member.2=",
		"PolicyDocument=%7B%22Version%22%3A%222012-10-17%22%7D&PolicyArn=arn:aws:iam::aws:policy/X&SetAsDefault=true",
	}
	querytest.FuzzDecode(f, seeds, decodeTargets)
}
