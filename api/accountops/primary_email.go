package accountops

import (
	"github.com/gatehouse-dev/gatehouse/account"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/authz"
)

// The primary email operations: GetPrimaryEmail,
// StartPrimaryEmailUpdate, AcceptPrimaryEmailUpdate.
//
// StartPrimaryEmailUpdate and AcceptPrimaryEmailUpdate (and
// GetPrimaryEmail) work in AWS only from an organization's management
// (or delegated admin) account on a member account, never on the
// management account itself; a standalone account's root email is
// changed by its root user in the console. Gatehouse accounts are all
// standalone, so after the model's validation the AccountId check
// refuses every request, the caller's own AccountId included, as AWS
// refuses an account outside an organization. Gatehouse's own root email
// change is gatehouse:StartRootEmailUpdate / ConfirmRootEmailUpdate.
//
// The catalog gives these actions only the accountInOrganization
// resource type (arn:${Partition}:account::${ManagementAccountId}:
// account/o-${OrganizationId}/${MemberAccountId}), which has no meaning
// without organizations: row authorizes them against the caller's
// account ARN (resource). The refusal comes first anyway, so
// authorization is never reached. GetPrimaryEmailUpdateStatus is in the
// catalog but not in the botocore account model, so it is not served.

// getPrimaryEmail follows the rule of the primary email updates: AWS
// serves it only to an organization's management (or delegated admin)
// account for a member account, and the management account cannot name
// itself. After the model's validation (AccountId is required), every
// request is refused.
func getPrimaryEmail() op.Row {
	return row("GetPrimaryEmail", idOf, op.Spec[accountIDIn]{
		Precheck: func(_ *op.Call, in *accountIDIn) error {
			return account.ValidateGetPrimaryEmail(in.AccountId)
		},
		Handle: standalone[accountIDIn]("account:GetPrimaryEmail"),
	})
}

func startPrimaryEmailUpdate() op.Row {
	return row("StartPrimaryEmailUpdate", func(in *startPrimaryEmailUpdateIn) string { return in.AccountId }, op.Spec[startPrimaryEmailUpdateIn]{
		Precheck: func(_ *op.Call, in *startPrimaryEmailUpdateIn) error {
			return account.ValidateStartPrimaryEmailUpdate(in.AccountId, in.PrimaryEmail)
		},
		Handle: standalone[startPrimaryEmailUpdateIn]("account:StartPrimaryEmailUpdate"),
	})
}

func acceptPrimaryEmailUpdate() op.Row {
	return row("AcceptPrimaryEmailUpdate", func(in *acceptPrimaryEmailUpdateIn) string { return in.AccountId }, op.Spec[acceptPrimaryEmailUpdateIn]{
		Precheck: func(_ *op.Call, in *acceptPrimaryEmailUpdateIn) error {
			return account.ValidateAcceptPrimaryEmailUpdate(in.AccountId, in.PrimaryEmail, in.Otp)
		},
		Handle: standalone[acceptPrimaryEmailUpdateIn]("account:AcceptPrimaryEmailUpdate"),
	})
}

// standalone is the handler of an operation a standalone account may
// not call: the model requires its AccountId, which the precheck refuses
// whatever it names, so a request never gets here; were one to, it is
// refused the same way (authz.DenyOtherAccount).
func standalone[In any](action string) func(c *op.Call, _ *In) (any, error) {
	return func(c *op.Call, _ *In) (any, error) {
		return nil, authz.DenyOtherAccount(c.Caller, action)
	}
}
