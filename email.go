package gatehouse

import (
	"regexp"
	"unicode/utf8"
)

// EmailPattern is the pattern of a root user's email address, as the
// gatehouse service (StartRootEmailUpdate, ConfirmRootEmailUpdate) and
// account creation check it: the Account Management API model's
// EmailAddress pattern (`[\s]*[\w+=.#|!&-]+@[\w.-]+\.[\w]+[\s]*`) without
// the white space it allows around the address. \w is ASCII letters,
// digits and underscore, so no control character, no space, no line
// separator and no display name ("Name <a@b>") can be part of an address
// that goes into outbox messages and SMTP envelopes.
const EmailPattern = `[\w+=.#|!&-]+@[\w.-]+\.[\w]+`

// MaxEmailLength is the longest root email address, in characters: the
// maximum of the same model's EmailAddress.
const MaxEmailLength = 254

var emailRE = regexp.MustCompile(`^` + EmailPattern + `$`)

// ValidEmail reports whether s is a root email address Gatehouse accepts:
// EmailPattern, at most MaxEmailLength characters.
func ValidEmail(s string) bool {
	return utf8.RuneCountInString(s) <= MaxEmailLength && emailRE.MatchString(s)
}
