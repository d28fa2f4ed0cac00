package policy

import (
	"math/bits"
	"strings"
	"time"
)

// What deciding a request costs. Deciding is fast for the policies IAM
// stores (a few kilobytes each) and the requests a service builds, but
// IAM's policy simulator decides for policies, resources and condition
// values its caller chooses: a megabyte of them can make one decision
// compare every condition value with every context value, or retry a long
// pattern from every byte of a long value. A Meter bounds that work before
// it is done, so that a caller can cap what one request may cost.
//
// Costs are in units of about one step of the matcher (or 16 compared
// bytes), roughly a nanosecond. They are upper bounds for the worst
// placement of wildcards, not predictions: ordinary policies cost a few
// hundred units per candidate statement.

// callCost is the cost of trying one pattern on one value, before any
// comparison; candidateCost that of visiting a candidate statement and
// recording it when it matches.
const (
	callCost      = 4
	candidateCost = 64
)

// shape is what matching a group of patterns against one value costs.
type shape struct {
	fixed       int64 // steps whatever the value's length
	perByte     int64 // steps per byte of the value: patterns with '*' retry from each byte
	vars        int64 // variable parts of single-pass patterns
	varsPerByte int64 // variable parts of patterns with '*', per byte of the value
}

func (s *shape) add(o shape) {
	s.fixed += o.fixed
	s.perByte += o.perByte
	s.vars += o.vars
	s.varsPerByte += o.varsPerByte
}

// cost is the work of matching a value of n bytes when policy variables
// resolve to values of at most varLen bytes: a variable part compares at
// most min(varLen, n) bytes.
func (s *shape) cost(n, varLen int) int64 {
	per := int64(n) + 1
	v := int64(min(varLen, n))/16 + 1
	return s.fixed + s.vars*v + per*(s.perByte+s.varsPerByte*v)
}

// shapeOf is the shape of one pattern. With fold, text is compared byte
// by byte rather than 16 bytes at a time.
func (p *pattern) shapeOf(fold bool) shape {
	bytes := func(n int) int64 {
		if fold {
			return int64(n)
		}
		return int64(n) / 16
	}
	switch {
	case p.all:
		return shape{fixed: 1}
	case p.isLiteral:
		return shape{fixed: callCost + bytes(len(p.literal))}
	}
	steps, vars, star := int64(1), int64(0), false
	for _, pt := range p.parts {
		steps++
		switch pt.kind {
		case partLiteral:
			steps += bytes(len(pt.text))
		case partVariable:
			vars++
			steps += bytes(len(pt.def))
		case partStar:
			star = true
		}
	}
	if fold {
		vars *= 16
	}
	if star {
		return shape{fixed: callCost, perByte: steps, varsPerByte: vars}
	}
	return shape{fixed: callCost + steps, vars: vars}
}

// shapeOf is the shape of matching an ARN pattern once: the prefix test,
// then each component against its part of the value; with split, the
// value is split first (one pass over it).
func (ap *arnPattern) shapeOf(split bool) shape {
	switch {
	case ap.all:
		return shape{fixed: 1}
	case !ap.split:
		return ap.whole.shapeOf(false)
	}
	s := shape{fixed: 1 + int64(len(ap.prefix))/16}
	if split {
		s.perByte++
	}
	for i := range ap.component {
		s.add(ap.component[i].shapeOf(false))
	}
	return s
}

// expanding is a Resource pattern whose components 0–4 may take in
// colons: its cost depends on how many colons the resource has.
type expanding struct {
	trailing uint8 // bit i: component i ends with '*'
	shape    shape // matching every component once
}

