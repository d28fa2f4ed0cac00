// Package iam implements the business rules of the IAM service: users,
// groups, managed and inline policies, access keys, the account alias and
// the account summary, over the gatehouse.Store contract. It enforces
// AWS's name rules, quotas and DeleteConflict rules with AWS's messages.
// Authorization is not its business: the api layer authorizes every call
// before it reaches a Service method.
package iam

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/password"
)

// Service runs IAM operations for one server.
type Service struct {
	Store *gatehouse.TxStore[Tx]
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Rand is the source of IDs and secrets; nil means crypto/rand.
	Rand io.Reader
	// PasswordParams hash IAM users' console passwords; nil means
	// password.Default.
	PasswordParams *password.Params
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Second)
	}
	return time.Now().UTC().Truncate(time.Second)
}

func (s *Service) rand() io.Reader {
	if s.Rand != nil {
		return s.Rand
	}
	return rand.Reader
}

// Quotas (aws-reference §7).
const (
	MaxUsersPerAccount      = 5000
	MaxGroupsPerAccount     = 300
	MaxPoliciesPerAccount   = 1500
	MaxGroupsPerUser        = 10
	MaxManagedPerUser       = 10
	MaxManagedPerGroup      = 10
	MaxAccessKeysPerUser    = 2
	MaxVersionsPerPolicy    = 5
	MaxTagsPerResource      = 50
	MaxInlineUserPolicySize = 2048
	MaxInlineGroupSize      = 5120
	MaxManagedPolicySize    = 6144
)

// idAlphabet is the base32 alphabet of AWS unique IDs.
var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewID returns a unique ID: prefix (e.g. "AIDA") and 17 base32
// characters, as AWS's user, group, role and policy IDs look.
func (s *Service) NewID(prefix string) (string, error) {
	return s.randomID(prefix, 17)
}

// NewAccessKeyID returns "AKIA" and 16 base32 characters.
func (s *Service) NewAccessKeyID() (string, error) { return s.randomID("AKIA", 16) }

func (s *Service) randomID(prefix string, n int) (string, error) {
	b := make([]byte, 16)
	if _, err := io.ReadFull(s.rand(), b); err != nil {
		return "", fmt.Errorf("random id: %w", err)
	}
	return prefix + idEncoding.EncodeToString(b)[:n], nil
}

// NewSecretAccessKey returns a 40-character secret access key.
func (s *Service) NewSecretAccessKey() (gatehouse.Secret, error) {
	b := make([]byte, 30)
	if _, err := io.ReadFull(s.rand(), b); err != nil {
		return "", fmt.Errorf("random secret: %w", err)
	}
	return gatehouse.Secret(base64.StdEncoding.EncodeToString(b)), nil
}

// Name and path rules (aws-reference §7, botocore IAM model patterns).
var (
	namePattern       = regexp.MustCompile(`^[\w+=,.@-]+$`)
	pathPattern       = regexp.MustCompile(`^(/|/[\x{21}-\x{7E}]+/)$`)
	pathPrefixPattern = regexp.MustCompile(`^/[\x{21}-\x{7F}]*$`)
	policyPathPattern = regexp.MustCompile(`^((/[A-Za-z0-9\.,\+@=_-]+)*)/$`)
)

// descriptionPatternText is the pattern of the IAM model's
// roleDescriptionType: tab, line feed, carriage return and the printable
// characters of Latin-1, no other control character.
const descriptionPatternText = `[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*`

var descriptionPattern = regexp.MustCompile(`^[\t\n\r\x{20}-\x{7E}\x{A1}-\x{FF}]*$`)

// checkDescription validates a role description (roleDescriptionType: at
// most 1000 characters of its pattern).
func checkDescription(d string) error {
	switch {
	case utf8.RuneCountInString(d) > MaxRoleDescriptionSize:
		return validationError(d, "description", fmt.Sprintf("have length less than or equal to %d", MaxRoleDescriptionSize))
	case !descriptionPattern.MatchString(d):
		return validationError(d, "description", "satisfy regular expression pattern: "+descriptionPatternText)
	}
	return nil
}

// validationError words a constraint failure as AWS's Query services do.
func validationError(value, field, constraint string) error {
	return gatehouse.Errorf(gatehouse.CodeInvalid,
		"1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must %s", value, field, constraint)
}

// memberError words a constraint failure without echoing the value, as
// AWS words it for policy documents (whose value may be 128 KiB long).
func memberError(field, constraint string) error {
	return gatehouse.Errorf(gatehouse.CodeInvalid,
		"1 validation error detected: Value at '%s' failed to satisfy constraint: Member must %s", field, constraint)
}

func checkName(value, field string, max int) error {
	switch {
	case value == "":
		return validationError(value, field, "have length greater than or equal to 1")
	case utf8.RuneCountInString(value) > max:
		return validationError(value, field, fmt.Sprintf("have length less than or equal to %d", max))
	case !namePattern.MatchString(value):
		return validationError(value, field, `satisfy regular expression pattern: [\w+=,.@-]+`)
	}
	return nil
}

