package api

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

// page cuts one page out of a sorted list. Markers are opaque: the
// base64 of the next item's offset.
func page[T any](items []T, in pageIn) (out []T, truncated bool, next string, err error) {
	max := 100
	if in.MaxItems != nil {
		if *in.MaxItems < 1 {
			return nil, false, "", gatehouse.Errorf(gatehouse.EValidation,
				"1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1", *in.MaxItems)
		}
		if *in.MaxItems > 1000 {
			return nil, false, "", gatehouse.Errorf(gatehouse.EValidation,
				"1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000", *in.MaxItems)
		}
		max = *in.MaxItems
	}
	start := 0
	if in.Marker != "" {
		raw, err := base64.RawURLEncoding.DecodeString(in.Marker)
		n, err2 := strconv.Atoi(string(raw))
		if err != nil || err2 != nil || n < 0 || n > len(items) {
			return nil, false, "", gatehouse.Errorf(gatehouse.EInvalidInput, "Invalid Marker.")
		}
		start = n
	}
	end := min(start+max, len(items))
	if end < len(items) {
		return items[start:end], true, base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end))), nil
	}
	return items[start:end], false, "", nil
}
