// Package querytest is a test helper for the Query protocol's decoder
// (package query), shared by the tests of the packages that decode with it.
package querytest

import (
	"net/url"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/query"
)

// FuzzDecode fuzzes query.Decode: it adds seeds to f's corpus, then
// decodes every form body f generates into a new value of each of
// targets. Decoding must never panic, and every error must be a
// *gatehouse.Error (which the server answers as a 400, never a 500). A
// body url.ParseQuery refuses is skipped: the server answers it
// MalformedQueryString before any decoding.
func FuzzDecode(f *testing.F, seeds []string, targets []func() any) {
	f.Helper()
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		for _, target := range targets {
			v := target()
			err := query.Decode(form, v)
			if err == nil {
				continue
			}
			if _, ok := err.(*gatehouse.Error); !ok {
				t.Fatalf("decode %T: error %v (%T) is not a *gatehouse.Error", v, err, err)
			}
		}
	})
}
