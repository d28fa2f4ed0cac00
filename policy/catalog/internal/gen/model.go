package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gatehouse-dev/gatehouse/policy/catalog/internal/wire"
)

// The converted catalog before packing: like the wire layout, but with
// references by name rather than by index.
type (
	catalogModel struct {
		GlobalConditionKeys []wire.ConditionKey // sorted with compareFold
		Services            []service           // sorted by prefix
	}
	service struct {
		Prefix, Name  string
		Actions       []action            // sorted with compareFold
		ResourceTypes []resourceType      // sorted with compareFold
		ConditionKeys []wire.ConditionKey // sorted with compareFold
	}
	action struct {
		Name, AccessLevel string
		ResourceTypes     []actionResource // reference order
		ConditionKeys     []string         // sorted with compareFold
	}
	actionResource struct {
		Name     string
		Required bool
	}
	resourceType struct {
		Name          string
		ARNPatterns   []string
		ConditionKeys []string // sorted with compareFold
	}
)

// pack turns names into indices, producing the wire layout.
func pack(c *catalogModel, version string) (*wire.Catalog, error) {
	w := &wire.Catalog{
		Format:              wire.Format,
		GlobalConditionKeys: c.GlobalConditionKeys,
		Source:              dataSource,
		Version:             version,
	}
	levels := make(map[string]int)
	for _, s := range c.Services {
		for _, a := range s.Actions {
			levels[a.AccessLevel] = 0
		}
	}
	for l := range levels {
		w.AccessLevels = append(w.AccessLevels, l)
	}
	slices.Sort(w.AccessLevels)
	for i, l := range w.AccessLevels {
		levels[l] = i
	}

	for _, s := range c.Services {
		keyIndex := make(map[string]int, len(s.ConditionKeys))
		for i, k := range s.ConditionKeys {
			keyIndex[strings.ToLower(k.Name)] = i
		}
		keyRefs := func(what string, keys []string) ([]int, error) {
			var out []int
			for _, k := range keys {
				i, ok := keyIndex[strings.ToLower(k)]
				if !ok {
					return nil, fmt.Errorf("%s: %s: condition key %q not defined", s.Prefix, what, k)
				}
				out = append(out, i)
			}
			slices.Sort(out)
			return out, nil
		}
		resIndex := make(map[string]int, len(s.ResourceTypes))
		ws := wire.Service{Prefix: s.Prefix, Name: s.Name, ConditionKeys: s.ConditionKeys}
		for i, r := range s.ResourceTypes {
			resIndex[r.Name] = i
			refs, err := keyRefs(r.Name, r.ConditionKeys)
			if err != nil {
				return nil, err
			}
			ws.ResourceTypes = append(ws.ResourceTypes, wire.ResourceType{Name: r.Name, ARNPatterns: r.ARNPatterns, ConditionKeys: refs})
		}
		for _, a := range s.Actions {
			wa := wire.Action{Name: a.Name, AccessLevel: levels[a.AccessLevel]}
			for _, r := range a.ResourceTypes {
				i, ok := resIndex[r.Name]
				if !ok {
					return nil, fmt.Errorf("%s:%s: resource type %q not defined", s.Prefix, a.Name, r.Name)
				}
				wa.ResourceTypes = append(wa.ResourceTypes, wire.ResourceRef(i, r.Required))
			}
			refs, err := keyRefs(a.Name, a.ConditionKeys)
			if err != nil {
				return nil, err
			}
			wa.ConditionKeys = refs
			ws.Actions = append(ws.Actions, wa)
		}
		w.Services = append(w.Services, ws)
	}
	return w, nil
}
