package policy

import (
	"sort"
	"strings"

	"github.com/gatehouse-dev/gatehouse/arn"
)

// MissingContextKeys returns the condition keys that statements applying
// to the request's action and resource test but that the request's
// context lacks, sorted and without duplicates (keys differing only in
// case count once). IAM's policy simulator reports them as
// MissingContextValues.
func MissingContextKeys(req *Request, p *Policies) []string {
	e := evaluation{req: req}
	e.service, e.name, _ = strings.Cut(req.Action, ":")
	e.head = resourceHead(req.Resource)
	e.resParts, e.resIsARN = arn.Split(req.Resource)
	seen := map[string]string{}
	visit := func(s *Set) {
		if s == nil {
			return
		}
		cs := s.candidates(e.service, e.name, e.head)
		for c, ok := cs.next(); ok; c, ok = cs.next() {
			st := s.refs[c.ref].st
			if !c.actionKnown && !st.actionApplies(&e) || !st.resourceApplies(&e) {
				continue
			}
			for i := range st.conditions {
				cond := &st.conditions[i]
				if cond.op == opNull {
					continue // Null tests absence on purpose
				}
				if len(req.Context.lookup(cond.key)) == 0 {
					if _, ok := seen[cond.key]; !ok {
						seen[cond.key] = cond.name
					}
				}
			}
		}
	}
	for _, s := range []*Set{p.Identity, p.Boundary, p.Session, p.Resource} {
		visit(s)
	}
	for _, chain := range [][]*Set{p.SCP, p.RCP} {
		for _, s := range chain {
			visit(s)
		}
	}
	out := make([]string, 0, len(seen))
	for _, name := range seen {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}
