// Package query is the AWS Query protocol (IAM, STS): request
// parameters from the URL and a form body, their decoding into typed
// inputs, the XML shapes of its results, and its result and error
// envelopes with their one table of HTTP statuses.
package query

import (
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/internal/wire"
)

// Decode fills the struct pointed to by v from AWS Query parameters.
// Field names are the AWS member names; supported kinds are string,
// *string, *int, *bool, []string ("Name.member.N") and slices of structs
// ("Name.member.N.Field"). A field tagged `query:",required"` must be
// present. Errors are ValidationErrors worded as AWS words them.
func Decode(form url.Values, v any) error {
	return decodeStruct(form, "", reflect.ValueOf(v).Elem())
}

func decodeStruct(form url.Values, prefix string, rv reflect.Value) error {
	rt := rv.Type()
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			// An embedded struct (pageIn) adds its members to the
			// outer one's, as in encoding/json.
			if err := decodeStruct(form, prefix, rv.Field(i)); err != nil {
				return err
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("query"), ",")
		if name == "" {
			name = f.Name
		}
		if name == "-" {
			continue
		}
		key := prefix + name
		fv := rv.Field(i)
		present, err := decodeField(form, key, fv)
		if err != nil {
			return err
		}
		if !present && opts == "required" {
			return gatehouse.Errorf(gatehouse.CodeInvalid,
				"1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", wire.LowerFirst(name))
		}
	}
	return nil
}

func decodeField(form url.Values, key string, fv reflect.Value) (bool, error) {
	switch fv.Kind() {
	case reflect.String:
		s, ok := lookup(form, key)
		fv.SetString(s)
		return ok, nil
	case reflect.Pointer:
		s, ok := lookup(form, key)
		if !ok {
			return false, nil
		}
		elem := reflect.New(fv.Type().Elem())
		switch elem.Elem().Kind() {
		case reflect.String:
			elem.Elem().SetString(s)
		case reflect.Int:
			n, err := strconv.Atoi(s)
			if err != nil {
				return true, gatehouse.Errorf(gatehouse.CodeInvalid, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must be a number", s, wire.LowerFirst(lastPart(key)))
			}
			elem.Elem().SetInt(int64(n))
		case reflect.Bool:
			b, err := strconv.ParseBool(s)
			if err != nil {
				return true, gatehouse.Errorf(gatehouse.CodeInvalid, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must be a boolean", s, wire.LowerFirst(lastPart(key)))
			}
			elem.Elem().SetBool(b)
		default:
			return false, fmt.Errorf("query: unsupported pointer field %s", fv.Type())
		}
		fv.Set(elem)
		return true, nil
	case reflect.Slice:
		present := false
		if _, ok := lookup(form, key); ok {
			present = true // "Name=" is how an empty list is sent
		}
		var structs map[int]bool // the N of the "key.member.N." keys
		if fv.Type().Elem().Kind() == reflect.Struct {
			structs = memberIndices(form, key+".member.")
		}
		for n := 1; ; n++ {
			item := fmt.Sprintf("%s.member.%d", key, n)
			elem := reflect.New(fv.Type().Elem()).Elem()
			switch elem.Kind() {
			case reflect.String:
				s, ok := lookup(form, item)
				if !ok {
					return present, nil
				}
				elem.SetString(s)
			case reflect.Struct:
				if !structs[n] {
					return present, nil
				}
				if err := decodeStruct(form, item+".", elem); err != nil {
					return true, err
				}
			default:
				return false, fmt.Errorf("query: unsupported slice field %s", fv.Type())
			}
			present = true
			fv.Set(reflect.Append(fv, elem))
		}
	}
	return false, fmt.Errorf("query: unsupported field kind %s", fv.Kind())
}

func lookup(form url.Values, key string) (string, bool) {
	v, ok := form[key]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// memberIndices returns the N of every "<prefix>N.<field>" key, N in
// canonical decimal, in one pass over the form (looking for each N in
// turn would be quadratic in the number of parameters).
func memberIndices(form url.Values, prefix string) map[int]bool {
	m := map[int]bool{}
	for k := range form {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok {
			continue
		}
		num, _, ok := strings.Cut(rest, ".")
		if n, err := strconv.Atoi(num); ok && err == nil && n > 0 && strconv.Itoa(n) == num {
			m[n] = true
		}
	}
	return m
}

func lastPart(key string) string {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		return key[i+1:]
	}
	return key
}
