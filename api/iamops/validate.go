package iamops

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse"
)

// constraints collects the violations of an input's constraints from the
// AWS service model (lengths, value ranges, patterns, enums), in the
// model's member order, and words them as AWS's Query services do: "N
// validation error(s) detected: " and each violation, joined by "; ". A
// list member is named "<list>.<N>.member".
type constraints struct {
	violations []string
}

// violation records that value (nil: not echoed) at field fails constraint.
func (c *constraints) violation(field string, value *string, constraint string) {
	v := "Value"
	if value != nil {
		v = "Value '" + *value + "'"
	}
	c.violations = append(c.violations, v+" at '"+field+"' failed to satisfy constraint: Member must "+constraint)
}

// length checks a string's length in characters. AWS does not echo policy
// documents in these messages (echo false).
func (c *constraints) length(field, value string, min, max int, echo bool) bool {
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
		c.violation(field, &value, constraint)
	} else {
		c.violation(field, nil, constraint)
	}
	return false
}

// policyDocument checks a policyDocumentType value: 1 to 131072
// characters of [\u0009\u000A\u000D\u0020-\u00FF].
func (c *constraints) policyDocument(field, doc string) {
	if !c.length(field, doc, 1, 131072, false) {
		return
	}
	for _, r := range doc {
		if r > 0xFF || r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			c.violation(field, nil, `satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`)
			return
		}
	}
}

// policyDocuments checks a SimulationPolicyListType.
func (c *constraints) policyDocuments(field string, docs []string) {
	for i, d := range docs {
		c.policyDocument(member(field, i), d)
	}
}

// stringList checks the members of a list of strings of min to max characters.
func (c *constraints) stringList(field string, values []string, min, max int) {
	for i, v := range values {
		c.length(member(field, i), v, min, max, true)
	}
}

// optional checks a string member when it is set ("" is taken as unset:
// the Query decoder does not tell them apart).
func (c *constraints) optional(field, value string, min, max int) {
	if value != "" {
		c.length(field, value, min, max, true)
	}
}

// enum checks that value is one of allowed.
func (c *constraints) enum(field, value string, allowed []string) {
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	c.violation(field, &value, "satisfy enum value set: ["+strings.Join(allowed, ", ")+"]")
}

// page checks MaxItems (maxItemsType, 1 to 1000) and Marker (markerType,
// 1 to 320 characters of [\u0020-\u00FF]).
func (c *constraints) page(in pageIn) {
	if in.MaxItems != nil {
		n := strconv.Itoa(*in.MaxItems)
		switch {
		case *in.MaxItems < 1:
			c.violation("maxItems", &n, "have value greater than or equal to 1")
		case *in.MaxItems > maxPageItems:
			c.violation("maxItems", &n, fmt.Sprintf("have value less than or equal to %d", maxPageItems))
		}
	}
	if in.Marker != "" && c.length("marker", in.Marker, 1, 320, true) {
		for _, r := range in.Marker {
			if r < 0x20 || r > 0xFF {
				c.violation("marker", &in.Marker, `satisfy regular expression pattern: [\u0020-\u00FF]+`)
				break
			}
		}
	}
}

// err is the ValidationError for the violations, or nil.
func (c *constraints) err() error {
	switch n := len(c.violations); n {
	case 0:
		return nil
	case 1:
		return gatehouse.Errorf(gatehouse.EValidation, "1 validation error detected: %s", c.violations[0])
	default:
		return gatehouse.Errorf(gatehouse.EValidation, "%d validation errors detected: %s", n, strings.Join(c.violations, "; "))
	}
}

// member names the i-th (from 0) member of a list field.
func member(field string, i int) string { return field + "." + strconv.Itoa(i+1) + ".member" }
