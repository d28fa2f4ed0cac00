// Package e2e holds Gatehouse's end-to-end tests: they build the gatehouse
// binary once, start it as a real process on a loopback port, and drive it
// the way users do, with aws-sdk-go-v2, the aws CLI and boto3. The package
// has no code besides its tests; run them with `go test ./e2e`.
// GATEHOUSE_BIN=PATH tests that binary instead of building one (make
// image-test runs TestSmoke and TestRestart on the container image's).
package e2e
