package api

import "sort"

// Test hooks for the package api_test tests.

// OperationNames returns the sorted operation names of a service's table
// ("iam", "sts" or "account").
func OperationNames(service string) []string {
	return operationNames(service, func(operation) bool { return true })
}

// RootOnlyOperationNames returns the sorted names of a service's
// operations reserved for the root user.
func RootOnlyOperationNames(service string) []string {
	return operationNames(service, func(o operation) bool { return o.rootOnly })
}

// ConsoleOnlyOperationNames returns the sorted names of a service's
// operations reserved for the root user's console sign-in.
func ConsoleOnlyOperationNames(service string) []string {
	return operationNames(service, func(o operation) bool { return o.consoleOnly })
}

func operationNames(service string, keep func(operation) bool) []string {
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
	var names []string
	for _, o := range ops {
		if keep(o) {
			names = append(names, o.name)
		}
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
