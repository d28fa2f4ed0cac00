package iamops

import (
	"encoding/base64"
	"strconv"

	"github.com/gatehouse-dev/gatehouse"
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
