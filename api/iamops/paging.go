package iamops

import (
	"encoding/base64"
	"encoding/xml"
	"strconv"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/query"
)

// pageIn is the common Marker/MaxItems input of list operations.
type pageIn struct {
	Marker   string
	MaxItems *int
}

// Page sizes: IAM's default and its maxItemsType maximum.
const (
	defaultPageItems = 100
	maxPageItems     = 1000
)

// page cuts one page out of a sorted list. Markers are opaque: the
// base64 of the next item's offset.
func page[T any](items []T, in pageIn) (out []T, truncated bool, next string, err error) {
	start, max, err := pageBounds(len(items), in)
	if err != nil {
		return nil, false, "", err
	}
	end := min(start+max, len(items))
	if end < len(items) {
		return items[start:end], true, markerAt(end), nil
	}
	return items[start:end], false, "", nil
}

// pageBounds checks MaxItems and Marker against a list of total items and
// returns the offset the page starts at and the most items it may hold:
// what a list computed page by page (the policy simulator's) needs.
func pageBounds(total int, in pageIn) (start, max int, err error) {
	max = defaultPageItems
	if in.MaxItems != nil {
		if *in.MaxItems < 1 {
			return 0, 0, gatehouse.Errorf(gatehouse.EValidation,
				"1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1", *in.MaxItems)
		}
		if *in.MaxItems > maxPageItems {
			return 0, 0, gatehouse.Errorf(gatehouse.EValidation,
				"1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to %d", *in.MaxItems, maxPageItems)
		}
		max = *in.MaxItems
	}
	if in.Marker != "" {
		raw, err := base64.RawURLEncoding.DecodeString(in.Marker)
		n, err2 := strconv.Atoi(string(raw))
		if err != nil || err2 != nil || n < 0 || n > total {
			return 0, 0, gatehouse.Errorf(gatehouse.EInvalidInput, "Invalid Marker.")
		}
		start = n
	}
	return start, max, nil
}

// markerAt is the Marker of a page starting at offset.
func markerAt(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(offset)))
}

// listed is one page of a list result: the list (its member named
// name), IsTruncated, and Marker when there is a next page.
type listed[X any] struct {
	name      string
	items     query.List[X]
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

// listPage returns a list operation's result: the page of the items a
// read returned that in asks for, each converted by conv, under the
// member name. It takes the read's results as they come, so a handler
// ends with listPage(...)(d.IAM.Users(...)).
func listPage[T, X any](name string, in pageIn, conv func(T) X) func([]T, error) (any, error) {
	return func(items []T, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		pg, truncated, next, err := page(items, in)
		if err != nil {
			return nil, err
		}
		out := listed[X]{name: name, items: make(query.List[X], 0, len(pg)), truncated: truncated, marker: next}
		for _, item := range pg {
			out.items = append(out.items, conv(item))
		}
		return out, nil
	}
}

// asIs converts a list's items to their wire form when they are it.
func asIs[T any](v T) T { return v }
