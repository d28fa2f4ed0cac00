package catalog

import "github.com/gatehouse-dev/gatehouse/wildcard"

// KnownService reports whether prefix names an AWS service. With
// MatchingActions, KnownConditionKey and Suggest it lets a Catalog serve
// as the policy validator's catalog.
func (c *Catalog) KnownService(prefix string) bool {
	_, ok := c.Service(prefix)
	return ok
}

// MatchingActions reports how many actions of the service match the name
// pattern (case-insensitive, with * and ? wildcards), and the proper name
// of the first of them.
func (c *Catalog) MatchingActions(prefix, namePattern string) (n int, example string) {
	s, ok := c.Service(prefix)
	if !ok {
		return 0, ""
	}
	if !wildcard.HasWildcard(namePattern) {
		if a, ok := s.Action(namePattern); ok {
			return 1, a.Name
		}
		return 0, ""
	}
	matches := s.MatchActions(namePattern)
	if len(matches) == 0 {
		return 0, ""
	}
	return len(matches), matches[0].Name
}

// KnownConditionKey reports whether key is a known global or service
// condition key.
func (c *Catalog) KnownConditionKey(key string) bool {
	_, ok := c.ConditionKey(key)
	return ok
}
