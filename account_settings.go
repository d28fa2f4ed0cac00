package gatehouse

// Account settings of the Account Management API (service "account"):
// contact information, alternate contacts and Region opt-in status. The
// account's name is Account.Name; its primary email is Account.Email.

// ContactInformation is the primary contact of an account. FullName,
// AddressLine1, City, PostalCode, CountryCode and PhoneNumber are
// required; the other fields may be "".
type ContactInformation struct {
	FullName         string
	AddressLine1     string
	AddressLine2     string
	AddressLine3     string
	City             string
	StateOrRegion    string
	DistrictOrCounty string
	PostalCode       string
	CountryCode      string
	PhoneNumber      string
	CompanyName      string
	WebsiteURL       string
}

// AlternateContactType is BILLING, OPERATIONS or SECURITY.
type AlternateContactType string

// Alternate contact types.
const (
	ContactBilling    AlternateContactType = "BILLING"
	ContactOperations AlternateContactType = "OPERATIONS"
	ContactSecurity   AlternateContactType = "SECURITY"
)

// AlternateContact is one of an account's alternate contacts.
type AlternateContact struct {
	Type         AlternateContactType
	Name         string
	Title        string
	EmailAddress string
	PhoneNumber  string
}

// RegionOptStatus is the opt-in status of a Region for an account.
type RegionOptStatus string

// Region opt-in states.
const (
	RegionEnabled          RegionOptStatus = "ENABLED"
	RegionEnabling         RegionOptStatus = "ENABLING"
	RegionDisabling        RegionOptStatus = "DISABLING"
	RegionDisabled         RegionOptStatus = "DISABLED"
	RegionEnabledByDefault RegionOptStatus = "ENABLED_BY_DEFAULT"
)

// AccountSettings are the settings of an account kept apart from
// [Account]. The zero value is an account where nothing was set.
type AccountSettings struct {
	// Contact is nil until contact information is put.
	Contact *ContactInformation
	// AlternateContacts holds at most one contact per type, sorted by
	// type.
	AlternateContacts []AlternateContact
	// Regions holds the opt-in status the account set for Regions
	// (opt-in Regions it enabled or disabled); a Region not listed has
	// its default status. nil when none was set.
	Regions map[string]RegionOptStatus
	// PasswordPolicy is the account's IAM password policy; nil when none
	// is set.
	PasswordPolicy *PasswordPolicy
}

// AccountSettingsTx covers account settings.
type AccountSettingsTx interface {
	// AccountSettings returns the account's settings (the zero value
	// when none were put); CodeNotFound for an unknown account.
	AccountSettings(accountID string) (*AccountSettings, error)
	// PutAccountSettings replaces the account's settings;
	// CodeNotFound for an unknown account.
	PutAccountSettings(accountID string, s *AccountSettings) error
}

// FieldError names a request member that failed validation.
type FieldError struct {
	Name    string
	Message string
}

// ValidationError is an CodeInvalid *Error with the details REST-JSON
// services report: a reason (fieldValidationFailed,
// invalidRegionOptTarget) and the members at fault. ErrorCode and
// ErrorMessage see the wrapped *Error.
type ValidationError struct {
	Err    *Error
	Reason string
	Fields []FieldError
}

func (e *ValidationError) Error() string { return e.Err.Error() }

// Unwrap returns the *Error.
func (e *ValidationError) Unwrap() error { return e.Err }
