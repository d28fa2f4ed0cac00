package catalog

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gatehouse-dev/gatehouse/wildcard"
)

// Service is one AWS service: its prefix, its name and what it defines.
type Service struct {
	// Prefix is the service prefix used in actions, e.g. "s3". It is
	// always lower case.
	Prefix string
	// Name is the human-readable name, e.g. "Amazon S3".
	Name string

	actions       []*Action // sorted by name, ignoring case
	resourceTypes []*ResourceType
	conditionKeys []*ConditionKey
	keys          keyIndex
}

// Action is an action of a service, such as s3's GetObject.
type Action struct {
	// Name is the proper-cased action name without the service prefix,
	// e.g. "GetObject".
	Name string
	// AccessLevel classifies the action: "List", "Read", "Write",
	// "Tagging, Write" or "Permissions management, Write".
	AccessLevel string
	// ResourceTypes lists the resource types the action can be applied
	// to, in the order of the AWS reference. It is empty for actions that
	// only support "Resource": "*".
	ResourceTypes []ActionResource
	// ConditionKeys lists the condition keys the reference allows with
	// the action, whether listed for the action itself or in one of its
	// resource-type rows of the action table, sorted ignoring case.
	// Templated keys appear in template form, e.g.
	// "aws:RequestTag/${TagKey}". Keys defined for a resource type itself
	// are in [ResourceType.ConditionKeys]. Global keys that apply to every
	// action (aws:SourceIp and the like) are not listed; the aws: tag keys
	// are, for the actions the reference names them for.
	ConditionKeys []string
}

// ActionResource names a resource type an action applies to.
type ActionResource struct {
	// Name is the name of a resource type of the same service; see
	// [Service.ResourceType].
	Name string
	// Required reports whether the resource type is required (marked
	// with "*" in the reference).
	Required bool
}

// ResourceType is a resource type of a service, such as s3's "bucket".
type ResourceType struct {
	// Name is the resource type name, e.g. "bucket" or "accessPoint".
	Name string
	// ARNPatterns holds the ARN formats of the resource type, with
	// placeholders such as ${Partition} and ${Region}. Most resource
	// types have one.
	ARNPatterns []string
	// ConditionKeys lists the condition keys that apply to the resource
	// type, sorted ignoring case.
	ConditionKeys []string
}

// ConditionKey describes a condition key.
type ConditionKey struct {
	// Name is the proper-cased key, e.g. "s3:prefix". Templated keys keep
	// their variable, e.g. "aws:ResourceTag/${TagKey}".
	Name string
	// Type is the key's data type as given by the AWS reference: "String",
	// "ARN", "Numeric", "Bool", "Date", "IPAddress", or one of those
	// prefixed by "ArrayOf".
	Type string
}

// init fills s from its decoded form, checking order and references.
// levels holds the catalog's access levels.
func (s *Service) init(ws *wireService, levels []string) error {
	s.Prefix, s.Name = ws.Prefix, ws.Name
	if len(ws.Actions) == 0 {
		return fmt.Errorf("no actions")
	}

	keys := make([]ConditionKey, len(ws.ConditionKeys))
	s.conditionKeys = make([]*ConditionKey, len(keys))
	for i, k := range ws.ConditionKeys {
		if !strings.Contains(k.Name, ":") || k.Type == "" || (i > 0 && compareFold(keys[i-1].Name, k.Name) >= 0) {
			return fmt.Errorf("condition key %q invalid, out of order or duplicate", k.Name)
		}
		keys[i] = ConditionKey(k)
		s.conditionKeys[i] = &keys[i]
	}

	// Key lists and resource lists of all actions and resource types share
	// one backing array each; every list is capped so that appending to it
	// cannot overwrite its neighbour.
	nkeys, nres := 0, 0
	for _, r := range ws.ResourceTypes {
		nkeys += len(r.ConditionKeys)
	}
	for _, a := range ws.Actions {
		nkeys += len(a.ConditionKeys)
		nres += len(a.ResourceTypes)
	}
	keyNames := make([]string, 0, nkeys)
	keyList := func(idx []int) ([]string, error) {
		start := len(keyNames)
		for j, k := range idx {
			if k < 0 || k >= len(keys) || (j > 0 && k <= idx[j-1]) {
				return nil, fmt.Errorf("condition key reference %d invalid or out of order", k)
			}
			keyNames = append(keyNames, keys[k].Name)
		}
		if start == len(keyNames) {
			return nil, nil
		}
		return keyNames[start:len(keyNames):len(keyNames)], nil
	}

	resources := make([]ResourceType, len(ws.ResourceTypes))
	s.resourceTypes = make([]*ResourceType, len(resources))
	for i, r := range ws.ResourceTypes {
		if r.Name == "" || (i > 0 && compareFold(resources[i-1].Name, r.Name) >= 0) {
			return fmt.Errorf("resource type %q empty, out of order or duplicate", r.Name)
		}
		ck, err := keyList(r.ConditionKeys)
		if err != nil {
			return fmt.Errorf("resource type %s: %w", r.Name, err)
		}
		resources[i] = ResourceType{Name: r.Name, ARNPatterns: r.ARNPatterns, ConditionKeys: ck}
		s.resourceTypes[i] = &resources[i]
	}

	refs := make([]ActionResource, 0, nres)
	actions := make([]Action, len(ws.Actions))
	s.actions = make([]*Action, len(actions))
	for i, a := range ws.Actions {
		if a.Name == "" || strings.ContainsAny(a.Name, ":*?") || (i > 0 && compareFold(actions[i-1].Name, a.Name) >= 0) {
			return fmt.Errorf("action %q invalid, out of order or duplicate", a.Name)
		}
		if a.AccessLevel < 0 || a.AccessLevel >= len(levels) {
			return fmt.Errorf("action %s: access level %d out of range", a.Name, a.AccessLevel)
		}
		ck, err := keyList(a.ConditionKeys)
		if err != nil {
			return fmt.Errorf("action %s: %w", a.Name, err)
		}
		start := len(refs)
		for _, r := range a.ResourceTypes {
			if r < 0 || r/2 >= len(resources) {
				return fmt.Errorf("action %s: resource type reference %d out of range", a.Name, r)
			}
			refs = append(refs, ActionResource{Name: resources[r/2].Name, Required: r%2 == 1})
		}
		var rt []ActionResource
		if start < len(refs) {
			rt = refs[start:len(refs):len(refs)]
		}
		actions[i] = Action{Name: a.Name, AccessLevel: levels[a.AccessLevel], ResourceTypes: rt, ConditionKeys: ck}
		s.actions[i] = &actions[i]
	}
	s.keys = newKeyIndex(s.conditionKeys)
	return nil
}

