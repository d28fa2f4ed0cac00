package api

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
