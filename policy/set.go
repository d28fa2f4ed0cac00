package policy

import (
	"slices"
	"strings"
)

// Set is a compiled group of policies of one type (for example all the
// identity policies of a user and its groups), indexed so that a decision
// only visits the statements that can apply. Two indexes, each holding
// every statement once per action name or resource head it names, are
// intersected when a request is decided: one by service prefix and action
// name, one by the head of the resource ARN (up to the first '/' of its
// resource component, e.g. "arn:aws:s3:::bucket"). Building a Set takes
// time and memory linear in its policies whatever their shape (indexing
// actions × heads would be quadratic: a few hundred kilobytes of policy
// would fill gigabytes). A Set is immutable and safe for concurrent use.
type Set struct {
	policies []*Policy
	refs     []stmtRef
	// byService indexes statements by lower-cased service prefix.
	byService map[string]*serviceIndex
	// global holds the statements that may match any service: "*",
	// NotAction and wildcard service prefixes.
	global []int32
	// heads indexes the statements whose resources all have a literal
	// head; wildHeads holds the others, which may match any resource.
	heads     map[string][]int32
	wildHeads []int32
}

type stmtRef struct {
	policy int32
	st     *statement
}

type serviceIndex struct {
	byAction map[string][]int32 // lower-cased action name → statements naming it literally
	wide     []int32            // statements with a wildcard action name in the service
}

// Every list of statement references in a Set is sorted, without
// duplicates: statements are added in order.

// NewSet builds a Set from compiled policies. Nil policies are skipped.
func NewSet(policies ...*Policy) *Set {
	s := &Set{byService: map[string]*serviceIndex{}, heads: map[string][]int32{}}
	service := func(name string) *serviceIndex {
		idx := s.byService[name]
		if idx == nil {
			idx = &serviceIndex{byAction: map[string][]int32{}}
			s.byService[name] = idx
		}
		return idx
	}
	for _, p := range policies {
		if p == nil {
			continue
		}
		pi := int32(len(s.policies))
		s.policies = append(s.policies, p)
		for i := range p.statements {
			st := &p.statements[i]
			ref := int32(len(s.refs))
			s.refs = append(s.refs, stmtRef{policy: pi, st: st})
			if st.wildHeads {
				s.wildHeads = append(s.wildHeads, ref)
			} else {
				for _, h := range st.heads {
					s.heads[h] = appendUnique(s.heads[h], ref)
				}
			}
			if st.notAction {
				s.global = append(s.global, ref)
				continue
			}
			for _, a := range st.actions {
				switch {
				case a.all || a.noColon || a.svcWild:
					s.global = appendUnique(s.global, ref)
				case a.name.isLiteral:
					idx := service(a.service)
					idx.byAction[a.name.literal] = appendUnique(idx.byAction[a.name.literal], ref)
				default:
					idx := service(a.service)
					idx.wide = appendUnique(idx.wide, ref)
				}
			}
		}
	}
	return s
}

// cand is a candidate statement. actionKnown is set when the index
// proves that the statement's Action names the request's action.
type cand struct {
	ref         int32
	actionKnown bool
}

// candidates walks, in statement order, the statements that may apply to
// one action and resource head: those in both the action index (the
// statements naming the action, those with a wildcard name in its
// service, the global ones) and the head index (the statements naming the
// head, the wild ones). It walks the shorter side and tests each of its
// statements for membership in the other, so a decision costs what the
// smaller side holds, as if the index had been built for every pair. It
// lives on the caller's stack: walking allocates nothing.
type candidates struct {
	set *Set
	// byAction walks the action side (exact is lists[0]); otherwise the
	// head side is walked and the action side's lists are searched, each
	// from where the previous search left it.
	byAction            bool
	lists               [3][]int32
	exact, wide, global []int32
	head                string
}

// candidates returns the walk over the statements that may match action
// service:name on a resource with the given head.
func (s *Set) candidates(service, name, head string) candidates {
	c := candidates{set: s, head: head}
	var buf [128]byte
	var idx *serviceIndex
	var ok bool
	if b, lowered := lowerInto(buf[:0], service); lowered {
		idx, ok = s.byService[string(b)] // no allocation: map index of a byte conversion
	} else {
		idx, ok = s.byService[service]
	}
	if ok {
		if b, lowered := lowerInto(buf[:0], name); lowered {
			c.exact = idx.byAction[string(b)]
		} else {
			c.exact = idx.byAction[name]
		}
		c.wide = idx.wide
	}
	c.global = s.global
	heads := s.heads[head]
	if len(c.exact)+len(c.wide)+len(s.global) <= len(heads)+len(s.wildHeads) {
		c.byAction = true
		c.lists = [3][]int32{c.exact, c.wide, s.global}
	} else {
		c.lists = [3][]int32{heads, s.wildHeads}
	}
	return c
}

