package policy

// AWS's MalformedPolicyDocument messages (aws-reference §4.10).
const (
	MsgSyntax             = "Syntax errors in policy."
	MsgVersion            = "Policy document must be version 2012-10-17 or greater."
	MsgLegacyParsing      = "The policy failed legacy parsing"
	MsgDuplicateSid       = "Statement IDs (SID) in a single policy must be unique."
	MsgSidNotAlphanumeric = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"
	MsgNoActions          = "Policy statement must contain actions."
	MsgNoResources        = "Policy statement must contain resources."
	MsgNoVendor           = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	MsgOneColon           = "Actions/Condition can contain only one colon."
	MsgVendorRegex        = "Resource vendor must be fully qualified and cannot contain regexes."
	MsgPrincipalForbidden = "Policy document should not specify a principal."
	MsgMissingPrincipal   = "Missing required field Principal"
	MsgProhibitedResource = "Has prohibited field Resource"
	MsgBadCharacters      = `1 validation error detected: Value at 'policyDocument' failed to satisfy constraint: Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`
	MsgIAMResourcePath    = `IAM resource path must either be "*" or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.`
)

// Version strings of the policy language.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)
