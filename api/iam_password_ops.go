package api

import (
	"github.com/gatehouse-dev/gatehouse"
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
		UserName              string
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

type loginProfileXML struct {
	UserName              string     `xml:"UserName"`
	CreateDate            query.Time `xml:"CreateDate"`
	PasswordResetRequired bool       `xml:"PasswordResetRequired"`
}

func toLoginProfileXML(p *iam.LoginProfile) any {
	return struct {
		LoginProfile loginProfileXML `xml:"LoginProfile"`
	}{loginProfileXML{p.UserName, query.Time(p.CreatedAt), p.PasswordResetRequired}}
}

// loginProfileUser is the user a login profile operation acts on: the
// named one, else the calling IAM user. The root user's password is not
// a login profile (it is changed with the gatehouse service's
// ChangeRootPassword), and a role has none.
func (c *call) loginProfileUser(userName string) (string, error) {
	name, err := c.targetUser(userName)
	if err == nil && name == "" {
		err = errNonUserCaller
	}
	return name, err
}

// passwordOperations is the console password part of the IAM table.
func passwordOperations() []operation {
	return []operation{
		legacyOp("UpdateAccountPasswordPolicy", opSpec[passwordPolicyIn]{
			action: "iam:UpdateAccountPasswordPolicy",
			handle: func(c *call, in *passwordPolicyIn) (any, error) {
				return nil, c.srv.IAM.UpdatePasswordPolicy(c.ctx, c.account(), iam.PasswordPolicyInput(*in))
			},
		}),
		legacyOp("GetAccountPasswordPolicy", opSpec[emptyIn]{
			action:    "iam:GetAccountPasswordPolicy",
			selfGrant: true,
			handle: func(c *call, in *emptyIn) (any, error) {
				p, err := c.srv.IAM.PasswordPolicy(c.ctx, c.account())
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
		legacyOp("DeleteAccountPasswordPolicy", opSpec[emptyIn]{
			action: "iam:DeleteAccountPasswordPolicy",
			handle: func(c *call, in *emptyIn) (any, error) {
				return nil, c.srv.IAM.DeletePasswordPolicy(c.ctx, c.account())
			},
		}),
		legacyOp("CreateLoginProfile", opSpec[createLoginProfileIn]{
			action:   "iam:CreateLoginProfile",
			resource: func(c *call, in *createLoginProfileIn) string { return c.userARN(in.UserName) },
			precheck: func(c *call, in *createLoginProfileIn) error { _, err := c.loginProfileUser(in.UserName); return err },
			handle: func(c *call, in *createLoginProfileIn) (any, error) {
				user, err := c.loginProfileUser(in.UserName)
				if err != nil {
					return nil, err
				}
				p, err := c.srv.IAM.CreateLoginProfile(c.ctx, c.account(), user, in.Password,
					in.PasswordResetRequired != nil && *in.PasswordResetRequired)
				if err != nil {
					return nil, err
				}
				return toLoginProfileXML(p), nil
			},
		}),
		legacyOp("GetLoginProfile", opSpec[optionalUserIn]{
			action:   "iam:GetLoginProfile",
			resource: func(c *call, in *optionalUserIn) string { return c.userARN(in.UserName) },
			precheck: func(c *call, in *optionalUserIn) error { _, err := c.loginProfileUser(in.UserName); return err },
			handle: func(c *call, in *optionalUserIn) (any, error) {
				user, err := c.loginProfileUser(in.UserName)
				if err != nil {
					return nil, err
				}
				p, err := c.srv.IAM.GetLoginProfile(c.ctx, c.account(), user)
				if err != nil {
					return nil, err
				}
				return toLoginProfileXML(p), nil
			},
		}),
		legacyOp("UpdateLoginProfile", opSpec[updateLoginProfileIn]{
			action:   "iam:UpdateLoginProfile",
			resource: func(c *call, in *updateLoginProfileIn) string { return c.userARN(in.UserName) },
			handle: func(c *call, in *updateLoginProfileIn) (any, error) {
				return nil, c.srv.IAM.UpdateLoginProfile(c.ctx, c.account(), in.UserName, in.Password, in.PasswordResetRequired)
			},
		}),
		legacyOp("DeleteLoginProfile", opSpec[optionalUserIn]{
			action:   "iam:DeleteLoginProfile",
			resource: func(c *call, in *optionalUserIn) string { return c.userARN(in.UserName) },
			precheck: func(c *call, in *optionalUserIn) error { _, err := c.loginProfileUser(in.UserName); return err },
			handle: func(c *call, in *optionalUserIn) (any, error) {
				user, err := c.loginProfileUser(in.UserName)
				if err != nil {
					return nil, err
				}
				return nil, c.srv.IAM.DeleteLoginProfile(c.ctx, c.account(), user)
			},
		}),
		// ChangePassword changes the calling IAM user's own password;
		// the root user's is never affected (aws-reference §1.2 A1).
		legacyOp("ChangePassword", opSpec[changePasswordIn]{
			action:   "iam:ChangePassword",
			resource: func(c *call, _ *changePasswordIn) string { return c.caller.ARN() },
			precheck: func(c *call, _ *changePasswordIn) error {
				if c.caller.User == nil || c.caller.Role != nil {
					return gatehouse.Errorf(iam.EInvalidUserType,
						"Only an IAM user can change its own password with ChangePassword; the root user's password is changed with the gatehouse service's ChangeRootPassword.")
				}
				return nil
			},
			selfGrant: true,
			handle: func(c *call, in *changePasswordIn) (any, error) {
				return nil, c.srv.IAM.ChangePassword(c.ctx, c.account(), c.caller.User.Name, in.OldPassword, in.NewPassword)
			},
		}),
	}
}
