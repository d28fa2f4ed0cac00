package policy

import (
	"encoding/base64"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/arn"
)

// operator identifies a base condition operator (without qualifier or
// IfExists suffix).
type operator uint8

const (
	opUnknown operator = iota
	opStringEquals
	opStringNotEquals
	opStringEqualsIgnoreCase
	opStringNotEqualsIgnoreCase
	opStringLike
	opStringNotLike
	opNumericEquals
	opNumericNotEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateNotEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opBool
	opBinaryEquals
	opIPAddress
	opNotIPAddress
	opArnEquals
	opArnLike
	opArnNotEquals
	opArnNotLike
	opNull
)

var operatorNames = map[string]operator{
	"StringEquals":              opStringEquals,
	"StringNotEquals":           opStringNotEquals,
	"StringEqualsIgnoreCase":    opStringEqualsIgnoreCase,
	"StringNotEqualsIgnoreCase": opStringNotEqualsIgnoreCase,
	"StringLike":                opStringLike,
	"StringNotLike":             opStringNotLike,
	"NumericEquals":             opNumericEquals,
	"NumericNotEquals":          opNumericNotEquals,
	"NumericLessThan":           opNumericLessThan,
	"NumericLessThanEquals":     opNumericLessThanEquals,
	"NumericGreaterThan":        opNumericGreaterThan,
	"NumericGreaterThanEquals":  opNumericGreaterThanEquals,
	"DateEquals":                opDateEquals,
	"DateNotEquals":             opDateNotEquals,
	"DateLessThan":              opDateLessThan,
	"DateLessThanEquals":        opDateLessThanEquals,
	"DateGreaterThan":           opDateGreaterThan,
	"DateGreaterThanEquals":     opDateGreaterThanEquals,
	"Bool":                      opBool,
	"BinaryEquals":              opBinaryEquals,
	"IpAddress":                 opIPAddress,
	"NotIpAddress":              opNotIPAddress,
	"ArnEquals":                 opArnEquals,
	"ArnLike":                   opArnLike,
	"ArnNotEquals":              opArnNotEquals,
	"ArnNotLike":                opArnNotLike,
	"Null":                      opNull,
}

// negated reports whether op is a negated operator, for which several
// policy values must all fail to match and a missing key matches.
func (op operator) negated() bool {
	switch op {
	case opStringNotEquals, opStringNotEqualsIgnoreCase, opStringNotLike,
		opNumericNotEquals, opDateNotEquals, opNotIPAddress, opArnNotEquals, opArnNotLike:
		return true
	}
	return false
}

// allowsVariables reports whether policy variables are substituted in the
// operator's values (string and ARN operators only).
func (op operator) allowsVariables() bool {
	switch op {
	case opStringEquals, opStringNotEquals, opStringEqualsIgnoreCase, opStringNotEqualsIgnoreCase,
		opStringLike, opStringNotLike, opArnEquals, opArnLike, opArnNotEquals, opArnNotLike:
		return true
	}
	return false
}

func (op operator) isDate() bool { return op >= opDateEquals && op <= opDateGreaterThanEquals }

type qualifier uint8

const (
	qualNone qualifier = iota
	qualForAllValues
	qualForAnyValue
)

// OperatorSpec is a parsed condition operator name.
type OperatorSpec struct {
	// Base is the operator without qualifier and suffix, e.g. "StringLike".
	Base string
	// Qualifier is "", "ForAllValues" or "ForAnyValue".
	Qualifier string
	IfExists  bool
	op        operator
	qual      qualifier
}

// ParseOperator parses a condition operator name such as
// "ForAnyValue:StringLikeIfExists". ok is false for unknown operators and
// malformed qualifiers.
func ParseOperator(name string) (spec OperatorSpec, ok bool) {
	rest := name
	if q, after, found := strings.Cut(name, ":"); found {
		switch q {
		case "ForAllValues":
			spec.qual = qualForAllValues
		case "ForAnyValue":
			spec.qual = qualForAnyValue
		default:
			return spec, false
		}
		spec.Qualifier, rest = q, after
	}
	if base, found := strings.CutSuffix(rest, "IfExists"); found && base != "Null" {
		spec.IfExists, rest = true, base
	}
	op, known := operatorNames[rest]
	if !known || (op == opNull && spec.IfExists) {
		return spec, false
	}
	spec.Base, spec.op = rest, op
	return spec, true
}

