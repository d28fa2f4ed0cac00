package stsops

import (
	"strconv"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/policy"
	"github.com/gatehouse-dev/gatehouse/sts"
)

// mfaProof records an MFA code verified while a request ran (AssumeRole's
// and GetSessionToken's SerialNumber and TokenCode).
type mfaProof struct {
	verified bool
	at       time.Time
}

// verifySessionMFA checks the MFA code an STS request carries against a
// device of the calling user (or of the root user), returns the proof,
// and makes the caller's own session, if any, carry it for the rest of
// the request, so that authorization sees aws:MultiFactorAuthPresent.
func (d Deps) verifySessionMFA(c *op.Call, serial, code string) (mfaProof, error) {
	if err := sts.CheckMFAParams(serial, code); err != nil {
		return mfaProof{}, err
	}
	var user string
	switch {
	case c.Caller.User != nil:
		user = c.Caller.User.Name
	case c.Caller.Role != nil:
		return mfaProof{}, sts.ErrMFA // a role has no MFA device
	default:
		user = gatehouse.RootUserName
	}
	at, err := d.IAM.VerifyMFA(c.Ctx, c.Account(), user, serial, code)
	if err != nil {
		return mfaProof{}, err
	}
	if s := c.Caller.Session; s != nil {
		caller, sess := *c.Caller, *s
		sess.MFAAuthenticated, sess.MFAAuthTime = true, at
		caller.Session = &sess
		c.Caller = &caller
	}
	return mfaProof{verified: true, at: at}, nil
}

// mfaContext sets the MFA condition keys of a request that proved an MFA
// code (aws-reference §4.9).
func mfaContext(c *op.Call, p mfaProof, ctx *policy.Context) {
	if !p.verified {
		return
	}
	ctx.Set("aws:MultiFactorAuthPresent", "true")
	ctx.Set("aws:MultiFactorAuthAge", strconv.FormatInt(max(int64(c.Now().Sub(p.at)/time.Second), 0), 10))
}
