package s3ops

import (
	"context"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/s3"
)

// MFAVerifier checks a one-time code of an MFA device assigned to a user
// or to the root user (gatehouse.RootUserName), accepting each code once
// (iam.Service.VerifyMFA).
type MFAVerifier interface {
	VerifyMFA(ctx context.Context, account, userName, serialNumber, code string) (time.Time, error)
}

// checkMFA applies MFA delete's rules to a request (aws-s3.md §8): it
// returns whether the request carries a valid code of the bucket owner's
// root MFA device in x-amz-mfa. Without the header it is false, or
// "Mfa Authentication must be used" when required. With it, the caller
// must be the owner's root user with its long-term keys (AWS refuses
// temporary credentials), over HTTPS unless the server allows plain HTTP
// for development, and the code must verify.
func checkMFA(c *op.Call, d Deps, b *gatehouse.Bucket, header string, required bool) (bool, error) {
	if header == "" {
		if required {
			return false, s3.ErrMFARequired()
		}
		return false, nil
	}
	if !c.Secure && !d.InsecureMFA {
		return false, gatehouse.Errorf(s3.CodeInvalidRequest, "Requests with x-amz-mfa must be made over HTTPS.")
	}
	if c.Caller.Session != nil {
		return false, gatehouse.Errorf(s3.CodeInvalidRequest, "DevPay and Mfa are mutually exclusive authorization methods.")
	}
	serial, code, err := s3.ParseMFAHeader(header)
	if err != nil {
		return false, err
	}
	if !c.Caller.IsRoot() || c.Account() != b.AccountID {
		return false, gatehouse.Errorf(gatehouse.CodeDenied, "Access Denied")
	}
	if _, err := d.MFA.VerifyMFA(c.Ctx, b.AccountID, gatehouse.RootUserName, serial, code); err != nil {
		if gatehouse.ErrorCode(err) == gatehouse.CodeInternal {
			return false, err
		}
		return false, gatehouse.Errorf(gatehouse.CodeDenied, "Access Denied")
	}
	return true, nil
}