// condition is one compiled (operator, key, values) triple.
type condition struct {
	op       operator
	qual     qualifier
	ifExists bool
	key      string // lower-cased
	name     string // as written
	strs     []pattern
	arns     []arnPattern
	nums     []float64
	times    []int64 // Unix nanoseconds
	prefixes []netip.Prefix
	bools    []string // lower-cased "true"/"false" (also for Null)
	raw      []string
	// cost is what comparing a context value with the condition's values
	// costs; parse what parsing the context value first costs.
	cost, parse shape
}

func compileCondition(e ConditionEntry, vars bool) (condition, error) {
	spec, ok := ParseOperator(e.Operator)
	if !ok {
		return condition{}, fmt.Errorf("unknown condition operator %q", e.Operator)
	}
	c := condition{op: spec.op, qual: spec.qual, ifExists: spec.IfExists, key: strings.ToLower(e.Key), name: e.Key, raw: e.Values}
	vars = vars && c.op.allowsVariables()
	for _, v := range e.Values {
		switch c.op {
		case opStringEquals, opStringNotEquals:
			c.strs = append(c.strs, compilePattern(v, false, vars, false))
		case opStringEqualsIgnoreCase, opStringNotEqualsIgnoreCase:
			c.strs = append(c.strs, compilePattern(v, false, vars, true))
		case opStringLike, opStringNotLike:
			c.strs = append(c.strs, compilePattern(v, true, vars, false))
		case opArnEquals, opArnLike, opArnNotEquals, opArnNotLike:
			c.arns = append(c.arns, compileARNPattern(v, vars, false))
		case opNumericEquals, opNumericNotEquals, opNumericLessThan, opNumericLessThanEquals,
			opNumericGreaterThan, opNumericGreaterThanEquals:
			n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return c, fmt.Errorf("%s: %q is not a number", e.Operator, v)
			}
			c.nums = append(c.nums, n)
		case opDateEquals, opDateNotEquals, opDateLessThan, opDateLessThanEquals,
			opDateGreaterThan, opDateGreaterThanEquals:
			t, ok := parseDate(v)
			if !ok {
				return c, fmt.Errorf("%s: %q is not a date", e.Operator, v)
			}
			c.times = append(c.times, t)
		case opBool, opNull:
			c.bools = append(c.bools, strings.ToLower(v))
		case opBinaryEquals:
			if _, err := base64.StdEncoding.DecodeString(v); err != nil {
				return c, fmt.Errorf("%s: %q is not base64", e.Operator, v)
			}
			c.strs = append(c.strs, compilePattern(v, false, false, false))
		case opIPAddress, opNotIPAddress:
			p, ok := parseCIDR(v)
			if !ok {
				return c, fmt.Errorf("%s: %q is not an IP address or CIDR block", e.Operator, v)
			}
			c.prefixes = append(c.prefixes, p)
		}
	}
	return c, nil
}

// eval evaluates the condition against the request context.
func (c *condition) eval(ctx *Context) bool {
	vals := ctx.lookup(c.key)
	present := len(vals) > 0
	if c.op == opNull {
		for _, want := range c.bools {
			if (want == "true") != present {
				return true
			}
		}
		return false
	}
	neg := c.op.negated()
	if !present {
		switch c.qual {
		case qualForAllValues:
			return true
		case qualForAnyValue:
			return false
		}
		return c.ifExists || neg
	}
	switch c.qual {
	case qualForAllValues:
		for _, v := range vals {
			if c.matchesAny(v, ctx) == neg {
				return false
			}
		}
		return true
	case qualForAnyValue:
		for _, v := range vals {
			if c.matchesAny(v, ctx) != neg {
				return true
			}
		}
		return false
	}
	// No qualifier: a positive operator needs one request value to match
	// one policy value; a negated one needs every request value to match none.
	for _, v := range vals {
		if c.matchesAny(v, ctx) {
			return !neg
		}
	}
	return neg
}

