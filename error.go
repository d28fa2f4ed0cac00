package gatehouse

import (
	"errors"
	"fmt"
)

// Code says what went wrong, in the domain's words. The domain never
// spells AWS's error codes: each codec (api/query, api/restjson,
// api/awsjson) spells a Code as the AWS service it speaks does, and gives
// it that service's HTTP status. Every Code in Codes has a spelling in
// every codec (api's TestEveryCodeIsSpelled).
//
// A Code outside Codes is a wire code the edge raised itself (a
// protocol or signature failure such as MalformedQueryString); the
// codecs send it as it is.
type Code string

// The domain's error codes.
const (
	// CodeNotFound: the named thing does not exist.
	CodeNotFound Code = "not-found"
	// CodeAlreadyExists: a create collides with an existing name.
	CodeAlreadyExists Code = "already-exists"
	// CodeConflict: the thing's current state does not allow the change.
	CodeConflict Code = "conflict"
	// CodeDeleteConflict: the thing is still in use and cannot be deleted.
	CodeDeleteConflict Code = "delete-conflict"
	// CodeConcurrentModification: another change is in progress.
	CodeConcurrentModification Code = "concurrent-modification"
	// CodeLimit: a quota is reached.
	CodeLimit Code = "limit"
	// CodeInvalid: a parameter breaks its constraints (length, pattern,
	// range, required) as the service's model states them.
	CodeInvalid Code = "invalid"
	// CodeInvalidInput: a parameter is well formed but not acceptable
	// (IAM's InvalidInput).
	CodeInvalidInput Code = "invalid-input"
	// CodeInvalidParameter: a parameter names something the service
	// cannot use (STS's InvalidParameterValue).
	CodeInvalidParameter Code = "invalid-parameter"
	// CodeMalformedPolicy: a policy document breaks the policy grammar.
	CodeMalformedPolicy Code = "malformed-policy"
	// CodeNotAttachable: the policy cannot be attached to this entity.
	CodeNotAttachable Code = "not-attachable"
	// CodeUnmodifiable: the entity is managed by AWS and cannot change.
	CodeUnmodifiable Code = "unmodifiable"
	// CodeDenied: the caller is not authorized.
	CodeDenied Code = "denied"
	// CodeInvalidMFACode: an MFA code does not verify.
	CodeInvalidMFACode Code = "invalid-mfa-code"
	// CodePasswordPolicyViolation: a password breaks the account's
	// password policy.
	CodePasswordPolicyViolation Code = "password-policy-violation"
	// CodeInvalidUserType: the operation is for IAM users, not this
	// kind of caller.
	CodeInvalidUserType Code = "invalid-user-type"
	// CodeReportNotPresent: no credential report has been generated.
	CodeReportNotPresent Code = "report-not-present"
	// CodeReportExpired: the credential report is too old to return.
	CodeReportExpired Code = "report-expired"
	// CodePolicyEvaluation: a simulation could not be evaluated.
	CodePolicyEvaluation Code = "policy-evaluation"
	// CodeInternal: anything else; the details are logged, not sent.
	CodeInternal Code = "internal"
)

// Codes lists every domain Code.
var Codes = []Code{
	CodeNotFound, CodeAlreadyExists, CodeConflict, CodeDeleteConflict, CodeConcurrentModification,
	CodeLimit, CodeInvalid, CodeInvalidInput, CodeInvalidParameter, CodeMalformedPolicy,
	CodeNotAttachable, CodeUnmodifiable, CodeDenied, CodeInvalidMFACode,
	CodePasswordPolicyViolation, CodeInvalidUserType, CodeReportNotPresent, CodeReportExpired,
	CodePolicyEvaluation, CodeInternal,
}

// Error is an error with a Code and a message safe to show the caller.
// Messages never contain secrets.
type Error struct {
	Code    Code
	Message string
	// Details are named values that some protocols show with the error
	// (S3's <BucketName>, <Key>, <Condition>...), in order. They are as
	// safe to show as Message.
	Details []Detail
}

// Detail is one named value of an Error's details.
type Detail struct{ Name, Value string }

// With returns e with one more detail.
func (e *Error) With(name, value string) *Error {
	e.Details = append(e.Details, Detail{name, value})
	return e
}

// ErrorDetails returns the details of the *Error in err's chain.
func ErrorDetails(err error) []Detail {
	var e *Error
	if errors.As(err, &e) {
		return e.Details
	}
	return nil
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the *Error in err's chain, or
// CodeInternal for any other non-nil error.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the message of the *Error in err's chain; other
// errors are internal and get a generic message (the details are logged
// once, at the edge).
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "An internal error occurred."
}

// PolicyFindingError returns the error of a policy validation finding
// (policy.Finding's Code and Message): the policy package names its
// errors as IAM's policy validation does, and this gives them their
// domain Code.
func PolicyFindingError(findingCode, message string) *Error {
	code := CodeMalformedPolicy
	switch findingCode {
	case "LimitExceeded":
		code = CodeLimit
	case "ValidationError":
		code = CodeInvalid
	}
	return &Error{Code: code, Message: message}
}
