package api

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/account"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// Wire shapes of the Account Management API (account/2021-02-01),
// REST-JSON. Members are the model's; empty strings are absent.
type (
	accountIDIn struct {
		AccountId string
	}
	putAccountNameIn struct {
		AccountName string
		AccountId   string
	}
	contactInformationDTO struct {
		FullName         string `json:"FullName"`
		AddressLine1     string `json:"AddressLine1"`
		AddressLine2     string `json:"AddressLine2,omitempty"`
		AddressLine3     string `json:"AddressLine3,omitempty"`
		City             string `json:"City"`
		StateOrRegion    string `json:"StateOrRegion,omitempty"`
		DistrictOrCounty string `json:"DistrictOrCounty,omitempty"`
		PostalCode       string `json:"PostalCode"`
		CountryCode      string `json:"CountryCode"`
		PhoneNumber      string `json:"PhoneNumber"`
		CompanyName      string `json:"CompanyName,omitempty"`
		WebsiteURL       string `json:"WebsiteUrl,omitempty"`
	}
	putContactInformationIn struct {
		ContactInformation *contactInformationDTO
		AccountId          string
	}
	alternateContactTypeIn struct {
		AlternateContactType string
		AccountId            string
	}
	putAlternateContactIn struct {
		Name                 string
		Title                string
		EmailAddress         string
		PhoneNumber          string
		AlternateContactType string
		AccountId            string
	}
	alternateContactDTO struct {
		Name                 string `json:"Name,omitempty"`
		Title                string `json:"Title,omitempty"`
		EmailAddress         string `json:"EmailAddress,omitempty"`
		PhoneNumber          string `json:"PhoneNumber,omitempty"`
		AlternateContactType string `json:"AlternateContactType,omitempty"`
	}
	regionIn struct {
		AccountId  string
		RegionName string
	}
	listRegionsIn struct {
		AccountId               string
		MaxResults              *int
		NextToken               string
		RegionOptStatusContains []string
	}
	regionDTO struct {
		RegionName      string `json:"RegionName"`
		RegionOptStatus string `json:"RegionOptStatus"`
	}
	startPrimaryEmailUpdateIn struct {
		AccountId    string
		PrimaryEmail string
	}
	acceptPrimaryEmailUpdateIn struct {
		AccountId    string
		PrimaryEmail string
		Otp          string
	}
)

// accountResource is the ARN of the account resource type of the service
// authorization reference (arn:${Partition}:account::${Account}:account).
// Gatehouse has no organizations, so the accountInOrganization type
// (.../account/o-${OrganizationId}/${MemberAccountId}) never applies.
func accountResource(c *call) string {
	return "arn:" + c.caller.Account.ARNPartition() + ":account::" + c.account() + ":account"
}

// checkAccountID applies the AccountId rule of a standalone account: it
// must be omitted (AWS answers AccessDeniedException when an account
// outside an organization names any account, its own included). allowSelf
// lets it name the caller's own account (Tax Settings' accountId).
func checkAccountID(c *call, action, id string, allowSelf bool) error {
	if id == "" || allowSelf && id == c.account() {
		return nil
	}
	if err := accountIDPattern(id); err != nil {
		return err
	}
	return gatehouse.Errorf(gatehouse.EAccessDenied, "User: %s is not authorized to perform: %s", c.caller.ARN(), action)
}

func accountIDPattern(id string) error {
	ok := len(id) == 12
	for i := 0; ok && i < len(id); i++ {
		ok = '0' <= id[i] && id[i] <= '9'
	}
	if ok {
		return nil
	}
	return &gatehouse.ValidationError{
		Err: gatehouse.Errorf(account.EValidation,
			"1 validation error detected: Value at 'accountId' failed to satisfy constraint: Member must satisfy regular expression pattern: \\d{12}"),
		Reason: account.ReasonFieldValidationFailed,
		Fields: []gatehouse.FieldError{{Name: "accountId", Message: "Member must satisfy regular expression pattern: \\d{12}"}},
	}
}