// Action returns the action with the given name, ignoring case. The name
// is given without the service prefix ("GetObject"); a prefix naming this
// service ("s3:GetObject") is accepted too. Wildcards are not expanded;
// see [Service.MatchActions].
func (s *Service) Action(name string) (*Action, bool) {
	name, ok := s.trimPrefix(name)
	if !ok {
		return nil, false
	}
	i, found := s.searchAction(name)
	if !found {
		return nil, false
	}
	return s.actions[i], true
}

// Actions returns all actions of the service, sorted by name ignoring
// case. The slice is a copy; the actions are shared.
func (s *Service) Actions() []*Action { return slices.Clone(s.actions) }

// MatchActions returns the actions whose names match pattern, in which '*'
// matches any run of characters and '?' any single character, ignoring
// case (see [wildcard.MatchFold]). As with [Service.Action], the pattern
// may start with this service's prefix: "Get*" and "s3:Get*" are
// equivalent for s3. The result is sorted like [Service.Actions] and is nil
// if nothing matches.
func (s *Service) MatchActions(pattern string) []*Action {
	pattern, ok := s.trimPrefix(pattern)
	if !ok {
		return nil
	}
	// Names sharing the pattern's literal prefix are adjacent in the
	// sorted list; only that run needs matching.
	lit := pattern
	if i := strings.IndexAny(pattern, "*?"); i >= 0 {
		lit = pattern[:i]
	}
	i, _ := s.searchAction(lit)
	var out []*Action
	for ; i < len(s.actions) && hasPrefixFold(s.actions[i].Name, lit); i++ {
		if a := s.actions[i]; wildcard.MatchFold(pattern, a.Name) {
			out = append(out, a)
		}
	}
	return out
}

// ResourceType returns the resource type with the given name, ignoring
// case.
func (s *Service) ResourceType(name string) (*ResourceType, bool) {
	i, ok := slices.BinarySearchFunc(s.resourceTypes, name, func(r *ResourceType, name string) int { return compareFold(r.Name, name) })
	if !ok {
		return nil, false
	}
	return s.resourceTypes[i], true
}

// ResourceTypes returns the service's resource types, sorted by name
// ignoring case. The slice is a copy; the values are shared.
func (s *Service) ResourceTypes() []*ResourceType { return slices.Clone(s.resourceTypes) }

// ConditionKey describes a condition key that the service lists, ignoring
// case and resolving templated keys as [Catalog.ConditionKey] does. Besides
// the service's own keys (s3:...) that includes the few global and
// foreign-prefix keys the service's reference page lists, such as
// aws:RequestTag/${TagKey}; use [Catalog.ConditionKey] to resolve any key.
func (s *Service) ConditionKey(key string) (*ConditionKey, bool) {
	return s.keys.lookup(key)
}

// ConditionKeys returns the condition keys the service lists, sorted by
// name ignoring case. The slice is a copy; the values are shared.
func (s *Service) ConditionKeys() []*ConditionKey { return slices.Clone(s.conditionKeys) }

// searchAction returns the index of the first action not ordered before
// name, ignoring case, and whether it equals name.
func (s *Service) searchAction(name string) (int, bool) {
	return slices.BinarySearchFunc(s.actions, name, func(a *Action, name string) int { return compareFold(a.Name, name) })
}

// trimPrefix removes a leading "<prefix>:" naming s from name. It reports
// false if name has a prefix naming another service.
func (s *Service) trimPrefix(name string) (string, bool) {
	p, rest, ok := strings.Cut(name, ":")
	if !ok {
		return name, true
	}
	return rest, strings.EqualFold(p, s.Prefix)
}
