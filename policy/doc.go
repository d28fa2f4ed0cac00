// Package policy is AWS's IAM policy language: it parses policy
// documents (Parse), checks them as AWS does when they are written
// (Validate, with AWS's MalformedPolicyDocument messages), compiles them
// once (Compile), and decides one request against the policies that apply
// to it (Decide), following AWS's evaluation logic across identity-based,
// resource-based, permissions-boundary, session, SCP and RCP policies.
//
// The package is a leaf: it does no I/O and knows nothing of storage,
// HTTP or accounts. Callers gather the policies (package authz) and pass
// what validation may need to know about AWS's services and retired
// actions (ValidateOptions.Catalog, ValidateOptions.Retired).
package policy
