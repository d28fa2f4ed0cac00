package api

import (
	"sort"
)

// stsOperations is the STS operation table.
func stsOperations() []operation {
	return append(stsSessionOperations(), []operation{
		// GetCallerIdentity needs no permission and works even under an
		// explicit deny (aws-reference §5.3).
		legacyOp("GetCallerIdentity", opSpec[emptyIn]{
			handle: func(c *call, in *emptyIn) (any, error) {
				return struct {
					UserID  string `xml:"UserId"`
					Account string `xml:"Account"`
					Arn     string `xml:"Arn"`
				}{c.caller.UserID(), c.account(), c.caller.ARN()}, nil
			},
		}),
	}...)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
