package gatehouse

import (
	"errors"
	"fmt"
)

// Error codes are AWS's error codes; the api package maps each to its
// HTTP status and envelope.
const (
	ENoSuchEntity           = "NoSuchEntity"
	EEntityAlreadyExists    = "EntityAlreadyExists"
	ELimitExceeded          = "LimitExceeded"
	EDeleteConflict         = "DeleteConflict"
	EMalformedPolicy        = "MalformedPolicyDocument"
	EInvalidInput           = "InvalidInput"
	EValidation             = "ValidationError"
	EAccessDenied           = "AccessDenied"
	EPolicyNotAttachable    = "PolicyNotAttachable"
	EUnmodifiableEntity     = "UnmodifiableEntity"
	EConcurrentModification = "ConcurrentModification"
	EServiceFailure         = "ServiceFailure"
)

// Error is an error with an AWS error code and a message safe to show the
// caller. Messages never contain secrets.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the *Error in err's chain, or
// EServiceFailure for any other non-nil error.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EServiceFailure
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
