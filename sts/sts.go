// Package sts implements the business rules of the Security Token
// Service: issuing temporary credentials for role sessions (AssumeRole)
// and user sessions (GetSessionToken). Authorization, including the role
// trust policy, is decided before a Service method runs.
package sts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse"
)

// Service issues temporary credentials.
type Service struct {
	Store *gatehouse.TxStore[Tx]
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Rand is the source of keys and tokens; nil means crypto/rand.
	Rand io.Reader
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

// Session duration limits (aws-reference §6.2).
const (
	MinDuration            = 900
	DefaultRoleDuration    = 3600
	ChainedMaxDuration     = 3600
	DefaultSessionDuration = 43200
	MaxSessionDuration     = 129600
	RootMaxDuration        = 3600
	MaxSessionPolicySize   = 2048
	MaxSessionPolicyARNs   = 10
)

var sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]*$`)

func validation(value, field, constraint string) error {
	return gatehouse.Errorf(gatehouse.CodeInvalid,
		"1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must %s", value, field, constraint)
}

// Credentials are freshly issued temporary credentials. The session
// token is returned once; only its hash is stored.
type Credentials struct {
	Session *gatehouse.Session
	Token   gatehouse.Secret
	// PackedPolicySize is, for a role session passed session policies,
	// their PackedPolicySize; nil otherwise.
	PackedPolicySize *int
}

// AssumeRoleInput is the input of AssumeRole after authorization.
type AssumeRoleInput struct {
	Role            *gatehouse.Role
	RoleSessionName string
	DurationSeconds *int
	Policy          string
	PolicyARNs      []string
	SourceIdentity  string
	// Tags are the session tags (checked with CheckSessionTags).
	Tags []gatehouse.Tag
	// Chained is set when the caller is itself a role session.
	Chained bool
	// MFAAuthenticated and MFAAuthTime carry the caller's MFA state.
	MFAAuthenticated bool
	MFAAuthTime      time.Time
}

// MaxSessionTags is how many session tags AssumeRole takes.
const MaxSessionTags = 50

// CheckSessionTags validates AssumeRole's session tags as the STS model
// does: at most 50, keys of 1 to 128 characters without the aws: prefix,
// values of at most 256, no key twice (ignoring case), and no control
// characters.
func CheckSessionTags(tags []gatehouse.Tag) error {
	if len(tags) > MaxSessionTags {
		return validation(fmt.Sprint(len(tags)), "tags", fmt.Sprintf("have length less than or equal to %d", MaxSessionTags))
	}
	seen := make(map[string]bool, len(tags))
	for i, t := range tags {
		field := fmt.Sprintf("tags.%d.member.key", i+1)
		switch {
		case len(t.Key) < 1:
			return validation(t.Key, field, "have length greater than or equal to 1")
		case utf8.RuneCountInString(t.Key) > 128:
			return validation(t.Key, field, "have length less than or equal to 128")
		case !tagTextPattern.MatchString(t.Key):
			return validation(t.Key, field, `satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`)
		case utf8.RuneCountInString(t.Value) > 256:
			return validation(t.Value, fmt.Sprintf("tags.%d.member.value", i+1), "have length less than or equal to 256")
		case t.Value != "" && !tagTextPattern.MatchString(t.Value):
			return validation(t.Value, fmt.Sprintf("tags.%d.member.value", i+1), `satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]*`)
		}
		if len(t.Key) >= 4 && strings.EqualFold(t.Key[:4], "aws:") {
			return gatehouse.Errorf(gatehouse.CodeInvalidInput, "Tag keys may not start with the reserved prefix aws:.")
		}
		k := strings.ToLower(t.Key)
		if seen[k] {
			return gatehouse.Errorf(gatehouse.CodeInvalidInput, "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[k] = true
	}
	return nil
}

// tagTextPattern is the STS model's pattern of tag keys and values.
var tagTextPattern = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$`)

// CheckSessionName validates a RoleSessionName.
func CheckSessionName(name string) error {
	switch {
	case len(name) < 2:
		return validation(name, "roleSessionName", "have length greater than or equal to 2")
	case len(name) > 64:
		return validation(name, "roleSessionName", "have length less than or equal to 64")
	case !sessionNamePattern.MatchString(name):
		return validation(name, "roleSessionName", `satisfy regular expression pattern: [\w+=,.@-]*`)
	}
	return nil
}

