package op

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/authz"
)

// AccountID is the precheck of an operation with an optional AccountId
// member (Account Management, Tax Settings): none is the caller's
// account; allowSelf accepts the caller's own ID as well. Any other ID
// must be twelve digits (a ValidationException of the model's pattern)
// and is refused (authz.DenyOtherAccount).
func AccountID(c *Call, action, id string, allowSelf bool) error {
	if id == "" || allowSelf && id == c.Account() {
		return nil
	}
	if !twelveDigits(id) {
		const constraint = "Member must satisfy regular expression pattern: \\d{12}"
		return &gatehouse.ValidationError{
			Err:    gatehouse.Errorf(gatehouse.CodeInvalid, "1 validation error detected: Value at 'accountId' failed to satisfy constraint: %s", constraint),
			Reason: "fieldValidationFailed",
			Fields: []gatehouse.FieldError{{Name: "accountId", Message: constraint}},
		}
	}
	return authz.DenyOtherAccount(c.Caller, action)
}

func twelveDigits(id string) bool {
	ok := len(id) == 12
	for i := 0; ok && i < len(id); i++ {
		ok = '0' <= id[i] && id[i] <= '9'
	}
	return ok
}
