package policy

import (
	"slices"
	"strings"
)

// Set is a compiled group of policies of one type (for example all the
// identity policies of a user and its groups), indexed so that a decision
// only visits the statements that can apply: by service prefix, by action
// name, then by the head of the resource ARN (up to the first '/' of its
// resource component, e.g. "arn:aws:s3:::bucket"). A Set is immutable and
// safe for concurrent use.
type Set struct {
	policies []*Policy
	refs     []stmtRef
	// byService indexes statements by lower-cased service prefix.
	byService map[string]*serviceIndex
	// global holds the statements that may match any service: "*",
	// NotAction and wildcard service prefixes.
	global *bucket
}

type stmtRef struct {
	policy int32
	st     *statement
}

type serviceIndex struct {
	byAction map[string]*bucket // lower-cased action name → candidates
	rest     *bucket            // candidates for every other action
}

// bucket holds the candidate statements for one action, split by the
// literal head of their resource patterns.
type bucket struct {
	heads map[string][]cand // resource head → candidates (incl. wild), sorted
	wild  []cand            // statements whose resources may match any head
}

// cand is a candidate statement. actionKnown is set when the index
// already proves that the statement's Action names the request's action.
type cand struct {
	ref         int32
	actionKnown bool
}

// NewSet builds a Set from compiled policies. Nil policies are skipped.
func NewSet(policies ...*Policy) *Set {
	s := &Set{byService: map[string]*serviceIndex{}}
	exact := map[string]map[string][]int32{}
	svcWide := map[string][]int32{}
	var global []int32
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
			if st.notAction {
				global = append(global, ref)
				continue
			}
			for _, a := range st.actions {
				switch {
				case a.all || a.noColon || a.svcWild:
					global = appendUnique(global, ref)
				case a.name.isLiteral:
					if exact[a.service] == nil {
						exact[a.service] = map[string][]int32{}
					}
					exact[a.service][a.name.literal] = appendUnique(exact[a.service][a.name.literal], ref)
				default:
					svcWide[a.service] = appendUnique(svcWide[a.service], ref)
				}
			}
		}
	}
	s.global = s.newBucket(global)
	services := map[string]bool{}
	for svc := range exact {
		services[svc] = true
	}
	for svc := range svcWide {
		services[svc] = true
	}
	for svc := range services {
		rest := merge(svcWide[svc], global)
		idx := &serviceIndex{byAction: map[string]*bucket{}, rest: s.newBucket(rest)}
		for name, refs := range exact[svc] {
			b := s.newBucket(merge(refs, rest))
			b.markKnown(refs, s)
			idx.byAction[name] = b
		}
		s.byService[svc] = idx
	}
	return s
}

func (s *Set) newBucket(refs []int32) *bucket {
	heads := map[string][]int32{}
	var wild []int32
	for _, ref := range refs {
		st := s.refs[ref].st
		if st.wildHeads {
			wild = append(wild, ref)
			continue
		}
		for _, h := range st.heads {
			heads[h] = appendUnique(heads[h], ref)
		}
	}
	b := &bucket{heads: make(map[string][]cand, len(heads)), wild: cands(wild)}
	for h, list := range heads {
		b.heads[h] = cands(merge(list, wild))
	}
	return b
}

func cands(refs []int32) []cand {
	out := make([]cand, len(refs))
	for i, r := range refs {
		out[i].ref = r
	}
	return out
}

// markKnown flags the candidates that name the bucket's action literally
// (and so need no action check).
func (b *bucket) markKnown(exact []int32, s *Set) {
	mark := func(list []cand) {
		for i := range list {
			if _, found := slices.BinarySearch(exact, list[i].ref); found && !s.refs[list[i].ref].st.notAction {
				list[i].actionKnown = true
			}
		}
	}
	mark(b.wild)
	for _, list := range b.heads {
		mark(list)
	}
}

func (b *bucket) candidates(head string) []cand {
	if list, ok := b.heads[head]; ok {
		return list
	}
	return b.wild
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

func merge(a, b []int32) []int32 {
	out := make([]int32, 0, len(a)+len(b))
	out = append(out, a...)
	out = append(out, b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// candidates returns the statements that may match action on a resource
// with the given head.
func (s *Set) candidates(service, name, head string) []cand {
	var buf [128]byte
	var idx *serviceIndex
	var ok bool
	if b, lowered := lowerInto(buf[:0], service); lowered {
		idx, ok = s.byService[string(b)] // no allocation: map index of a byte conversion
	} else {
		idx, ok = s.byService[service]
	}
	if !ok {
		return s.global.candidates(head)
	}
	var bk *bucket
	if b, lowered := lowerInto(buf[:0], name); lowered {
		bk, ok = idx.byAction[string(b)]
	} else {
		bk, ok = idx.byAction[name]
	}
	if !ok {
		bk = idx.rest
	}
	return bk.candidates(head)
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
