package iam

import (
	"context"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// checkAlias applies the account alias rules: 3 to 63 characters, lower
// case letters, digits and single hyphens, starting and ending with a
// letter or digit, and not twelve digits (which would look like an ID).
func checkAlias(alias string) error {
	const pattern = `^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`
	ok := len(alias) >= 3 && len(alias) <= 63 && alias[0] != '-' && alias[len(alias)-1] != '-' &&
		!strings.Contains(alias, "--")
	for i := 0; ok && i < len(alias); i++ {
		c := alias[i]
		ok = 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-'
	}
	if !ok {
		return validationError(alias, "accountAlias", "satisfy regular expression pattern: "+pattern)
	}
	if len(alias) == 12 && strings.Trim(alias, "0123456789") == "" {
		return gatehouse.Errorf(gatehouse.CodeInvalid, "The account alias cannot be a 12-digit number.")
	}
	return nil
}

// CreateAccountAlias sets the account's alias (an account has at most one).
func (s *Service) CreateAccountAlias(ctx context.Context, account, alias string) error {
	if err := checkAlias(alias); err != nil {
		return err
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		err := tx.SetAccountAlias(account, alias)
		if gatehouse.ErrorCode(err) == gatehouse.CodeAlreadyExists {
			return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "The account alias %s already exists.", alias)
		}
		return err
	})
}

// DeleteAccountAlias removes the account's alias if it is alias.
func (s *Service) DeleteAccountAlias(ctx context.Context, account, alias string) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		have, err := tx.AccountAlias(account)
		if err != nil {
			return err
		}
		if have != alias {
			return gatehouse.Errorf(gatehouse.CodeNotFound, "The account alias %s cannot be found.", alias)
		}
		return tx.DeleteAccountAlias(account)
	})
}

// AccountAlias returns the account's alias, or "".
func (s *Service) AccountAlias(ctx context.Context, account string) (string, error) {
	var alias string
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		alias, err = tx.AccountAlias(account)
		return err
	})
	return alias, err
}

// AccountSummary returns the SummaryMap of GetAccountSummary: usage
// counts and quotas.
func (s *Service) AccountSummary(ctx context.Context, account string) (map[string]int, error) {
	m := map[string]int{
		"UsersQuota": MaxUsersPerAccount, "GroupsQuota": MaxGroupsPerAccount, "PoliciesQuota": MaxPoliciesPerAccount,
		"GroupsPerUserQuota": MaxGroupsPerUser, "AttachedPoliciesPerUserQuota": MaxManagedPerUser,
		"AttachedPoliciesPerGroupQuota": MaxManagedPerGroup, "AttachedPoliciesPerRoleQuota": 10,
		"AccessKeysPerUserQuota": MaxAccessKeysPerUser, "PolicyVersionsInUseQuota": 10000,
		"VersionsPerPolicyQuota": MaxVersionsPerPolicy, "PolicySizeQuota": MaxManagedPolicySize,
		"UserPolicySizeQuota": MaxInlineUserPolicySize, "GroupPolicySizeQuota": MaxInlineGroupSize,
		"RolePolicySizeQuota": 10240, "RolesQuota": 1000, "InstanceProfilesQuota": 1000,
		"ServerCertificatesQuota": 20, "SigningCertificatesPerUserQuota": 2, "MFADevices": 0, "MFADevicesInUse": 0,
		"AccountMFAEnabled": 0, "AccountAccessKeysPresent": 0, "AccountSigningCertificatesPresent": 0,
		"AssumeRolePolicySizeQuota": 2048, "GlobalEndpointTokenVersion": 1, "Providers": 0,
		"Roles": 0, "InstanceProfiles": 0, "ServerCertificates": 0,
	}
	err := s.Store.View(ctx, func(tx Tx) error {
		users, err := tx.Users(account)
		if err != nil {
			return err
		}
		groups, err := tx.Groups(account)
		if err != nil {
			return err
		}
		policies, err := tx.Policies(account)
		if err != nil {
			return err
		}
		rootKeys, err := tx.AccessKeys(account, "")
		if err != nil {
			return err
		}
		versions := 0
		for _, p := range policies {
			vs, err := tx.PolicyVersions(p.ARN())
			if err != nil {
				return err
			}
			versions += len(vs)
		}
		m["Users"], m["Groups"], m["Policies"], m["PolicyVersionsInUse"] = len(users), len(groups), len(policies), versions
		roles, err := tx.Roles(account)
		if err != nil {
			return err
		}
		m["Roles"] = len(roles)
		devices, err := tx.MFADevices(account)
		if err != nil {
			return err
		}
		m["MFADevices"] = len(devices)
		for _, d := range devices {
			if d.Assigned() {
				m["MFADevicesInUse"]++
				if d.UserName == gatehouse.RootUserName {
					m["AccountMFAEnabled"] = 1
				}
			}
		}
		if len(rootKeys) > 0 {
			m["AccountAccessKeysPresent"] = 1
		}
		return nil
	})
	return m, err
}
