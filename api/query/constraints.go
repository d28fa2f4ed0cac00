package query

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse"
)

// Constraints collects the violations of an input's constraints from the
// AWS service model (lengths, value ranges, patterns, enums), in the
// model's member order, and words them as AWS's Query services do: "N
// validation error(s) detected: " and each violation, joined by "; ". A
// list member is named "<list>.<N>.member" (Member).
type Constraints struct {
	violations []string
}

// Violation records that value (nil: not echoed) at field fails constraint.
func (c *Constraints) Violation(field string, value *string, constraint string) {
	v := "Value"
	if value != nil {
		v = "Value '" + *value + "'"
	}
	c.violations = append(c.violations, v+" at '"+field+"' failed to satisfy constraint: Member must "+constraint)
}

// Length checks a string's length in characters, and reports whether it
// is within min and max. AWS does not echo policy documents in these
// messages (echo false).
func (c *Constraints) Length(field, value string, min, max int, echo bool) bool {
	n := utf8.RuneCountInString(value)
	var constraint string
	switch {
	case n < min:
		constraint = fmt.Sprintf("have length greater than or equal to %d", min)
	case n > max:
		constraint = fmt.Sprintf("have length less than or equal to %d", max)
	default:
		return true
	}
	if echo {
		c.Violation(field, &value, constraint)
	} else {
		c.Violation(field, nil, constraint)
	}
	return false
}

// StringList checks the members of a list of strings of min to max characters.
func (c *Constraints) StringList(field string, values []string, min, max int) {
	for i, v := range values {
		c.Length(Member(field, i), v, min, max, true)
	}
}

// Optional checks a string member when it is set ("" is taken as unset:
// the Query decoder does not tell them apart).
func (c *Constraints) Optional(field, value string, min, max int) {
	if value != "" {
		c.Length(field, value, min, max, true)
	}
}

// Enum checks that value is one of allowed.
func (c *Constraints) Enum(field, value string, allowed []string) {
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	c.Violation(field, &value, "satisfy enum value set: ["+strings.Join(allowed, ", ")+"]")
}

// Page checks MaxItems (maxItemsType, 1 to 1000) and Marker (markerType,
// 1 to 320 characters of [\u0020-\u00FF]).
func (c *Constraints) Page(in PageIn) {
	if in.MaxItems != nil {
		n := strconv.Itoa(*in.MaxItems)
		switch {
		case *in.MaxItems < 1:
			c.Violation("maxItems", &n, "have value greater than or equal to 1")
		case *in.MaxItems > MaxPageItems:
			c.Violation("maxItems", &n, fmt.Sprintf("have value less than or equal to %d", MaxPageItems))
		}
	}
	if in.Marker != "" && c.Length("marker", in.Marker, 1, 320, true) {
		for _, r := range in.Marker {
			if r < 0x20 || r > 0xFF {
				c.Violation("marker", &in.Marker, `satisfy regular expression pattern: [\u0020-\u00FF]+`)
				break
			}
		}
	}
}

// Err is the ValidationError for the violations, or nil.
func (c *Constraints) Err() error {
	switch n := len(c.violations); n {
	case 0:
		return nil
	case 1:
		return gatehouse.Errorf(gatehouse.CodeInvalid, "1 validation error detected: %s", c.violations[0])
	default:
		return gatehouse.Errorf(gatehouse.CodeInvalid, "%d validation errors detected: %s", n, strings.Join(c.violations, "; "))
	}
}

// Member names the i-th (from 0) member of a list field.
func Member(field string, i int) string { return field + "." + strconv.Itoa(i+1) + ".member" }
