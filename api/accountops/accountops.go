// Package accountops is the Account Management operation table
// (account 2021-02-01, REST-JSON): wire DTOs and the op.Spec rows of the
// operations on the caller's account.
package accountops

import (
	"context"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/account"
	"github.com/gatehouse-dev/gatehouse/api/op"
)

// Deps is what the Account Management operations reach.
type Deps struct {
	// Account runs the account's settings: name, contacts, Regions.
	Account *account.Service
	// GovCloud finds the AWS GovCloud (US) account linked to a standard
	// account (a *roottask.Service).
	GovCloud GovCloud
}

// GovCloud is what GetGovCloudAccountInformation needs of the root
// tasks service.
type GovCloud interface {
	// GovCloudAccount returns the GovCloud account linked to a standard
	// account.
	GovCloudAccount(ctx context.Context, accountID string) (*gatehouse.GovCloudAccount, error)
}

// Rows returns the Account Management operation table.
func Rows(d Deps) []op.Row {
	return []op.Row{
		d.getAccountInformation(),
		d.putAccountName(),
		getPrimaryEmail(),
		d.getContactInformation(),
		d.putContactInformation(),
		d.getAlternateContact(),
		d.putAlternateContact(),
		d.deleteAlternateContact(),
		d.listRegions(),
		d.getRegionOptStatus(),
		d.enableRegion(),
		d.disableRegion(),
		startPrimaryEmailUpdate(),
		acceptPrimaryEmailUpdate(),
		d.getGovCloudAccountInformation(),
	}
}

// resource is the ARN of the account resource type of the service
// authorization reference (arn:${Partition}:account::${Account}:account).
// Gatehouse has no organizations, so the accountInOrganization type
// (.../account/o-${OrganizationId}/${MemberAccountId}) never applies.
func resource(c *op.Call) string {
	return "arn:" + c.Caller.Account.ARNPartition() + ":account::" + c.Account() + ":account"
}

// row builds a row of the Account table: action account:<name> on the
// account resource, with the AccountId check (op.AccountID) as precheck
// after the spec's own precheck, if any, which validates the input: any
// AccountId, the caller's own included, is refused, as AWS refuses an
// account outside an organization that names any account. Rows whose
// action the billing mapping lists (aws-reference §3.2) set Billing:
// authz.BillingModel, so the account's billing permission model decides
// them; the IAM billing access switch does not apply to the Account API
// (docs/invoicing.md).
func row[In any](name string, accountID func(*In) string, spec op.Spec[In]) op.Row {
	spec.Action = "account:" + name
	spec.Resource = func(c *op.Call, _ *In) string { return resource(c) }
	validate := spec.Precheck
	spec.Precheck = func(c *op.Call, in *In) error {
		if validate != nil {
			if err := validate(c, in); err != nil {
				return err
			}
		}
		return op.AccountID(c, spec.Action, accountID(in), false)
	}
	return op.New(name, spec)
}

// idOf is the AccountId of an input that has only that member.
func idOf(in *accountIDIn) string { return in.AccountId }
