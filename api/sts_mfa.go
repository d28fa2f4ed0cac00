package api

import (
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// mfaProof records an MFA code verified while a request ran (AssumeRole's
// and GetSessionToken's SerialNumber and TokenCode).
type mfaProof struct {
	verified bool
	at       time.Time
}

// verifySessionMFA checks the MFA code an STS request carries against a
// device of the calling user (or of the root user), records the proof on
// the call, and makes the caller's own session, if any, carry it for the
// rest of the request, so that authorization sees
// aws:MultiFactorAuthPresent.
func (c *call) verifySessionMFA(serial, code string) error {
	if serial == "" || code == "" {
		return errMFA
	}
	if err := checkTokenCode(code); err != nil {
		return err
	}
	var user string
	switch {
	case c.caller.User != nil:
		user = c.caller.User.Name
	case c.caller.Role != nil:
		return errMFA // a role has no MFA device
	default:
		user = gatehouse.RootUserName
	}
	at, err := c.srv.IAM.VerifyMFA(c.ctx, c.account(), user, serial, code)
	if err != nil {
		return err
	}
	c.mfa = mfaProof{verified: true, at: at}
	if s := c.caller.Session; s != nil {
		caller, sess := *c.caller, *s
		sess.MFAAuthenticated, sess.MFAAuthTime = true, at
		caller.Session = &sess
		c.caller = &caller
	}
	return nil
}

// mfaContext sets the MFA condition keys of a request that proved an MFA
// code (aws-reference §4.9).
func (c *call) mfaContext(ctx *policy.Context) {
	if !c.mfa.verified {
		return
	}
	ctx.Set("aws:MultiFactorAuthPresent", "true")
	ctx.Set("aws:MultiFactorAuthAge", itoa(max(int64(c.srv.now().Sub(c.mfa.at)/time.Second), 0)))
}

// checkTokenCode validates an STS TokenCode: six digits.
func checkTokenCode(code string) error {
	valid := len(code) == 6
	for i := 0; valid && i < len(code); i++ {
		valid = code[i] >= '0' && code[i] <= '9'
	}
	if !valid {
		return gatehouse.Errorf(gatehouse.EValidation,
			"1 validation error detected: Value '%s' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]* and have length 6", code)
	}
	return nil
}