// cost bounds matchExpanding on a value of n bytes with the given number
// of colons.
func (e *expanding) cost(n, colons, varLen int) int64 {
	once := e.shape.cost(n, varLen)
	if colons > maxTriedColons {
		// expandOverColons: one scan for the colons, the last component
		// after each colon, then per start and component one match or a
		// binary search over the colons.
		tries := int64(colons+1) * int64(5*(bits.Len(uint(colons))+2)+1)
		return int64(n+1) + 3*int64(colons) + tries*once
	}
	// tryExpanding: a component without a trailing '*' ends at one colon;
	// component i with one tries each of the colons after its start (at
	// least i are before it); and there are at most 2^colons increasing
	// placements of the ends. Each try scans the value for colons.
	tries := int64(1)
	for i := range 5 {
		if e.trailing&(1<<i) != 0 {
			tries *= int64(max(colons-i, 1))
		}
	}
	tries = 6 * min(tries, int64(1)<<colons)
	return tries * (once + int64(n) + 1)
}

// stmtCost is what deciding a request against a statement may cost,
// computed when the statement is compiled.
type stmtCost struct {
	base      int64 // the statement, its principal, its conditions' lookups
	actions   shape // the action patterns against the request's action
	resources shape // the resource patterns matched once
	expanding []expanding
}

func (st *statement) computeCost() {
	c := stmtCost{base: candidateCost + int64(len(st.conditions))}
	for i := range st.actions {
		a := &st.actions[i]
		switch {
		case a.all:
			c.actions.add(shape{fixed: 1})
		case a.noColon:
			c.actions.add(a.whole.shapeOf(true))
		default:
			c.actions.add(shape{fixed: 1 + int64(len(a.service))})
			c.actions.add(a.svcPat.shapeOf(true))
			c.actions.add(a.name.shapeOf(true))
		}
	}
	for i := range st.resources {
		r := &st.resources[i]
		if !r.split || !r.expand {
			c.resources.add(r.shapeOf(false)) // the request's resource is split once
			continue
		}
		e := expanding{shape: r.shapeOf(false)}
		for j := range 5 {
			if r.component[j].trailingStar() {
				e.trailing |= 1 << j
			}
		}
		if e.trailing == 0 {
			c.resources.add(e.shape) // one placement: a scan of the value per component
			c.resources.perByte += 6
			continue
		}
		c.expanding = append(c.expanding, e)
	}
	if m := st.principal; m != nil {
		c.base += int64(len(m.aws) + len(m.service) + len(m.federated) + len(m.canonical))
	}
	for i := range st.conditions {
		st.conditions[i].computeCost()
	}
	st.cost = c
}

// computeCost sets what evaluating the condition costs per context value:
// parsing it, for the operators that parse (measured: a number or an
// address fails to parse in a few hundred nanoseconds plus a few per
// byte; dates are costed by the Meter, value by value), then comparing
// it with each policy value.
func (c *condition) computeCost() {
	fold := c.op == opStringEqualsIgnoreCase || c.op == opStringNotEqualsIgnoreCase
	for i := range c.strs {
		c.cost.add(c.strs[i].shapeOf(fold))
	}
	for i := range c.arns {
		c.cost.add(c.arns[i].shapeOf(true))
	}
	c.cost.fixed += int64(len(c.nums) + len(c.times) + len(c.prefixes) + len(c.bools))
	switch {
	case len(c.nums) > 0:
		c.parse = shape{fixed: 512, perByte: 8}
	case len(c.prefixes) > 0:
		c.parse = shape{fixed: 128, perByte: 8}
	}
}

// A Meter bounds the work of deciding requests that share one context
// (their principal, action and resource may differ). It reads the context
// when it is made and when it first meets each condition key; the context
// must not change while the Meter is used. A Meter is not safe for
// concurrent use.
type Meter struct {
	ctx    *Context
	varLen int // the longest value a policy variable can resolve to
	keys   map[string]valueStats
}

type valueStats struct {
	count, bytes int64
	maxLen       int
	dates        int64 // the cost of parsing every value as a date; -1 until needed
}

