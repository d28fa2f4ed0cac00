package api_test

import (
	"maps"
	"testing"
)

// passwordGoldens runs the console password and password policy
// operations for TestGolden, on a user of its own (pat), after the MFA
// goldens.
func passwordGoldens(t *testing.T, g *goldens) {
	t.Helper()
	maps.Copy(expectations, passwordExpectations)
	maps.Copy(errorCodes, map[string]string{
		"error_NoSuchEntity_password_policy":      "NoSuchEntity",
		"error_EntityAlreadyExists_login_profile": "EntityAlreadyExists",
		"error_DeleteConflict_login_profile":      "DeleteConflict",
	})
	g.iam(t, "error_NoSuchEntity_password_policy", 404, rootKey, iamForm("GetAccountPasswordPolicy"))
	g.root(t, "", iamForm("UpdateAccountPasswordPolicy", "MinimumPasswordLength", "12", "RequireNumbers", "true",
		"RequireUppercaseCharacters", "true", "AllowUsersToChangePassword", "true", "MaxPasswordAge", "90",
		"PasswordReusePrevention", "3"))
	g.root(t, "", iamForm("GetAccountPasswordPolicy"))
	g.setup(t, iamForm("CreateUser", "UserName", "pat"))
	r := g.setup(t, iamForm("CreateAccessKey", "UserName", "pat"))
	pat := key{id: field(t, r.body, "AccessKeyId"), secret: field(t, r.body, "SecretAccessKey")}
	g.iam(t, "error_PasswordPolicyViolation", 400, rootKey, iamForm("CreateLoginProfile", "UserName", "pat",
		"Password", "Short-1"))
	g.root(t, "", iamForm("CreateLoginProfile", "UserName", "pat", "Password", "Initial-Passw0rd", "PasswordResetRequired", "true"))
	g.iam(t, "error_EntityAlreadyExists_login_profile", 409, rootKey, iamForm("CreateLoginProfile", "UserName", "pat",
		"Password", "Another-Passw0rd"))
	g.root(t, "", iamForm("GetLoginProfile", "UserName", "pat"))
	// pat has no policy: AllowUsersToChangePassword lets it change its own.
	g.iam(t, "ChangePassword", 200, pat, iamForm("ChangePassword", "OldPassword", "Initial-Passw0rd", "NewPassword", "Changed-Passw0rd"))
	g.iam(t, "error_InvalidUserType", 400, rootKey, iamForm("ChangePassword", "OldPassword", "x", "NewPassword", "y"))
	g.root(t, "", iamForm("UpdateLoginProfile", "UserName", "pat", "PasswordResetRequired", "true"))
	g.iam(t, "error_DeleteConflict_login_profile", 409, rootKey, iamForm("DeleteUser", "UserName", "pat"))
	g.root(t, "", iamForm("DeleteLoginProfile", "UserName", "pat"))
	g.root(t, "", iamForm("DeleteAccountPasswordPolicy"))
	g.setup(t, iamForm("DeleteAccessKey", "UserName", "pat", "AccessKeyId", pat.id))
	g.setup(t, iamForm("DeleteUser", "UserName", "pat"))
}

// passwordExpectations are the expectations of the password goldens.
var passwordExpectations = map[string][]expectation{
	"GetAccountPasswordPolicy": {eq("PasswordPolicy.MinimumPasswordLength", 12), eq("PasswordPolicy.RequireNumbers", true),
		eq("PasswordPolicy.RequireSymbols", false), eq("PasswordPolicy.AllowUsersToChangePassword", true),
		eq("PasswordPolicy.ExpirePasswords", true), eq("PasswordPolicy.MaxPasswordAge", 90),
		eq("PasswordPolicy.PasswordReusePrevention", 3), absent("PasswordPolicy.HardExpiry")},
	"CreateLoginProfile": {eq("LoginProfile.UserName", "pat"), timestamp("LoginProfile.CreateDate"),
		eq("LoginProfile.PasswordResetRequired", true)},
	"GetLoginProfile": {eq("LoginProfile.UserName", "pat"), timestamp("LoginProfile.CreateDate"),
		eq("LoginProfile.PasswordResetRequired", true)},
}
