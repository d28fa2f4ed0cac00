package api

import (
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/internal/wire"
	"github.com/gatehouse-dev/gatehouse/api/query"
)

// Lost root credentials (docs/root-tasks.md, "Lost root credentials"):
// AWS's "Forgot password?" for the root user, as two unsigned JSON
// requests beside the sign-in. The first sends a one-time code to the
// root email address and answers the same whether or not the address is
// a root user's; the second sets a new password with that code. Both are
// throttled like the sign-in and audited as service "signin"
// (PasswordRecoveryRequested, PasswordRecoveryCompleted). The password
// and the code appear in no log, error or audit record.

// Where the recovery requests are POSTed.
const (
	forgotPasswordPath = "/_gatehouse/forgot-password"
	resetPasswordPath  = "/_gatehouse/reset-password"
)

// forgotPasswordAnswer is the one answer to a forgot-password request.
const forgotPasswordAnswer = "If a root user has this email address, a password reset code was sent to it. The code expires in 1 hour and works once."

type forgotPasswordIn struct {
	Email string
}

type resetPasswordIn struct {
	Email       string
	Code        string
	NewPassword string
}

type forgotPasswordOut struct {
	Message string
}

type resetPasswordOut struct {
	AccountId   string
	RootUserArn string
	// MFARequired tells that signing in still needs an MFA code: a reset
	// does not remove root's MFA devices.
	MFARequired bool
	Message     string
}

// unsignedCall is the shared frame of the unsigned recovery requests:
// the audit record, the log line and the error answer.
type unsignedCall struct {
	s      *Server
	w      http.ResponseWriter
	r      *http.Request
	reqID  string
	rec    *gatehouse.AuditRecord
	code   string         // as written, for the log and the audit
	failed gatehouse.Code // the code of the error the request ended with
	action string
}

func (s *Server) newUnsignedCall(w http.ResponseWriter, r *http.Request, action string) *unsignedCall {
	start := s.now()
	reqID := newRequestID()
	rec := newAuditRecord(start, reqID, r)
	rec.Speller = query.Codec{}
	rec.Service, rec.Action, rec.PrincipalType = "signin", action, gatehouse.PrincipalAnonymous
	return &unsignedCall{s: s, w: w, r: r, reqID: reqID, rec: rec, action: action}
}

// finish logs the request and writes its audit record (unless the
// service's transaction already did).
func (c *unsignedCall) finish(start time.Time) {
	ctx := c.r.Context()
	c.s.Logger.InfoContext(ctx, "request", "request_id", c.reqID, "method", c.r.Method, "service", "signin",
		"action", c.action, "account", c.rec.AccountID, "error", c.code, "duration", c.s.now().Sub(start))
	c.s.finishAudit(ctx, sentCredential(c.r), -1, c.rec, "signin", c.action, "", c.code)
}

func (c *unsignedCall) fail(err error) {
	c.failed = gatehouse.ErrorCode(err)
	if c.failed == gatehouse.CodeInternal {
		c.s.Logger.ErrorContext(c.r.Context(), "internal error", "request_id", c.reqID, "err", err)
	}
	c.s.services["gatehouse"].writeError(c.w, c.reqID, c.failed, gatehouse.ErrorMessage(err), err)
	c.code = query.Spell(c.failed)
}

// decode reads the JSON body into v.
func (c *unsignedCall) decode(v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, maxSignInBody))
	if err != nil {
		return bodyError(err, gatehouse.Errorf(gatehouse.CodeInvalid, "The request is larger than %d bytes.", maxSignInBody))
	}
	return wire.Decoder(body)(v)
}

// checkRecoveryEmail validates the Email member: required, and no longer
// than an email address can be. It is not echoed.
func checkRecoveryEmail(email string) error {
	switch {
	case strings.TrimSpace(email) == "":
		return gatehouse.Errorf(gatehouse.CodeInvalid, "Email is required.")
	case utf8.RuneCountInString(email) > gatehouse.MaxEmailLength:
		return gatehouse.Errorf(gatehouse.CodeInvalid, "Email must have at most %d characters.", gatehouse.MaxEmailLength)
	}
	return nil
}

