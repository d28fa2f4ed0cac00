package s3

import (
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// ParseMFAHeader reads an x-amz-mfa header: the device's serial number
// (a hardware serial or a virtual device's ARN), one space, and the
// current six-digit code (aws-s3.md §8). Anything else is S3's
// InvalidArgument.
func ParseMFAHeader(v string) (serial, code string, err error) {
	serial, code, ok := strings.Cut(v, " ")
	if !ok || serial == "" || len(serial) > 256 || !isDigits(code) || len(code) != 6 || strings.ContainsAny(serial, " \t\r\n") {
		return "", "", gatehouse.Errorf(CodeInvalidArgument, "Mfa header is invalid -- the header should be formatted as {serialNumber}(space){tokenCode}").
			With("ArgumentName", "x-amz-mfa")
	}
	return serial, code, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ErrMFARequired is S3's answer to a change that MFA delete protects,
// made without x-amz-mfa.
func ErrMFARequired() error {
	return gatehouse.Errorf(gatehouse.CodeDenied, "Mfa Authentication must be used for this request")
}