// accountOp builds a row of the Account table: action account:<name>
// on the account resource, with the AccountId check as precheck (after
// the spec's own precheck, if any, which validates the input): any
// AccountId, the caller's own included, is refused. Rows
// whose action the billing mapping lists (aws-reference §3.2) set
// billing: authz.BillingModel, so the account's billing permission model
// decides them; the IAM billing access switch does not apply to the
// Account API (docs/invoicing.md).
func accountOp[In any](name string, accountID func(*In) string, spec opSpec[In]) operation {
	spec.action = "account:" + name
	spec.resource = func(c *call, _ *In) string { return accountResource(c) }
	validate := spec.precheck
	spec.precheck = func(c *call, in *In) error {
		if validate != nil {
			if err := validate(c, in); err != nil {
				return err
			}
		}
		return checkAccountID(c, spec.action, accountID(in), false)
	}
	return legacyOp(name, spec)
}

// accountMgmtOperations is the Account Management operation table.
func accountMgmtOperations() []operation {
	idOf := func(in *accountIDIn) string { return in.AccountId }
	typeContext := func(_ *call, in *alternateContactTypeIn, ctx *policy.Context) {
		ctx.Set("account:AlternateContactTypes", in.AlternateContactType)
	}
	regionContext := func(_ *call, in *regionIn, ctx *policy.Context) {
		ctx.Set("account:TargetRegion", in.RegionName)
	}
	return []operation{
		accountOp("GetAccountInformation", idOf, opSpec[accountIDIn]{
			billing: authz.BillingModel,
			handle: func(c *call, in *accountIDIn) (any, error) {
				a, err := c.srv.Account.AccountInformation(c.ctx, c.account())
				if err != nil {
					return nil, err
				}
				return struct {
					AccountId          string `json:"AccountId"`
					AccountName        string `json:"AccountName"`
					AccountCreatedDate string `json:"AccountCreatedDate"`
					AccountState       string `json:"AccountState"`
				}{a.ID, a.AccountName(), a.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"), "ACTIVE"}, nil
			},
		}),
		accountOp("PutAccountName", func(in *putAccountNameIn) string { return in.AccountId }, opSpec[putAccountNameIn]{
			handle: func(c *call, in *putAccountNameIn) (any, error) {
				return nil, c.srv.Account.PutAccountName(c.ctx, c.account(), in.AccountName)
			},
		}),
		// GetPrimaryEmail follows the rule of the primary email updates
		// below: AWS serves it only to an organization's management (or
		// delegated admin) account for a member account, and the
		// management account cannot name itself. After the model's
		// validation (AccountId is required), every request is refused.
		accountOp("GetPrimaryEmail", idOf, opSpec[accountIDIn]{
			precheck: func(_ *call, in *accountIDIn) error {
				return account.ValidateGetPrimaryEmail(in.AccountId)
			},
			handle: func(c *call, in *accountIDIn) (any, error) {
				return nil, checkAccountID(c, "account:GetPrimaryEmail", in.AccountId, false)
			},
		}),
		accountOp("GetContactInformation", idOf, opSpec[accountIDIn]{
			billing: authz.BillingModel,
			handle: func(c *call, in *accountIDIn) (any, error) {
				ci, err := c.srv.Account.ContactInformation(c.ctx, c.account())
				if err != nil {
					return nil, err
				}
				return struct {
					ContactInformation contactInformationDTO `json:"ContactInformation"`
				}{contactInformationDTO(*ci)}, nil
			},
		}),
		accountOp("PutContactInformation", func(in *putContactInformationIn) string { return in.AccountId }, opSpec[putContactInformationIn]{
			billing: authz.BillingModel,
			handle: func(c *call, in *putContactInformationIn) (any, error) {
				var ci *gatehouse.ContactInformation
				if in.ContactInformation != nil {
					v := gatehouse.ContactInformation(*in.ContactInformation)
					ci = &v
				}
				return nil, c.srv.Account.PutContactInformation(c.ctx, c.account(), ci)
			},
		}),
		accountOp("GetAlternateContact", func(in *alternateContactTypeIn) string { return in.AccountId }, opSpec[alternateContactTypeIn]{
			billing: authz.BillingModel,
			context: typeContext,
			handle: func(c *call, in *alternateContactTypeIn) (any, error) {
				ac, err := c.srv.Account.AlternateContact(c.ctx, c.account(), gatehouse.AlternateContactType(in.AlternateContactType))
				if err != nil {
					return nil, err
				}
				return struct {
					AlternateContact alternateContactDTO `json:"AlternateContact"`
				}{alternateContactDTO{Name: ac.Name, Title: ac.Title, EmailAddress: ac.EmailAddress,
					PhoneNumber: ac.PhoneNumber, AlternateContactType: string(ac.Type)}}, nil
			},
		}),
		accountOp("PutAlternateContact", func(in *putAlternateContactIn) string { return in.AccountId }, opSpec[putAlternateContactIn]{
			billing: authz.BillingModel,
			context: func(_ *call, in *putAlternateContactIn, ctx *policy.Context) {
				ctx.Set("account:AlternateContactTypes", in.AlternateContactType)
			},
			handle: func(c *call, in *putAlternateContactIn) (any, error) {
				return nil, c.srv.Account.PutAlternateContact(c.ctx, c.account(), &gatehouse.AlternateContact{
					Type: gatehouse.AlternateContactType(in.AlternateContactType), Name: in.Name, Title: in.Title,
					EmailAddress: in.EmailAddress, PhoneNumber: in.PhoneNumber,
				})
			},
		}),
		accountOp("DeleteAlternateContact", func(in *alternateContactTypeIn) string { return in.AccountId }, opSpec[alternateContactTypeIn]{
			billing: authz.BillingModel,
			context: typeContext,
			handle: func(c *call, in *alternateContactTypeIn) (any, error) {
				return nil, c.srv.Account.DeleteAlternateContact(c.ctx, c.account(), gatehouse.AlternateContactType(in.AlternateContactType))
			},
		}),
		accountOp("ListRegions", func(in *listRegionsIn) string { return in.AccountId }, opSpec[listRegionsIn]{
			handle: listRegions,
		}),
		accountOp("GetRegionOptStatus", func(in *regionIn) string { return in.AccountId }, opSpec[regionIn]{
			context: regionContext,
			handle: func(c *call, in *regionIn) (any, error) {
				st, err := c.srv.Account.RegionOptStatus(c.ctx, c.account(), in.RegionName)
				if err != nil {
					return nil, err
				}
				return regionDTO{in.RegionName, string(st)}, nil
			},
		}),
		accountOp("EnableRegion", func(in *regionIn) string { return in.AccountId }, opSpec[regionIn]{
			context: regionContext,
			handle: func(c *call, in *regionIn) (any, error) {
				return nil, c.srv.Account.EnableRegion(c.ctx, c.account(), in.RegionName)
			},
		}),
		accountOp("DisableRegion", func(in *regionIn) string { return in.AccountId }, opSpec[regionIn]{
			context: regionContext,
			handle: func(c *call, in *regionIn) (any, error) {
				return nil, c.srv.Account.DisableRegion(c.ctx, c.account(), in.RegionName)
			},
		}),
		// StartPrimaryEmailUpdate and AcceptPrimaryEmailUpdate (and
		// GetPrimaryEmail above) work in AWS
		// only from an organization's management (or delegated admin)
		// account on a member account, never on the management account
		// itself; a standalone account's root email is changed by its root
		// user in the console. Gatehouse accounts are all standalone, so
		// after the model's validation the AccountId check refuses every
		// request, the caller's own AccountId included, as AWS refuses an
		// account outside an organization. Gatehouse's own root email change
		// is gatehouse:StartRootEmailUpdate / ConfirmRootEmailUpdate.
		//
		// The catalog gives these actions only the accountInOrganization
		// resource type (arn:${Partition}:account::${ManagementAccountId}:
		// account/o-${OrganizationId}/${MemberAccountId}), which has no
		// meaning without organizations: accountOp authorizes them against
		// the caller's account ARN (accountResource). The refusal comes
		// first anyway, so authorization is never reached.
		// GetPrimaryEmailUpdateStatus is in the catalog but not in the
		// botocore account model, so it is not served.
		accountOp("StartPrimaryEmailUpdate", func(in *startPrimaryEmailUpdateIn) string { return in.AccountId }, opSpec[startPrimaryEmailUpdateIn]{
			precheck: func(_ *call, in *startPrimaryEmailUpdateIn) error {
				return account.ValidateStartPrimaryEmailUpdate(in.AccountId, in.PrimaryEmail)
			},
			handle: func(c *call, in *startPrimaryEmailUpdateIn) (any, error) {
				return nil, checkAccountID(c, "account:StartPrimaryEmailUpdate", in.AccountId, false)
			},
		}),
		accountOp("AcceptPrimaryEmailUpdate", func(in *acceptPrimaryEmailUpdateIn) string { return in.AccountId }, opSpec[acceptPrimaryEmailUpdateIn]{
			precheck: func(_ *call, in *acceptPrimaryEmailUpdateIn) error {
				return account.ValidateAcceptPrimaryEmailUpdate(in.AccountId, in.PrimaryEmail, in.Otp)
			},
			handle: func(c *call, in *acceptPrimaryEmailUpdateIn) (any, error) {
				return nil, checkAccountID(c, "account:AcceptPrimaryEmailUpdate", in.AccountId, false)
			},
		}),
		govCloudAccountOperation(),
	}
}

// listRegions pages the Regions, filtered by RegionOptStatusContains.
// NextToken is opaque: the base64 of the next Region's offset.
func listRegions(c *call, in *listRegionsIn) (any, error) {
	max := 50
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > 50 {
			bound, word := "1", "greater than or equal to"
			if *in.MaxResults > 50 {
				bound, word = "50", "less than or equal to"
			}
			msg := "Member must have value " + word + " " + bound
			return nil, &gatehouse.ValidationError{
				Err:    gatehouse.Errorf(account.EValidation, "1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: %s", *in.MaxResults, msg),
				Reason: account.ReasonFieldValidationFailed,
				Fields: []gatehouse.FieldError{{Name: "maxResults", Message: msg}},
			}
		}
		max = *in.MaxResults
	}
	for _, s := range in.RegionOptStatusContains {
		switch gatehouse.RegionOptStatus(s) {
		case gatehouse.RegionEnabled, gatehouse.RegionEnabling, gatehouse.RegionDisabling, gatehouse.RegionDisabled, gatehouse.RegionEnabledByDefault:
		default:
			msg := "Member must satisfy constraint: [Member must satisfy enum value set: [ENABLED, ENABLING, DISABLING, DISABLED, ENABLED_BY_DEFAULT]]"
			return nil, &gatehouse.ValidationError{
				Err:    gatehouse.Errorf(account.EValidation, "1 validation error detected: Value at 'regionOptStatusContains' failed to satisfy constraint: %s", msg),
				Reason: account.ReasonFieldValidationFailed,
				Fields: []gatehouse.FieldError{{Name: "regionOptStatusContains", Message: msg}},
			}
		}
	}
	regions, err := c.srv.Account.Regions(c.ctx, c.account())
	if err != nil {
		return nil, err
	}
	out := make([]regionDTO, 0, len(regions))
	for _, r := range regions {
		if len(in.RegionOptStatusContains) > 0 && !containsString(in.RegionOptStatusContains, string(r.Status)) {
			continue
		}
		out = append(out, regionDTO{r.Name, string(r.Status)})
	}
	start := 0
	if in.NextToken != "" {
		raw, err := base64.RawURLEncoding.DecodeString(in.NextToken)
		n, err2 := strconv.Atoi(string(raw))
		if err != nil || err2 != nil || n < 0 || n > len(out) {
			return nil, &gatehouse.ValidationError{
				Err:    gatehouse.Errorf(account.EValidation, "The NextToken is not valid."),
				Reason: account.ReasonFieldValidationFailed,
				Fields: []gatehouse.FieldError{{Name: "nextToken", Message: "The NextToken is not valid."}},
			}
		}
		start = n
	}
	end := min(start+max, len(out))
	res := struct {
		NextToken string      `json:"NextToken,omitempty"`
		Regions   []regionDTO `json:"Regions"`
	}{Regions: out[start:end]}
	if end < len(out) {
		res.NextToken = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end)))
	}
	return res, nil
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