// matchesAny reports whether the request value v matches at least one
// policy value under the operator's positive form (StringNotEquals is
// read as StringEquals, and so on).
func (c *condition) matchesAny(v string, ctx *Context) bool {
	switch c.op {
	case opStringEquals, opStringNotEquals, opStringLike, opStringNotLike, opBinaryEquals:
		for i := range c.strs {
			if c.strs[i].match(v, false, ctx) {
				return true
			}
		}
	case opStringEqualsIgnoreCase, opStringNotEqualsIgnoreCase:
		for i := range c.strs {
			if c.strs[i].match(v, true, ctx) {
				return true
			}
		}
	case opArnEquals, opArnLike, opArnNotEquals, opArnNotLike:
		for i := range c.arns {
			if c.arns[i].match(v, ctx) {
				return true
			}
		}
	case opBool:
		for _, b := range c.bools {
			if equalFoldASCII(b, v) {
				return true
			}
		}
	case opIPAddress, opNotIPAddress:
		addr, err := netip.ParseAddr(v)
		if err != nil {
			p, ok := parseCIDR(v)
			if !ok {
				return false
			}
			addr = p.Addr()
		}
		addr = addr.Unmap()
		for _, p := range c.prefixes {
			if p.Contains(addr) {
				return true
			}
		}
	case opNumericEquals, opNumericNotEquals, opNumericLessThan, opNumericLessThanEquals,
		opNumericGreaterThan, opNumericGreaterThanEquals:
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return false
		}
		for _, want := range c.nums {
			if compareOrdered(c.op, n, want) {
				return true
			}
		}
	default:
		if c.op.isDate() {
			t, ok := parseDate(v)
			if !ok {
				return false
			}
			for _, want := range c.times {
				if compareOrdered(c.op, t, want) {
					return true
				}
			}
		}
	}
	return false
}

func compareOrdered[T int64 | float64](op operator, got, want T) bool {
	switch op {
	case opNumericEquals, opNumericNotEquals, opDateEquals, opDateNotEquals:
		return got == want
	case opNumericLessThan, opDateLessThan:
		return got < want
	case opNumericLessThanEquals, opDateLessThanEquals:
		return got <= want
	case opNumericGreaterThan, opDateGreaterThan:
		return got > want
	case opNumericGreaterThanEquals, opDateGreaterThanEquals:
		return got >= want
	}
	return false
}

// parseCIDR parses an IPv4 or IPv6 CIDR block; a bare address is a /32
// or /128 block. IPv4-mapped IPv6 prefixes are unmapped.
func parseCIDR(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if strings.IndexByte(s, '/') < 0 {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	if p.Addr().Is4In6() {
		bits := p.Bits() - 96
		if bits < 0 {
			return netip.Prefix{}, false
		}
		p = netip.PrefixFrom(p.Addr().Unmap(), bits)
	}
	return p.Masked(), true
}

var dateLayouts = [...]string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z",
	"2006-01-02T15Z",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02",
	"2006-01",
}

// parseDate parses a W3C/ISO-8601 date-time (UTC when no zone is given)
// or epoch seconds, and returns Unix nanoseconds. It does not allocate
// for the common forms.
func parseDate(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	if isDigits(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, false
		}
		return saturatedNanos(n, 0), true
	}
	if s[0] != '-' {
		for _, layout := range dateLayouts {
			if t, err := time.Parse(layout, s); err == nil {
				return saturatedNanos(t.Unix(), int64(t.Nanosecond())), true
			}
		}
	}
	return parseLenientDate(s)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// arnPattern matches ARNs component by component (see [arn.Match]),
// with policy variables allowed in every component.
type arnPattern struct {
	all bool
	// expand lets a '*' that ends one of the first five components match
	// across the following colons, as the Resource element does ("if the
	// * wildcard is the last character of a resource ARN segment, it can
	// expand to match beyond the colon boundaries"). ArnLike conditions
	// keep every component apart.
	expand    bool
	prefix    string // literal prefix every matching value starts with
	split     bool   // false: not in ARN form, matched as one glob
	whole     pattern
	component [6]pattern
}

func compileARNPattern(s string, vars, expand bool) arnPattern {
	if s == "*" {
		return arnPattern{all: true}
	}
	parts, ok := splitARNPattern(s)
	if !ok {
		return arnPattern{whole: compilePattern(s, true, vars, false)}
	}
	ap := arnPattern{split: true, prefix: s, expand: expand}
	if i := strings.IndexAny(s, "*?$"); i >= 0 {
		ap.prefix = s[:i]
	}
	for i, p := range parts {
		ap.component[i] = compilePattern(p, true, vars, false)
	}
	return ap
}

func (ap *arnPattern) match(v string, ctx *Context) bool {
	if ap.all {
		return true
	}
	parts, ok := arn.Split(v)
	return ap.matchSplit(v, &parts, ok, ctx)
}

