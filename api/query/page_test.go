package query

import (
	"encoding/base64"
	"errors"
	"reflect"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

func ptr[T any](v T) *T { return &v }

func marker(n string) string { return base64.RawURLEncoding.EncodeToString([]byte(n)) }

func TestPage(t *testing.T) {
	items := []string{"a", "b", "c", "d", "e"}
	many := make([]int, 250)
	for i := range many {
		many[i] = i
	}
	tests := []struct {
		name      string
		items     []string
		in        PageIn
		want      []string
		truncated bool
		next      string
		wantCode  gatehouse.Code
		wantMsg   string
	}{
		{name: "all", items: items, want: items},
		{name: "empty", items: nil, want: nil},
		{name: "empty with MaxItems", items: []string{}, in: PageIn{MaxItems: ptr(1)}, want: []string{}},
		{name: "first page", items: items, in: PageIn{MaxItems: ptr(2)}, want: []string{"a", "b"}, truncated: true, next: marker("2")},
		{name: "middle page", items: items, in: PageIn{MaxItems: ptr(2), Marker: marker("2")}, want: []string{"c", "d"}, truncated: true, next: marker("4")},
		{name: "last page", items: items, in: PageIn{MaxItems: ptr(2), Marker: marker("4")}, want: []string{"e"}},
		{name: "exactly MaxItems", items: items, in: PageIn{MaxItems: ptr(5)}, want: items},
		{name: "MaxItems 1", items: items, in: PageIn{MaxItems: ptr(1)}, want: []string{"a"}, truncated: true, next: marker("1")},
		{name: "MaxItems 1000", items: items, in: PageIn{MaxItems: ptr(1000)}, want: items},
		{name: "marker at the end", items: items, in: PageIn{Marker: marker("5")}, want: []string{}},
		{name: "marker zero", items: items, in: PageIn{Marker: marker("0"), MaxItems: ptr(3)}, want: []string{"a", "b", "c"}, truncated: true, next: marker("3")},
		{name: "MaxItems 0", items: items, in: PageIn{MaxItems: ptr(0)}, wantCode: gatehouse.CodeInvalid,
			wantMsg: "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{name: "MaxItems negative", items: items, in: PageIn{MaxItems: ptr(-5)}, wantCode: gatehouse.CodeInvalid,
			wantMsg: "1 validation error detected: Value '-5' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{name: "MaxItems 1001", items: items, in: PageIn{MaxItems: ptr(1001)}, wantCode: gatehouse.CodeInvalid,
			wantMsg: "1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000"},
		{name: "marker past the end", items: items, in: PageIn{Marker: marker("6")}, wantCode: gatehouse.CodeInvalidInput},
		{name: "negative marker", items: items, in: PageIn{Marker: marker("-1")}, wantCode: gatehouse.CodeInvalidInput},
		{name: "marker not base64", items: items, in: PageIn{Marker: "!!!"}, wantCode: gatehouse.CodeInvalidInput},
		{name: "padded marker", items: items, in: PageIn{Marker: base64.URLEncoding.EncodeToString([]byte("2"))}, wantCode: gatehouse.CodeInvalidInput},
		{name: "marker not a number", items: items, in: PageIn{Marker: marker("two")}, wantCode: gatehouse.CodeInvalidInput},
		{name: "marker of a float", items: items, in: PageIn{Marker: marker("1.5")}, wantCode: gatehouse.CodeInvalidInput},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, truncated, next, err := Page(tc.items, tc.in)
			if tc.wantCode != "" {
				var ge *gatehouse.Error
				if !errors.As(err, &ge) || ge.Code != tc.wantCode || (tc.wantMsg != "" && ge.Message != tc.wantMsg) {
					t.Fatalf("error = %v, want %s: %s", err, tc.wantCode, tc.wantMsg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) || (len(got) > 0 && !reflect.DeepEqual(got, tc.want)) || truncated != tc.truncated || next != tc.next {
				t.Errorf("page = %q, %v, %q; want %q, %v, %q", got, truncated, next, tc.want, tc.truncated, tc.next)
			}
			if !truncated && next != "" {
				t.Errorf("a last page has marker %q", next)
			}
		})
	}

	t.Run("default page size is 100, and markers walk the list", func(t *testing.T) {
		var all []int
		in := PageIn{}
		for pages := 1; ; pages++ {
			got, truncated, next, err := Page(many, in)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) > 100 {
				t.Fatalf("page of %d", len(got))
			}
			all = append(all, got...)
			if !truncated {
				if pages != 3 {
					t.Errorf("%d pages, want 3", pages)
				}
				break
			}
			in.Marker = next
		}
		if !reflect.DeepEqual(all, many) {
			t.Errorf("walked %d items, want %d in order", len(all), len(many))
		}
	})
}