// serveForgotPassword handles POST /_gatehouse/forgot-password.
func (s *Server) serveForgotPassword(w http.ResponseWriter, r *http.Request) {
	start := s.now()
	c := s.newUnsignedCall(w, r, "PasswordRecoveryRequested")
	defer c.finish(start)
	keys := []string{signInAddressKey(sourceIP(r))}
	tooMany := gatehouse.Errorf("TooManyRequestsException", "Too many password reset requests. Try again later.")
	if !s.resetRequests.allowed(start, keys...) {
		c.fail(tooMany)
		return
	}
	var in forgotPasswordIn
	if err := c.decode(&in); err != nil {
		c.fail(err)
		return
	}
	if err := checkRecoveryEmail(in.Email); err != nil {
		c.fail(err)
		return
	}
	// Every request counts, for the source address and for the address
	// asked about (known or not, so the limit tells nothing): no one can
	// flood a mailbox or the outbox.
	keys = append(keys, signInTargetKey(in.Email))
	if !s.resetRequests.allowed(start, keys...) {
		c.fail(tooMany)
		return
	}
	s.resetRequests.failed(start, keys...)
	if _, err := s.RootTasks.RequestRootPasswordReset(gatehouse.WithAudit(r.Context(), c.rec), in.Email, sourceIP(r)); err != nil {
		c.fail(err)
		return
	}
	if err := c.s.services["gatehouse"].writeResult(w, "", c.reqID, forgotPasswordOut{Message: forgotPasswordAnswer}); err != nil {
		c.fail(err)
	}
}

// serveResetPassword handles POST /_gatehouse/reset-password.
func (s *Server) serveResetPassword(w http.ResponseWriter, r *http.Request) {
	start := s.now()
	c := s.newUnsignedCall(w, r, "PasswordRecoveryCompleted")
	defer c.finish(start)
	// Wrong codes share the sign-in's budget: guessing codes and guessing
	// passwords from one address, or against one root user, add up.
	keys := []string{signInAddressKey(sourceIP(r))}
	fail := func(err error) {
		c.fail(err)
		if c.failed == gatehouse.CodeDenied {
			s.signIns.failed(s.now(), keys...)
		}
	}
	tooMany := gatehouse.Errorf("TooManyRequestsException", "Too many failed attempts. Try again later.")
	if !s.signIns.allowed(start, keys...) {
		fail(tooMany)
		return
	}
	var in resetPasswordIn
	if err := c.decode(&in); err != nil {
		fail(err)
		return
	}
	if err := checkRecoveryEmail(in.Email); err != nil {
		fail(err)
		return
	}
	switch {
	case strings.TrimSpace(in.Code) == "":
		fail(gatehouse.Errorf(gatehouse.CodeInvalid, "Code is required."))
		return
	case in.NewPassword == "":
		fail(gatehouse.Errorf(gatehouse.CodeInvalid, "NewPassword is required."))
		return
	}
	keys = append(keys, signInTargetKey(in.Email))
	if !s.signIns.allowed(start, keys...) {
		fail(tooMany)
		return
	}
	a, err := s.RootTasks.ResetRootPassword(gatehouse.WithAudit(r.Context(), c.rec), in.Email, in.Code, in.NewPassword)
	if err != nil {
		fail(err)
		return
	}
	s.signIns.succeeded(signInTargetKey(in.Email))
	mfa, err := s.rootHasMFA(withoutAudit(r.Context()), a.ID)
	if err != nil {
		c.fail(err)
		return
	}
	msg := "The root password was reset. Sign in with gatehouse root sign-in."
	if mfa {
		msg = "The root password was reset. The root user's MFA devices remain: signing in still needs an MFA code."
	}
	out := resetPasswordOut{AccountId: a.ID, RootUserArn: a.RootARN(), MFARequired: mfa, Message: msg}
	if err := c.s.services["gatehouse"].writeResult(w, "", c.reqID, out); err != nil {
		c.fail(err)
	}
}
