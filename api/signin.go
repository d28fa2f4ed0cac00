package api

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/internal/wire"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/roottask"
	"github.com/gatehouse-dev/gatehouse/sts"
)

// Root sign-in (docs/root-tasks.md, "Root sign-in"): AWS's root user signs
// in to the console with the account's email address, the root password
// and, when root has an MFA device, a code from it. Gatehouse has no
// console yet, so sign-in is an unsigned JSON request that answers with
// temporary root credentials (a root session of one hour, as
// GetSessionToken issues to root). It is how a root user without access
// keys acts at all, and how root reopens a closed account, whose access
// keys are refused. Every attempt is audited (service "signin", action
// "ConsoleLogin", as CloudTrail names it); a successful one sends a
// notice to the root email address.

// signInPath is where sign-in requests are POSTed.
const signInPath = "/_gatehouse/signin"

// maxSignInBody bounds a sign-in request body.
const maxSignInBody = 8 << 10

// Failed sign-ins from one source address are throttled: after
// signInMaxFailures failures within signInFailureWindow, further attempts
// from that address are refused until the window has passed.
const (
	signInMaxFailures   = 10
	signInFailureWindow = 5 * time.Minute
	// signInMaxTracked bounds the addresses remembered; beyond it the
	// ones whose window has passed are forgotten.
	signInMaxTracked = 10000
)

type signInIn struct {
	Email    string
	Password string
	// MFASerialNumber names root's MFA device; it may be left out when
	// root has exactly one.
	MFASerialNumber string
	MFACode         string
}

type signInCredentials struct {
	AccessKeyId     string
	SecretAccessKey string
	SessionToken    string
	Expiration      string
}

type signInOut struct {
	AccountId        string
	RootUserArn      string
	AccountState     string
	MFAAuthenticated bool
	Credentials      signInCredentials
}

// signInThrottle counts failed sign-ins per source address and per
// target root user (the email address tried). A failure counts against
// both; a success forgets only its own target's count. So neither trying
// one root user from many addresses, nor many root users from one
// address, nor signing in to one's own account in between, gets more
// than signInMaxFailures tries a window.
type signInThrottle struct {
	mu sync.Mutex
	m  map[string]*signInFailures
}

type signInFailures struct {
	n     int
	since time.Time
}

// signInAddressKey and signInTargetKey are the throttle's keys for a
// source address and for a target email address.
func signInAddressKey(ip string) string { return "addr\x00" + ip }
func signInTargetKey(email string) string {
	return "root\x00" + strings.ToLower(strings.TrimSpace(email))
}

// allowed reports whether every key may try again at now.
func (t *signInThrottle) allowed(now time.Time, keys ...string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range keys {
		if f := t.m[k]; f != nil && f.n >= signInMaxFailures && now.Sub(f.since) < signInFailureWindow {
			return false
		}
	}
	return true
}

// failed counts a failed sign-in against every key.
func (t *signInThrottle) failed(now time.Time, keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[string]*signInFailures{}
	}
	if len(t.m) >= signInMaxTracked {
		for k, f := range t.m {
			if now.Sub(f.since) >= signInFailureWindow {
				delete(t.m, k)
			}
		}
	}
	for _, k := range keys {
		f := t.m[k]
		if f == nil || now.Sub(f.since) >= signInFailureWindow {
			if f == nil && len(t.m) >= signInMaxTracked {
				continue // full of live entries: count no new key
			}
			t.m[k] = &signInFailures{n: 1, since: now}
			continue
		}
		f.n++
	}
}

// succeeded forgets the failures counted against key (a target; a
// source address's count is never reset by a success).
func (t *signInThrottle) succeeded(key string) {
	t.mu.Lock()
	delete(t.m, key)
	t.mu.Unlock()
}

// signInTx is what a root sign-in writes in one transaction: the
// session (sts) and the sign-in notice (roottask).
type signInTx interface {
	sts.Tx
	roottask.Tx
}