func checkPath(value, field string) error {
	switch {
	case len(value) > 512:
		return validationError(value, field, "have length less than or equal to 512")
	case !pathPattern.MatchString(value):
		return validationError(value, field, `satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)`)
	}
	return nil
}

// checkPathPrefix validates a path prefix filter (IAM's pathType).
func checkPathPrefix(value string) error {
	switch {
	case len(value) > 512:
		return validationError(value, "pathPrefix", "have length less than or equal to 512")
	case !pathPrefixPattern.MatchString(value):
		return validationError(value, "pathPrefix", `satisfy regular expression pattern: \u002F[\u0021-\u007F]*`)
	}
	return nil
}

// Patterns of the IAM model's tagKeyType and tagValueType: letters,
// separators, numbers and _.:/=+-@ (no control characters).
const (
	tagKeyPatternText   = `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`
	tagValuePatternText = `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`
)

var (
	tagKeyPattern   = regexp.MustCompile(`^` + tagKeyPatternText + `$`)
	tagValuePattern = regexp.MustCompile(`^` + tagValuePatternText + `$`)
)

// checkTagKey validates a tag key (tagKeyType: 1 to 128 characters of
// its pattern) named field.
func checkTagKey(key, field string) error {
	switch n := utf8.RuneCountInString(key); {
	case n < 1:
		return validationError(key, field, "have length greater than or equal to 1")
	case n > 128:
		return validationError(key, field, "have length less than or equal to 128")
	case !tagKeyPattern.MatchString(key):
		return validationError(key, field, "satisfy regular expression pattern: "+tagKeyPatternText)
	}
	return nil
}

// checkTagKeys validates the keys of an Untag operation (tagKeyListType:
// at most 50 tagKeyType), worded as AWS words a constraint on the members
// of a list of strings.
func checkTagKeys(keys []string) error {
	if len(keys) > MaxTagsPerResource {
		return validationError(fmt.Sprint(len(keys)), "tagKeys", fmt.Sprintf("have length less than or equal to %d", MaxTagsPerResource))
	}
	value := "[" + strings.Join(keys, ", ") + "]"
	for _, k := range keys {
		switch n := utf8.RuneCountInString(k); {
		case n < 1:
			return validationError(value, "tagKeys", "satisfy constraint: [Member must have length greater than or equal to 1]")
		case n > 128:
			return validationError(value, "tagKeys", "satisfy constraint: [Member must have length less than or equal to 128]")
		case !tagKeyPattern.MatchString(k):
			return validationError(value, "tagKeys", "satisfy constraint: [Member must satisfy regular expression pattern: "+tagKeyPatternText+"]")
		}
	}
	return nil
}

func checkTags(tags []gatehouse.Tag) error {
	if len(tags) > MaxTagsPerResource {
		return validationError("tags", "tags", "have length less than or equal to 50")
	}
	seen := map[string]bool{}
	for i, t := range tags {
		if err := checkTagKey(t.Key, fmt.Sprintf("tags.%d.member.key", i+1)); err != nil {
			return err
		}
		valueField := fmt.Sprintf("tags.%d.member.value", i+1)
		switch {
		case utf8.RuneCountInString(t.Value) > 256:
			return validationError(t.Value, valueField, "have length less than or equal to 256")
		case !tagValuePattern.MatchString(t.Value):
			return validationError(t.Value, valueField, "satisfy regular expression pattern: "+tagValuePatternText)
		case strings.HasPrefix(strings.ToLower(t.Key), "aws:"):
			return gatehouse.Errorf(gatehouse.CodeInvalidInput, "User-defined tags can't start with 'aws:'.")
		}
		if seen[strings.ToLower(t.Key)] {
			return gatehouse.Errorf(gatehouse.CodeInvalidInput, "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[strings.ToLower(t.Key)] = true
	}
	return nil
}

// addTags adds or replaces tags by key (ignoring case), refusing to go
// past the per-resource quota.
func addTags(have, add []gatehouse.Tag) ([]gatehouse.Tag, error) {
	out := append([]gatehouse.Tag(nil), have...)
	for _, t := range add {
		replaced := false
		for i := range out {
			if strings.EqualFold(out[i].Key, t.Key) {
				out[i] = t
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, t)
		}
	}
	if len(out) > MaxTagsPerResource {
		return nil, gatehouse.Errorf(gatehouse.CodeLimit, "The number of tags has reached the maximum limit.")
	}
	return out, nil
}

func removeTags(have []gatehouse.Tag, keys []string) []gatehouse.Tag {
	var out []gatehouse.Tag
	for _, t := range have {
		drop := false
		for _, k := range keys {
			if strings.EqualFold(t.Key, k) {
				drop = true
				break
			}
		}
		if !drop {
			out = append(out, t)
		}
	}
	return out
}

func orSlash(path string) string {
	if path == "" {
		return "/"
	}
	return path
}