// dateCost is what parseDate costs on v: each layout it tries before the
// one that fits fails in up to 2 µs (an error is built), and a value no
// layout fits is parsed leniently too (measured: 17 µs, plus 20 ns per
// byte of a long value).
func dateCost(v string) int64 {
	n := int64(len(v))
	if isDigits(v) {
		return 64 + n
	}
	if v != "" && v[0] != '-' {
		for i, layout := range dateLayouts {
			if _, err := time.Parse(layout, v); err == nil {
				return 256 + int64(i)*2048 + 2*n
			}
		}
	}
	return 24576 + 32*n
}

// NewMeter returns a Meter for requests with the context ctx.
func NewMeter(ctx *Context) *Meter {
	m := &Meter{ctx: ctx, keys: map[string]valueStats{}}
	for _, v := range ctx.m {
		if len(v) == 1 { // variables resolve single-valued keys only
			m.varLen = max(m.varLen, len(v[0]))
		}
	}
	return m
}

func (m *Meter) stats(lowerKey string) valueStats {
	if s, ok := m.keys[lowerKey]; ok {
		return s
	}
	s := valueStats{dates: -1}
	for _, v := range m.ctx.lookup(lowerKey) {
		s.count++
		s.bytes += int64(len(v))
		s.maxLen = max(s.maxLen, len(v))
	}
	m.keys[lowerKey] = s
	return s
}

// dates returns the cost of parsing the values of a key as dates,
// computed the first time a date condition tests the key.
func (m *Meter) dates(lowerKey string) int64 {
	s := m.stats(lowerKey)
	if s.dates < 0 {
		s.dates = 0
		for _, v := range m.ctx.lookup(lowerKey) {
			s.dates += dateCost(v)
		}
		m.keys[lowerKey] = s
	}
	return s.dates
}

// MaxCost is the most [Meter.Cost] returns: costs saturate there.
const MaxCost = 1 << 60

// Cost bounds the work of [Decide] and [MissingContextKeys] for req (whose
// Context must be the Meter's) against p. It walks the same candidate
// statements as they do but matches nothing, so it costs a small part of
// what it measures.
func (m *Meter) Cost(req *Request, p *Policies) int64 {
	service, name, _ := strings.Cut(req.Action, ":")
	head := resourceHead(req.Resource)
	colons := strings.Count(req.Resource, ":")
	varLen := max(m.varLen, len(req.Principal.ARN)) // principal keys may be set per request
	total := int64(len(req.Resource)/16 + 1)        // splitting the resource
	set := func(s *Set) {
		if s == nil {
			return
		}
		cs := s.candidates(service, name, head)
		total += int64(len(cs.lists[0]) + len(cs.lists[1]) + len(cs.lists[2]))
		for c, ok := cs.next(); ok; c, ok = cs.next() {
			total = min(total+m.statement(s.refs[c.ref].st, req, colons, varLen), MaxCost)
		}
	}
	for _, s := range p.SCP {
		set(s)
	}
	for _, s := range p.RCP {
		set(s)
	}
	for _, s := range []*Set{p.Resource, p.Identity, p.Boundary, p.Session} {
		set(s)
	}
	return total
}

// statement bounds the work of deciding req against one statement. Its
// terms stay far below MaxCost for any statement a megabyte can hold.
func (m *Meter) statement(st *statement, req *Request, colons, varLen int) int64 {
	c := &st.cost
	n := c.base + c.actions.cost(len(req.Action), 0) + c.resources.cost(len(req.Resource), varLen)
	for i := range c.expanding {
		e := &c.expanding[i]
		n += e.cost(len(req.Resource), colons, varLen)
	}
	for i := range st.conditions {
		cond := &st.conditions[i]
		vs := m.stats(cond.key)
		if vs.count == 0 {
			continue
		}
		// Every context value against every policy value, each parsed
		// once by the operators that parse.
		s, v := &cond.cost, int64(min(varLen, vs.maxLen))/16+1
		n += vs.count*(s.fixed+s.vars*v) + (vs.bytes+vs.count)*(s.perByte+s.varsPerByte*v)
		n += vs.count*cond.parse.fixed + vs.bytes*cond.parse.perByte
		if len(cond.times) > 0 {
			n += m.dates(cond.key)
		}
	}
	return n
}
