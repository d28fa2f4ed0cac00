package policy

import (
	"slices"
	"strings"
)

// Set is a compiled group of policies of one type (for example all the
// identity policies of a user and its groups), indexed by action so that
// a decision only visits the statements that can apply. A Set is immutable
// and safe for concurrent use.
type Set struct {
	policies []*Policy
	refs     []stmtRef
	// byService indexes statements by lower-cased service prefix.
	byService map[string]*serviceIndex
	// global lists statements that may match any service: "*", NotAction
	// and wildcard service prefixes.
	global []int32
}

type stmtRef struct {
	policy int32
	st     *statement
}

type serviceIndex struct {
	byAction map[string][]int32 // lower-cased action name → candidates
	rest     []int32            // candidates for every other action
}

// NewSet builds a Set from compiled policies. Nil policies are skipped.
func NewSet(policies ...*Policy) *Set {
	s := &Set{byService: map[string]*serviceIndex{}}
	exact := map[string]map[string][]int32{}
	svcWide := map[string][]int32{}
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
				s.global = append(s.global, ref)
				continue
			}
			for _, a := range st.actions {
				switch {
				case a.all || a.noColon || a.svcWild:
					s.global = appendUnique(s.global, ref)
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
	services := map[string]bool{}
	for svc := range exact {
		services[svc] = true
	}
	for svc := range svcWide {
		services[svc] = true
	}
	for svc := range services {
		idx := &serviceIndex{byAction: map[string][]int32{}, rest: merge(svcWide[svc], s.global)}
		for name, refs := range exact[svc] {
			idx.byAction[name] = merge(refs, idx.rest)
		}
		s.byService[svc] = idx
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

// candidates returns the statements whose actions may match action.
func (s *Set) candidates(service, name string) []int32 {
	var buf [128]byte
	var idx *serviceIndex
	var ok bool
	if b, lowered := lowerInto(buf[:0], service); lowered {
		idx, ok = s.byService[string(b)] // no allocation: map index of a byte conversion
	} else {
		idx, ok = s.byService[service]
	}
	if !ok {
		return s.global
	}
	var refs []int32
	if b, lowered := lowerInto(buf[:0], name); lowered {
		refs, ok = idx.byAction[string(b)]
	} else {
		refs, ok = idx.byAction[name]
	}
	if ok {
		return refs
	}
	return idx.rest
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