// CheckAssumeRoleParams applies the AssumeRole request's constraints
// from the STS model; AWS checks them before anything else, so a bad
// request is a ValidationError even when the caller may not assume the
// role.
func CheckAssumeRoleParams(sessionName string, durationSeconds *int, policy string, policyARNs int) error {
	if err := CheckSessionName(sessionName); err != nil {
		return err
	}
	if durationSeconds != nil {
		d := *durationSeconds
		if d < MinDuration {
			return validation(fmt.Sprint(d), "durationSeconds", fmt.Sprintf("have value greater than or equal to %d", MinDuration))
		}
		if d > 43200 {
			return validation(fmt.Sprint(d), "durationSeconds", "have value less than or equal to 43200")
		}
	}
	if len(policy) > MaxSessionPolicySize {
		return validation("policy", "policy", fmt.Sprintf("have length less than or equal to %d", MaxSessionPolicySize))
	}
	if policyARNs > MaxSessionPolicyARNs {
		return validation("policyArns", "policyArns", fmt.Sprintf("have length less than or equal to %d", MaxSessionPolicyARNs))
	}
	return nil
}

// AssumeRole issues credentials for a session of in.Role. It checks the
// request's parameters (CheckAssumeRoleParams), then its inline session
// policy (CheckSessionPolicy), then the duration against the role.
func (s *Service) AssumeRole(ctx context.Context, in AssumeRoleInput) (*Credentials, error) {
	if err := CheckAssumeRoleParams(in.RoleSessionName, in.DurationSeconds, in.Policy, len(in.PolicyARNs)); err != nil {
		return nil, err
	}
	if err := CheckSessionPolicy(in.Policy); err != nil {
		return nil, err
	}
	duration := DefaultRoleDuration
	if in.DurationSeconds != nil {
		duration = *in.DurationSeconds
		if in.Chained && duration > ChainedMaxDuration {
			return nil, gatehouse.Errorf(gatehouse.CodeInvalid, "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
		}
		if duration > in.Role.MaxSessionDuration {
			return nil, gatehouse.Errorf(gatehouse.CodeInvalid, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
		}
	}
	sess := &gatehouse.Session{
		AccountID: in.Role.AccountID, Kind: gatehouse.SessionRole, RoleName: in.Role.Name, RoleID: in.Role.ID,
		SessionName: in.RoleSessionName, SessionPolicy: in.Policy, PolicyARNs: in.PolicyARNs,
		MFAAuthenticated: in.MFAAuthenticated, MFAAuthTime: in.MFAAuthTime, Chained: in.Chained,
		SourceIdentity: in.SourceIdentity, Tags: in.Tags,
	}
	cr, err := s.issue(ctx, sess, time.Duration(duration)*time.Second, func(tx Tx) error {
		r, err := tx.Role(in.Role.AccountID, in.Role.Name)
		if err != nil {
			return err
		}
		now := s.now()
		if r.LastUsed != nil && now.Sub(*r.LastUsed) >= 0 && now.Sub(*r.LastUsed) < RoleLastUsedInterval {
			return nil // recent enough: no write, so caches keep (see RoleLastUsedInterval)
		}
		r.LastUsed = &now
		return tx.UpdateRole(r.Name, r)
	})
	if err != nil {
		return nil, err
	}
	if in.Policy != "" || len(in.PolicyARNs) > 0 {
		size := PackedPolicySize(in.Policy, len(in.PolicyARNs))
		cr.PackedPolicySize = &size
	}
	return cr, nil
}

// RoleLastUsedInterval is how often AssumeRole records a role's last use.
// Recording it changes the role, which empties the identity and policy
// caches; AWS's RoleLastUsed is not exact to the request either (it may
// lag by hours), so a busy role costs one such write a minute, not one
// per session.
const RoleLastUsedInterval = time.Minute

// GetSessionTokenInput is the input of GetSessionToken.
type GetSessionTokenInput struct {
	AccountID string
	// UserName is the calling IAM user, "" for root, and UserID its
	// unique ID, which binds the session to that user.
	UserName         string
	UserID           string
	DurationSeconds  *int
	MFAAuthenticated bool
	// SignIn marks the root user's console sign-in session.
	SignIn bool
}

// GetSessionToken issues credentials for a session of a user or of root
// (at most one hour for root).
func (s *Service) GetSessionToken(ctx context.Context, in GetSessionTokenInput) (*Credentials, error) {
	sess, d, err := s.sessionToken(in)
	if err != nil {
		return nil, err
	}
	return s.issue(ctx, sess, d, nil)
}

// GetSessionTokenIn is GetSessionToken in the caller's transaction, for
// a caller that stores more with the session (root sign-in writes its
// notice with it): its transaction type embeds Tx.
func (s *Service) GetSessionTokenIn(tx Tx, in GetSessionTokenInput) (*Credentials, error) {
	sess, d, err := s.sessionToken(in)
	if err != nil {
		return nil, err
	}
	token, err := s.fill(sess, d)
	if err != nil {
		return nil, err
	}
	if err := tx.CreateSession(sess); err != nil {
		return nil, err
	}
	return &Credentials{Session: sess, Token: token}, nil
}

// sessionToken checks GetSessionToken's input and returns the session to
// issue and its lifetime.
func (s *Service) sessionToken(in GetSessionTokenInput) (*gatehouse.Session, time.Duration, error) {
	duration := DefaultSessionDuration
	if in.UserName == "" {
		duration = RootMaxDuration
	}
	if in.DurationSeconds != nil {
		duration = *in.DurationSeconds
		switch {
		case duration < MinDuration:
			return nil, 0, validation(fmt.Sprint(duration), "durationSeconds", fmt.Sprintf("have value greater than or equal to %d", MinDuration))
		case duration > MaxSessionDuration:
			return nil, 0, validation(fmt.Sprint(duration), "durationSeconds", fmt.Sprintf("have value less than or equal to %d", MaxSessionDuration))
		}
		if in.UserName == "" && duration > RootMaxDuration {
			duration = RootMaxDuration // AWS caps root sessions silently at one hour
		}
	}
	sess := &gatehouse.Session{AccountID: in.AccountID, Kind: gatehouse.SessionUser, UserName: in.UserName,
		UserID: in.UserID, MFAAuthenticated: in.MFAAuthenticated, SignIn: in.SignIn && in.UserName == ""}
	if in.MFAAuthenticated {
		sess.MFAAuthTime = s.now()
	}
	return sess, time.Duration(duration) * time.Second, nil
}

var keyEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// issue fills in keys, token and times, and stores the session (with
// also, when set, in the same transaction).
func (s *Service) issue(ctx context.Context, sess *gatehouse.Session, d time.Duration, also func(tx Tx) error) (*Credentials, error) {
	token, err := s.fill(sess, d)
	if err != nil {
		return nil, err
	}
	err = s.Store.Update(ctx, func(tx Tx) error {
		if err := tx.CreateSession(sess); err != nil {
			return err
		}
		if also != nil {
			return also(tx)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Credentials{Session: sess, Token: token}, nil
}

// fill gives the session new keys, its token's hash and its times (d
// from now), and returns the token.
func (s *Service) fill(sess *gatehouse.Session, d time.Duration) (gatehouse.Secret, error) {
	b := make([]byte, 16+30+64)
	if _, err := io.ReadFull(s.rand(), b); err != nil {
		return "", fmt.Errorf("sts: random: %w", err)
	}
	sess.AccessKeyID = "ASIA" + keyEncoding.EncodeToString(b[:16])[:16]
	sess.Secret = gatehouse.Secret(base64.StdEncoding.EncodeToString(b[16:46]))
	token := gatehouse.Secret("GHST" + base64.StdEncoding.EncodeToString(b[46:]))
	sum := sha256.Sum256([]byte(token))
	sess.TokenHash = sum[:]
	sess.IssuedAt = s.now()
	sess.Expiration = sess.IssuedAt.Add(d)
	return token, nil
}

// TokenMatches reports whether token is the session's token, comparing
// hashes in constant time.
func TokenMatches(sess *gatehouse.Session, token string) bool {
	sum := sha256.Sum256([]byte(token))
	return len(sess.TokenHash) == len(sum) && subtleEqual(sess.TokenHash, sum[:])
}
