package api

import (
	"net/http"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/sigv4"
	"github.com/gatehouse-dev/gatehouse/sts"
)

// errExpiredToken is STS's answer to expired temporary credentials.
var errExpiredToken = &sigv4.Error{Code: "ExpiredToken", Message: "The security token included in the request is expired", Status: http.StatusForbidden}

var errInvalidToken = &sigv4.Error{Code: sigv4.CodeInvalidClientTokenID, Message: "The security token included in the request is invalid.", Status: http.StatusForbidden}

// sessionKey reads temporary credentials and the caller behind them.
func (s *Server) sessionKey(tx gatehouse.Tx, id string, k *cachedKey) error {
	sess, err := tx.Session(id)
	if err != nil {
		return err
	}
	k.secret, k.active = sess.Secret.Reveal(), true
	c := k.caller
	c.Session = sess
	if c.Account, err = tx.Account(sess.AccountID); err != nil {
		return err
	}
	switch {
	case sess.Kind == gatehouse.SessionRole:
		c.Role, err = tx.Role(sess.AccountID, sess.RoleName)
		if err == nil && sess.RoleID != "" && c.Role.ID != sess.RoleID {
			// The role was deleted and created again: not the session's role.
			return gatehouse.Errorf(gatehouse.CodeNotFound, "The session's role no longer exists.")
		}
	case sess.UserName != "":
		c.User, err = tx.User(sess.AccountID, sess.UserName)
		if err == nil && c.User.ID != sess.UserID {
			// The user was deleted and created again (or the session
			// predates user binding): not the session's user.
			return gatehouse.Errorf(gatehouse.CodeNotFound, "The session's user no longer exists.")
		}
	}
	return err
}

// checkSession rejects temporary credentials whose token does not match
// or that have expired, and a session token sent with a long-term key:
// AWS refuses that pair with InvalidClientTokenId (a stale
// AWS_SESSION_TOKEN left beside new static keys, aws/aws-cli#1341,
// aws-actions/configure-aws-credentials#65) rather than ignoring the token.
func (s *Server) checkSession(c *authz.Caller, token string) error {
	if c.Session == nil {
		if token != "" {
			return errInvalidToken
		}
		return nil
	}
	if !sts.TokenMatches(c.Session, token) {
		return errInvalidToken
	}
	if !s.now().Before(c.Session.Expiration) {
		return errExpiredToken
	}
	return nil
}

// checkSessionScope applies what AWS allows GetSessionToken credentials
// (aws-reference §4.7; the GetSessionToken API reference): no IAM API
// unless the session was created with MFA, and in STS only AssumeRole and
// GetCallerIdentity. The root user's console sign-in session is not a
// GetSessionToken session and is not limited this way.
func checkSessionScope(c *authz.Caller, service, action string) error {
	s := c.Session
	if s == nil || s.Kind != gatehouse.SessionUser || s.SignIn {
		return nil
	}
	switch service {
	case "iam":
		if !s.MFAAuthenticated {
			return errInvalidToken
		}
	case "sts":
		if action != "AssumeRole" && action != "GetCallerIdentity" {
			return gatehouse.Errorf(gatehouse.CodeDenied, "Cannot call %s with session credentials", action)
		}
	}
	return nil
}

// checkAccountOpen refuses every request of a closed account's principals
// and access keys, root's long-term keys included, except ReopenAccount
// and GetAccountStatus by a root sign-in session: root can still sign in
// (api/signin.go) and reopen it. A root session is either a sign-in's or
// one that GetSessionToken issued before the account closed (a root
// session lasts at most an hour); a closed account issues none.
func checkAccountOpen(c *authz.Caller, service, action string) error {
	if !c.Account.Closed() {
		return nil
	}
	if c.IsRoot() && c.Session != nil && c.Session.SignIn && service == "gatehouse" && (action == "ReopenAccount" || action == "GetAccountStatus") {
		return nil
	}
	return gatehouse.Errorf(gatehouse.CodeDenied, "The account %s is closed.", c.Account.ID)
}
