package catalog

import (
	"slices"
	"strings"

	"github.com/gatehouse-dev/gatehouse/wildcard"
)

// Suggest returns the known name closest to action, a "prefix:Name" action
// or a bare service prefix, for use in "did you mean" messages. Distance is
// the optimal-string-alignment edit distance (Levenshtein plus adjacent
// transpositions), ignoring ASCII case; a candidate counts as close when
// its distance is at most max(2, len/4) of the misspelt part, and less than
// that part's length. Ties go to the first candidate in sorted order.
//
//   - If the prefix is known, the result is the closest action of that
//     service ("s3:GetObjet" gives "s3:GetObject"), or "" if none is close.
//     An action that exists is returned in its canonical spelling; a known
//     prefix on its own gives "".
//   - If the prefix is unknown, the close prefixes are tried, nearest first,
//     and the first one defining the action wins ("ec3:DescribeInstances"
//     gives "ec2:DescribeInstances"). Failing that, the closest action among
//     the services at the smallest prefix distance gives "prefix:Action",
//     and if there is none the nearest prefix alone is returned. A bare
//     unknown prefix ("ec3") gives the nearest prefix ("ec2"). If no prefix
//     is close, the result is "".
//   - An action part containing wildcards is never corrected: with a known
//     prefix the result is "", with an unknown prefix it is the first close
//     prefix for which the pattern matches something ("ec3:Describe*" gives
//     "ec2:Describe*"), or the nearest prefix alone.
//
// Suggest examines one service's actions, or all prefixes plus the actions
// of the nearest ones; it typically takes well under a millisecond.
func (c *Catalog) Suggest(action string) string {
	if len(action) > maxSuggestLen {
		// Longer than any service prefix and action name together: nothing
		// is a misspelling of it, and comparing would cost O(len²) per name.
		return ""
	}
	prefix, name, hasName := strings.Cut(action, ":")
	if s, ok := c.Service(prefix); ok {
		if !hasName || name == "" || wildcard.HasWildcard(name) {
			return ""
		}
		if a, d := s.closest(name); a != nil && d <= limit(len(name)) {
			return s.Prefix + ":" + a.Name
		}
		return ""
	}

	// Unknown prefix: candidate prefixes within reach, nearest first.
	type cand struct {
		s *Service
		d int
	}
	var cands []cand
	maxP := limit(len(prefix))
	for _, p := range c.prefixes {
		if d := distance(prefix, p, maxP); d <= maxP {
			cands = append(cands, cand{c.services[p], d})
		}
	}
	if len(cands) == 0 {
		return ""
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return a.d - b.d })
	nearest := cands[0].s.Prefix
	if !hasName || name == "" {
		return nearest
	}
	if wildcard.HasWildcard(name) {
		for _, cd := range cands {
			if len(cd.s.MatchActions(name)) > 0 {
				return cd.s.Prefix + ":" + name
			}
		}
		return nearest
	}
	for _, cd := range cands {
		if a, ok := cd.s.Action(name); ok {
			return cd.s.Prefix + ":" + a.Name
		}
	}
	// No candidate defines the action: look for a close one among the
	// nearest prefixes only, which bounds the work.
	maxA := limit(len(name))
	best, bestD := "", maxA+1
	for _, cd := range cands {
		if cd.d != cands[0].d {
			break
		}
		if a, d := cd.s.closest(name); a != nil && d < bestD {
			best, bestD = cd.s.Prefix+":"+a.Name, d
		}
	}
	if best != "" {
		return best
	}
	return nearest
}

// maxSuggestLen bounds the names Suggest corrects; AWS's longest service
// prefix plus action name is well under it.
const maxSuggestLen = 200

// closest returns the action nearest to name and its distance, or nil if
// none is within limit(len(name)).
func (s *Service) closest(name string) (*Action, int) {
	if i, ok := s.searchAction(name); ok {
		return s.actions[i], 0
	}
	var best *Action
	bound := limit(len(name))
	for _, a := range s.actions {
		if d := distance(name, a.Name, bound); d <= bound {
			best = a
			if d == 0 {
				return a, 0
			}
			// Only strictly better candidates from now on.
			bound = d - 1
		}
	}
	return best, bound + 1
}

// limit is the largest distance at which a name of length n still counts
// as a misspelling of a candidate.
func limit(n int) int {
	return min(max(2, n/4), n-1)
}

// distance returns the optimal-string-alignment distance between a and b,
// ignoring ASCII case, or max+1 if it exceeds max.
func distance(a, b string, max int) int {
	if max < 0 {
		return 0
	}
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	n := len(b)
	var stack [3 * 65]int
	var rows []int
	if n < 65 {
		rows = stack[:3*(n+1)]
	} else {
		rows = make([]int, 3*(n+1))
	}
	prev2, prev, cur := rows[:n+1], rows[n+1:2*(n+1)], rows[2*(n+1):]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		ca := lower(a[i-1])
		cur[0] = i
		rowMin := i
		for j := 1; j <= n; j++ {
			cb := lower(b[j-1])
			cost := 1
			if ca == cb {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ca == lower(b[j-2]) && lower(a[i-2]) == cb && ca != cb {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[n], max+1)
}
