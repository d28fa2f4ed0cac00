package iamops

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/iamops/iamxml"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/iam"
)

// Inputs of the console password and password policy operations.
type (
	passwordPolicyIn struct {
		MinimumPasswordLength      *int
		RequireSymbols             *bool
		RequireNumbers             *bool
		RequireUppercaseCharacters *bool
		RequireLowercaseCharacters *bool
		AllowUsersToChangePassword *bool
		MaxPasswordAge             *int
		PasswordReusePrevention    *int
		HardExpiry                 *bool
	}
	createLoginProfileIn struct {
		optionalUserIn
		Password              string `query:",required"`
		PasswordResetRequired *bool
	}
	updateLoginProfileIn struct {
		UserName              string `query:",required"`
		Password              *string
		PasswordResetRequired *bool
	}
	changePasswordIn struct {
		OldPassword string `query:",required"`
		NewPassword string `query:",required"`
	}
)

// passwordPolicyXML is GetAccountPasswordPolicy's PasswordPolicy.
type passwordPolicyXML struct {
	MinimumPasswordLength      int  `xml:"MinimumPasswordLength"`
	RequireSymbols             bool `xml:"RequireSymbols"`
	RequireNumbers             bool `xml:"RequireNumbers"`
	RequireUppercaseCharacters bool `xml:"RequireUppercaseCharacters"`
	RequireLowercaseCharacters bool `xml:"RequireLowercaseCharacters"`
	AllowUsersToChangePassword bool `xml:"AllowUsersToChangePassword"`
	ExpirePasswords            bool `xml:"ExpirePasswords"`
	MaxPasswordAge             int  `xml:"MaxPasswordAge,omitempty"`
	PasswordReusePrevention    int  `xml:"PasswordReusePrevention,omitempty"`
	HardExpiry                 bool `xml:"HardExpiry,omitempty"`
}

func toLoginProfileXML(p *iam.LoginProfile) any {
	return struct {
		LoginProfile iamxml.LoginProfile `xml:"LoginProfile"`
	}{iamxml.LoginProfile{UserName: p.UserName, CreateDate: query.Time(p.CreatedAt), PasswordResetRequired: p.PasswordResetRequired}}
}

// loginProfileUser is the user a login profile operation acts on: the
// named one, else the calling IAM user. The root user's password is not
// a login profile (it is changed with the gatehouse service's
// ChangeRootPassword), and a role has none.
func loginProfileUser(c *op.Call, userName string) (string, error) {
	name, err := targetUser(c, userName)
	if err == nil && name == "" {
		err = errNonUserCaller
	}
	return name, err
}

// passwordRows is the console password part of the IAM table.
func (d *Deps) passwordRows() []op.Row {
	return []op.Row{
		op.New("UpdateAccountPasswordPolicy", op.Spec[passwordPolicyIn]{
			Action: "iam:UpdateAccountPasswordPolicy",
			Handle: func(c *op.Call, in *passwordPolicyIn) (any, error) {
				return nil, d.IAM.UpdatePasswordPolicy(c.Ctx, c.Account(), iam.PasswordPolicyInput(*in))
			},
		}),
		op.New("GetAccountPasswordPolicy", op.Spec[op.Empty]{
			Action:    "iam:GetAccountPasswordPolicy",
			SelfGrant: true,
			Handle: func(c *op.Call, in *op.Empty) (any, error) {
				p, err := d.IAM.PasswordPolicy(c.Ctx, c.Account())
				if err != nil {
					return nil, err
				}
				return struct {
					PasswordPolicy passwordPolicyXML `xml:"PasswordPolicy"`
				}{passwordPolicyXML{
					MinimumPasswordLength: p.MinimumPasswordLength, RequireSymbols: p.RequireSymbols,
					RequireNumbers: p.RequireNumbers, RequireUppercaseCharacters: p.RequireUppercaseCharacters,
					RequireLowercaseCharacters: p.RequireLowercaseCharacters,
					AllowUsersToChangePassword: p.AllowUsersToChangePassword, ExpirePasswords: p.MaxPasswordAge > 0,
					MaxPasswordAge: p.MaxPasswordAge, PasswordReusePrevention: p.PasswordReusePrevention, HardExpiry: p.HardExpiry,
				}}, nil
			},
		}),
		op.New("DeleteAccountPasswordPolicy", op.Spec[op.Empty]{
			Action: "iam:DeleteAccountPasswordPolicy",
			Handle: func(c *op.Call, in *op.Empty) (any, error) {
				return nil, d.IAM.DeletePasswordPolicy(c.Ctx, c.Account())
			},
		}),
		op.New("CreateLoginProfile", onUser(d, "iam:CreateLoginProfile", loginProfileUser, func(c *op.Call, in *createLoginProfileIn, user string) (any, error) {
			p, err := d.IAM.CreateLoginProfile(c.Ctx, c.Account(), user, in.Password,
				in.PasswordResetRequired != nil && *in.PasswordResetRequired)
			if err != nil {
				return nil, err
			}
			return toLoginProfileXML(p), nil
		})),
		op.New("GetLoginProfile", onUser(d, "iam:GetLoginProfile", loginProfileUser, func(c *op.Call, in *optionalUserIn, user string) (any, error) {
			p, err := d.IAM.GetLoginProfile(c.Ctx, c.Account(), user)
			if err != nil {
				return nil, err
			}
			return toLoginProfileXML(p), nil
		})),
		op.New("UpdateLoginProfile", op.Spec[updateLoginProfileIn]{
			Action:   "iam:UpdateLoginProfile",
			Resource: func(c *op.Call, in *updateLoginProfileIn) string { return d.userARN(c, in.UserName) },
			Handle: func(c *op.Call, in *updateLoginProfileIn) (any, error) {
				return nil, d.IAM.UpdateLoginProfile(c.Ctx, c.Account(), in.UserName, in.Password, in.PasswordResetRequired)
			},
		}),
		op.New("DeleteLoginProfile", onUser(d, "iam:DeleteLoginProfile", loginProfileUser, func(c *op.Call, in *optionalUserIn, user string) (any, error) {
			return nil, d.IAM.DeleteLoginProfile(c.Ctx, c.Account(), user)
		})),
		// ChangePassword changes the calling IAM user's own password;
		// the root user's is never affected (aws-reference §1.2 A1).
		op.New("ChangePassword", op.Spec[changePasswordIn]{
			Action:   "iam:ChangePassword",
			Resource: func(c *op.Call, _ *changePasswordIn) string { return c.Caller.ARN() },
			Precheck: func(c *op.Call, _ *changePasswordIn) error {
				if c.Caller.User == nil || c.Caller.Role != nil {
					return gatehouse.Errorf(gatehouse.CodeInvalidUserType,
						"Only an IAM user can change its own password with ChangePassword; the root user's password is changed with the gatehouse service's ChangeRootPassword.")
				}
				return nil
			},
			SelfGrant: true,
			Handle: func(c *op.Call, in *changePasswordIn) (any, error) {
				return nil, d.IAM.ChangePassword(c.Ctx, c.Account(), c.Caller.User.Name, in.OldPassword, in.NewPassword)
			},
		}),
	}
}