// next returns the next candidate, or false at the end.
func (c *candidates) next() (cand, bool) {
	for {
		ref, inExact, ok := c.pop()
		if !ok {
			return cand{}, false
		}
		if c.byAction {
			st := c.set.refs[ref].st
			if st.wildHeads || containsHead(st.heads, c.head) {
				return cand{ref: ref, actionKnown: inExact}, true
			}
			continue
		}
		var exact, wide, global bool
		if len(c.exact) > 0 && c.exact[0] <= ref {
			c.exact, exact = seek(c.exact, ref)
		}
		if len(c.wide) > 0 && c.wide[0] <= ref {
			c.wide, wide = seek(c.wide, ref)
		}
		if len(c.global) > 0 && c.global[0] <= ref {
			c.global, global = seek(c.global, ref)
		}
		if exact || wide || global {
			return cand{ref: ref, actionKnown: exact}, true
		}
	}
}

// seek drops the references of a sorted list that are smaller than ref
// (galloping: the cost is logarithmic in the number dropped) and reports
// whether ref is the list's first one then.
func seek(list []int32, ref int32) ([]int32, bool) {
	if len(list) == 0 || list[0] >= ref {
		return list, len(list) > 0 && list[0] == ref
	}
	if len(list) > 1 && list[1] >= ref { // the next reference: the common case
		return list[1:], list[1] == ref
	}
	lo, step := 0, 1 // list[lo] < ref
	for lo+step < len(list) && list[lo+step] < ref {
		lo += step
		step *= 2
	}
	rest := list[lo+1 : min(lo+step+1, len(list))]
	i, found := slices.BinarySearch(rest, ref)
	return list[lo+1+i:], found
}

// pop removes the smallest reference from the lists (from every list
// that holds it) and reports whether lists[0] held it.
func (c *candidates) pop() (ref int32, inFirst, ok bool) {
	if len(c.lists[1]) == 0 && len(c.lists[2]) == 0 {
		if l := c.lists[0]; len(l) > 0 {
			c.lists[0] = l[1:]
			return l[0], true, true
		}
		return 0, false, false
	}
	best := -1
	for i := range c.lists {
		if l := c.lists[i]; len(l) > 0 && (best < 0 || l[0] < ref) {
			best, ref = i, l[0]
		}
	}
	if best < 0 {
		return 0, false, false
	}
	for i := range c.lists {
		if l := c.lists[i]; len(l) > 0 && l[0] == ref {
			inFirst = inFirst || i == 0
			c.lists[i] = l[1:]
		}
	}
	return ref, inFirst, true
}

func containsHead(heads []string, head string) bool {
	for _, h := range heads {
		if h == head {
			return true
		}
	}
	return false
}

// resourceHead returns the part of an ARN up to the first '/' of its
// resource component, or "" when s is not in ARN form.
func resourceHead(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ':':
			n++
		case '/':
			if n >= 5 {
				return s[:i]
			}
		}
	}
	if n < 5 {
		return ""
	}
	return s
}

// Policies returns the policies in the set.
func (s *Set) Policies() []*Policy { return s.policies }

// Len reports the number of policies in the set.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return len(s.policies)
}

func appendUnique(list []int32, v int32) []int32 {
	if n := len(list); n > 0 && list[n-1] == v {
		return list
	}
	return append(list, v)
}

// lowerInto lower-cases s into buf when s has upper-case ASCII letters and
// fits; lowered is false when s can be used as it is. A string too long
// for buf is lower-cased with an allocation.
func lowerInto(buf []byte, s string) (b []byte, lowered bool) {
	i := 0
	for i < len(s) && !('A' <= s[i] && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return nil, false
	}
	if len(s) > cap(buf) {
		return []byte(strings.ToLower(s)), true
	}
	buf = buf[:len(s)]
	for i := 0; i < len(s); i++ {
		buf[i] = lowerASCII(s[i])
	}
	return buf, true
}
