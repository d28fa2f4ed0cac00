package api

import "sort"

// Test hooks for the package api_test tests.

// OperationNames returns the sorted operation names of a service's table
// ("iam", "sts" or "account").
func OperationNames(service string) []string {
	var ops []operation
	switch service {
	case "iam":
		ops = iamOperations()
	case "sts":
		ops = stsOperations()
	case "account":
		ops = accountMgmtOperations()
	case "gatehouse":
		ops = rootTaskOperations()
	case "tax":
		ops = taxOperations()
	case "invoicing":
		ops = invoicingOperations()
	}
	names := make([]string, len(ops))
	for i, o := range ops {
		names[i] = o.name
	}
	sort.Strings(names)
	return names
}

// AddTestOperation adds an operation that needs no permission to a
// service of s, for tests that need behaviour no real operation has (a
// handler that panics). Call it before s serves its first request.
func AddTestOperation(s *Server, service, name string, handle func() (any, error)) {
	s.init()
	s.services[service].ops[name] = op(name, opSpec[emptyIn]{
		handle: func(*call, *emptyIn) (any, error) { return handle() },
	})
}
