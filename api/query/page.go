package query

import (
	"encoding/base64"
	"encoding/xml"
	"strconv"

	"github.com/gatehouse-dev/gatehouse"
)

// PageIn is the common Marker/MaxItems input of list operations; input
// structs embed it.
type PageIn struct {
	Marker   string
	MaxItems *int
}

// Page sizes: IAM's default and its maxItemsType maximum.
const (
	// DefaultPageItems is the page size when MaxItems is not given.
	DefaultPageItems = 100
	// MaxPageItems is the largest MaxItems accepted.
	MaxPageItems = 1000
)

// Page cuts one page out of a sorted list. Markers are opaque: the
// base64 of the next item's offset.
func Page[T any](items []T, in PageIn) (out []T, truncated bool, next string, err error) {
	start, max, err := PageBounds(len(items), in)
	if err != nil {
		return nil, false, "", err
	}
	end := min(start+max, len(items))
	if end < len(items) {
		return items[start:end], true, MarkerAt(end), nil
	}
	return items[start:end], false, "", nil
}

// PageBounds checks MaxItems and Marker against a list of total items and
// returns the offset the page starts at and the most items it may hold:
// what a list computed page by page (the policy simulator's) needs.
func PageBounds(total int, in PageIn) (start, max int, err error) {
	max = DefaultPageItems
	if in.MaxItems != nil {
		if *in.MaxItems < 1 {
			return 0, 0, gatehouse.Errorf(gatehouse.CodeInvalid,
				"1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1", *in.MaxItems)
		}
		if *in.MaxItems > MaxPageItems {
			return 0, 0, gatehouse.Errorf(gatehouse.CodeInvalid,
				"1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to %d", *in.MaxItems, MaxPageItems)
		}
		max = *in.MaxItems
	}
	if in.Marker != "" {
		raw, err := base64.RawURLEncoding.DecodeString(in.Marker)
		n, err2 := strconv.Atoi(string(raw))
		if err != nil || err2 != nil || n < 0 || n > total {
			return 0, 0, gatehouse.Errorf(gatehouse.CodeInvalidInput, "Invalid Marker.")
		}
		start = n
	}
	return start, max, nil
}

// MarkerAt is the Marker of a page starting at offset.
func MarkerAt(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(offset)))
}

// listed is one page of a list result: the list (its member named
// name), IsTruncated, and Marker when there is a next page.
type listed[X any] struct {
	name      string
	items     List[X]
	truncated bool
	marker    string
}

// MarshalXML writes the page as a struct of those three members would.
func (l listed[X]) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if err := e.EncodeElement(l.items, xml.StartElement{Name: xml.Name{Local: l.name}}); err != nil {
		return err
	}
	if err := e.EncodeElement(l.truncated, xml.StartElement{Name: xml.Name{Local: "IsTruncated"}}); err != nil {
		return err
	}
	if l.marker != "" {
		if err := e.EncodeElement(l.marker, xml.StartElement{Name: xml.Name{Local: "Marker"}}); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

// ListPage returns a list operation's result: the page of the items a
// read returned that in asks for, each converted by conv, under the
// member name. It takes the read's results as they come, so a handler
// ends with query.ListPage(...)(d.IAM.Users(...)).
func ListPage[T, X any](name string, in PageIn, conv func(T) X) func([]T, error) (any, error) {
	return func(items []T, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		pg, truncated, next, err := Page(items, in)
		if err != nil {
			return nil, err
		}
		out := listed[X]{name: name, items: make(List[X], 0, len(pg)), truncated: truncated, marker: next}
		for _, item := range pg {
			out.items = append(out.items, conv(item))
		}
		return out, nil
	}
}

// AsIs converts a list's items to their wire form when they are it.
func AsIs[T any](v T) T { return v }