// matchSplit is match with v already split by [arn.Split].
func (ap *arnPattern) matchSplit(v string, parts *[6]string, isARN bool, ctx *Context) bool {
	if ap.all {
		return true
	}
	if !ap.split {
		return ap.whole.match(v, false, ctx)
	}
	if !strings.HasPrefix(v, ap.prefix) {
		return false
	}
	if ap.expand {
		return ap.matchExpanding(v, ctx)
	}
	if !isARN {
		return false
	}
	for i := range parts {
		if !ap.component[i].match(parts[i], false, ctx) {
			return false
		}
	}
	return true
}

// maxTriedColons is the most colons a value may have for matchExpanding
// to try every placement of the component ends (at most 2⁸ component
// matches, and no allocation): every real ARN has fewer.
const maxTriedColons = 8

// matchExpanding matches the components against v, letting a trailing
// '*' in components 0–4 take in further colons. Trying every placement of
// the five component ends costs colons⁵ component matches (a resource
// ARN of 400 colons took seconds), so values with more colons than any
// real ARN are matched by dynamic programming over their colons instead.
func (ap *arnPattern) matchExpanding(v string, ctx *Context) bool {
	if strings.Count(v, ":") <= maxTriedColons {
		return ap.tryExpanding(v, 0, 0, ctx)
	}
	return ap.expandOverColons(v, ctx)
}

// tryExpanding matches component i of the pattern against v[from:],
// trying each colon that may end it.
func (ap *arnPattern) tryExpanding(v string, i, from int, ctx *Context) bool {
	if i == 5 {
		return ap.component[5].match(v[from:], false, ctx)
	}
	c := &ap.component[i]
	trailing := c.trailingStar()
	for end := from; end < len(v); end++ {
		if v[end] != ':' {
			continue
		}
		if c.match(v[from:end], false, ctx) && ap.tryExpanding(v, i+1, end+1, ctx) {
			return true
		}
		if !trailing {
			return false
		}
	}
	return false
}

// expandOverColons is tryExpanding computed level by level, from the
// last component to the first: ok[k] says whether components i+1..5
// match v after its k-th colon. A component without a trailing '*' ends
// at the first colon after its start; one with a trailing '*' matches
// every longer run once it matches one, so a binary search finds its
// first possible end and reach (ok of that end or any later one) decides.
// The cost is O(colons · log colons) component matches.
func (ap *arnPattern) expandOverColons(v string, ctx *Context) bool {
	var colons []int
	for i := 0; i < len(v); i++ {
		if v[i] == ':' {
			colons = append(colons, i)
		}
	}
	n := len(colons)
	ok, cur, reach := make([]bool, n), make([]bool, n), make([]bool, n+1)
	for k, at := range colons {
		ok[k] = ap.component[5].match(v[at+1:], false, ctx)
	}
	// ends reports whether component c, starting at from, can end at the
	// colon first (or, with a trailing '*', a later one) with the next
	// components matching after it.
	ends := func(c *pattern, from, first int) bool {
		if first >= n {
			return false
		}
		if !c.trailingStar() {
			return ok[first] && c.match(v[from:colons[first]], false, ctx)
		}
		k := first + sort.Search(n-first, func(d int) bool {
			return c.match(v[from:colons[first+d]], false, ctx)
		})
		return k < n && reach[k]
	}
	for i := 4; i >= 0; i-- {
		reach[n] = false
		for k := n - 1; k >= 0; k-- {
			reach[k] = ok[k] || reach[k+1]
		}
		c := &ap.component[i]
		if i == 0 {
			return ends(c, 0, 0)
		}
		for j, at := range colons {
			cur[j] = ends(c, at+1, j+1)
		}
		ok, cur = cur, ok
	}
	return false
}

// splitARNPattern cuts s at its first five colons, skipping colons inside
// ${...} policy variables.
func splitARNPattern(s string) (parts [6]string, ok bool) {
	n, start, depth := 0, 0, 0
	for i := 0; i < len(s) && n < 5; i++ {
		switch {
		case s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
			depth++
			i++
		case s[i] == '}' && depth > 0:
			depth--
		case s[i] == ':' && depth == 0:
			parts[n] = s[start:i]
			n++
			start = i + 1
		}
	}
	if n < 5 {
		return parts, false
	}
	parts[5] = s[start:]
	return parts, true
}