// serveSignIn handles POST /_gatehouse/signin.
func (s *Server) serveSignIn(rw http.ResponseWriter, r *http.Request) {
	start := s.now()
	w := &statusWriter{ResponseWriter: rw, status: http.StatusOK}
	reqID := newRequestID()
	rec := newAuditRecord(start, reqID, r)
	rec.Speller = query.Codec{}
	rec.Service, rec.Action, rec.PrincipalType = "signin", "ConsoleLogin", gatehouse.PrincipalAnonymous
	ctx := r.Context()
	ip := sourceIP(r)
	svc := s.services["gatehouse"]
	var code, account string
	defer func() {
		elapsed := s.now().Sub(start)
		s.Logger.InfoContext(ctx, "request", "request_id", reqID, "method", r.Method, "service", "signin",
			"action", "ConsoleLogin", "account", account, "status", w.status, "error_code", code,
			"latency_ms", float64(elapsed.Microseconds())/1000, "duration", elapsed)
		s.finishAudit(ctx, sentCredential(r), -1, rec, "signin", "ConsoleLogin", "", code)
		if s.Observer != nil {
			// Only an address that is a root user's counts as root's.
			s.Observer.ObserveRequest("signin", "ConsoleLogin", code, account != "", elapsed)
		}
	}()
	throttleKeys := []string{signInAddressKey(ip)}
	fail := func(err error) {
		failed := gatehouse.ErrorCode(err)
		if failed == gatehouse.CodeInternal {
			s.Logger.ErrorContext(ctx, "internal error", "request_id", reqID, "err", err)
		}
		svc.writeError(w, reqID, failed, gatehouse.ErrorMessage(err), err)
		code = query.Spell(failed)
		if failed == gatehouse.CodeDenied {
			s.signIns.failed(s.now(), throttleKeys...)
		}
	}
	tooMany := gatehouse.Errorf("TooManyRequestsException", "Too many failed sign-in attempts. Try again later.")

	if !s.signIns.allowed(start, throttleKeys...) {
		fail(tooMany)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxSignInBody))
	if err != nil {
		fail(bodyError(err, gatehouse.Errorf(gatehouse.CodeInvalid, "The sign-in request is larger than %d bytes.", maxSignInBody)))
		return
	}
	var in signInIn
	if err := wire.Decoder(body)(&in); err != nil {
		fail(err)
		return
	}
	switch {
	case strings.TrimSpace(in.Email) == "":
		fail(gatehouse.Errorf(gatehouse.CodeInvalid, "Email is required."))
		return
	case in.Password == "":
		fail(gatehouse.Errorf(gatehouse.CodeInvalid, "Password is required."))
		return
	}
	throttleKeys = append(throttleKeys, signInTargetKey(in.Email))
	if !s.signIns.allowed(start, throttleKeys...) {
		fail(tooMany)
		return
	}
	quiet := withoutAudit(ctx) // the record commits with the session, or is queued
	a, err := s.RootTasks.CheckRootSignIn(quiet, in.Email, in.Password)
	if a != nil { // the address is a root user's: the record names it
		account = a.ID
		rec.AccountID, rec.PrincipalARN, rec.PrincipalType, rec.Root = a.ID, a.RootARN(), gatehouse.PrincipalRoot, true
	}
	if err != nil {
		fail(err)
		return
	}
	mfaAt, err := s.signInMFA(quiet, a, in)
	if err != nil {
		fail(err)
		return
	}
	mfa := !mfaAt.IsZero()
	rec.SignIn, rec.MFA = true, mfa
	userAgent := r.UserAgent()
	// The session and the sign-in notice commit together.
	var cr *sts.Credentials
	err = gatehouse.Narrow[signInTx](s.Store).Update(gatehouse.WithAudit(ctx, rec), func(tx signInTx) error {
		var err error
		cr, err = s.STS.GetSessionTokenIn(tx, sts.GetSessionTokenInput{AccountID: a.ID, MFAAuthenticated: mfa, SignIn: true})
		if err != nil {
			return err
		}
		return s.RootTasks.SignInNotice(tx, a, ip, userAgent, mfa)
	})
	if err != nil {
		fail(err)
		return
	}
	s.signIns.succeeded(signInTargetKey(in.Email))
	out := signInOut{
		AccountId: a.ID, RootUserArn: a.RootARN(), AccountState: a.State(), MFAAuthenticated: mfa,
		Credentials: signInCredentials{
			AccessKeyId: cr.Session.AccessKeyID, SecretAccessKey: cr.Session.Secret.Reveal(),
			SessionToken: cr.Token.Reveal(), Expiration: cr.Session.Expiration.UTC().Format(time.RFC3339),
		},
	}
	if err := s.services["gatehouse"].writeResult(w, "", reqID, out); err != nil {
		fail(err)
	}
}

// rootHasMFA reports whether the account's root user has an MFA device.
func (s *Server) rootHasMFA(ctx context.Context, account string) (bool, error) {
	devices, _, err := s.IAM.MFADevices(ctx, account, gatehouse.RootUserName)
	return len(devices) > 0, err
}

// signInMFA checks the MFA code of a root sign-in. Root with no device
// signs in with the password alone (and must not send a code); root with
// devices must send a code of one of them. It returns when the code was
// verified, or the zero time when root has no device.
func (s *Server) signInMFA(ctx context.Context, a *gatehouse.Account, in signInIn) (time.Time, error) {
	devices, _, err := s.IAM.MFADevices(ctx, a.ID, gatehouse.RootUserName)
	if err != nil {
		return time.Time{}, err
	}
	if len(devices) == 0 {
		if in.MFACode != "" || in.MFASerialNumber != "" {
			return time.Time{}, gatehouse.Errorf(gatehouse.CodeInvalid, "The root user has no MFA device: sign in without MFASerialNumber and MFACode.")
		}
		return time.Time{}, nil
	}
	if in.MFACode == "" {
		return time.Time{}, gatehouse.Errorf(gatehouse.CodeDenied, "The root user has MFA: an MFA code (MFACode) is required to sign in.")
	}
	if err := sts.CheckTokenCode(in.MFACode); err != nil {
		return time.Time{}, err
	}
	serial := in.MFASerialNumber
	if serial == "" {
		if len(devices) > 1 {
			return time.Time{}, gatehouse.Errorf(gatehouse.CodeInvalid, "The root user has %d MFA devices: name one with MFASerialNumber.", len(devices))
		}
		serial = devices[0].SerialNumber
	}
	return s.IAM.VerifyMFA(ctx, a.ID, gatehouse.RootUserName, serial, in.MFACode)
}
