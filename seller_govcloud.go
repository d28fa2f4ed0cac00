package gatehouse

import "time"

// Tax registrations, the Reserved Instance Marketplace seller profile,
// linked AWS GovCloud (US) accounts and support cases (aws-reference §1.2
// C1, C2, D1 and the Tax Settings API).

// PartitionGovCloud is the partition of linked GovCloud (US) accounts.
const PartitionGovCloud = "aws-us-gov"

// TaxRegistration is an account's tax registration (the Tax Settings
// API's TaxRegistration). Registration numbers are ordinary data, not
// secrets.
type TaxRegistration struct {
	AccountID string
	// RegistrationID is the registration number; RegistrationType its
	// kind (VAT, GST, ...).
	RegistrationID   string
	RegistrationType string
	LegalName        string
	// LegalAddress is nil when not given (a registration is refused
	// without one).
	LegalAddress *TaxAddress
	// Sector is Business, Individual or Government ("" when not given).
	Sector string
	// CertifiedEmail is the certified email address some countries ask
	// for ("" when not given).
	CertifiedEmail string
	// AdditionalInfo holds the country-specific details as the client
	// gave them: a JSON object Gatehouse keeps and returns without
	// reading it (nil when not given).
	AdditionalInfo []byte
	Status         string
	UpdatedAt      time.Time
}

// TaxAddress is the legal address of a tax registration.
type TaxAddress struct {
	Line1, Line2, Line3 string
	City                string
	DistrictOrCounty    string
	StateOrRegion       string
	PostalCode          string
	CountryCode         string
}

// Seller profile statuses.
const (
	SellerNotRegistered = "NOT_REGISTERED"
	SellerPending       = "PENDING"
	SellerRegistered    = "REGISTERED"
)

// SellerProfile is an account's Reserved Instance Marketplace seller
// registration. The bank details and the tax ID are secrets: stores seal
// them at rest.
type SellerProfile struct {
	AccountID     string
	LegalName     string
	BankAccount   Secret
	RoutingNumber Secret
	TaxID         Secret
	Status        string
	RegisteredAt  time.Time
}

// GovCloudAccount is the AWS GovCloud (US) account linked to a standard
// account at GovCloud sign-up. It has its own root user, whose access key
// (RootKeyID, RootKeySecret) is issued only when AWS Support fulfils a
// root key request.
type GovCloudAccount struct {
	ID                string
	StandardAccountID string
	State             string // AccountActive
	CreatedAt         time.Time
	RootKeyID         string
	RootKeySecret     Secret
	RootKeyCreatedAt  time.Time
}

// RootARN returns the ARN of the GovCloud account's root user (the
// account is also an [Account] with Partition PartitionGovCloud).
func (g *GovCloudAccount) RootARN() string {
	return "arn:" + PartitionGovCloud + ":iam::" + g.ID + ":root"
}

// Support case kinds and statuses.
const (
	CaseGovCloudRootKeys = "GOVCLOUD_ROOT_ACCESS_KEYS"
	CaseOpen             = "OPEN"
	CaseResolved         = "RESOLVED"
)

// SupportCase is a request to AWS Support, fulfilled by the operator.
type SupportCase struct {
	ID         string
	AccountID  string
	Kind       string
	Subject    string
	Status     string
	CreatedAt  time.Time
	ResolvedAt time.Time
}

// SellerGovCloudTx covers tax registrations, seller profiles, GovCloud
// accounts and support cases. Lookups return CodeNotFound when there is
// none.
type SellerGovCloudTx interface {
	// PutTaxRegistration creates or replaces the account's registration.
	PutTaxRegistration(r *TaxRegistration) error
	TaxRegistration(accountID string) (*TaxRegistration, error)
	// PutSellerProfile creates or replaces the account's seller profile.
	PutSellerProfile(p *SellerProfile) error
	SellerProfile(accountID string) (*SellerProfile, error)
	// CreateGovCloudAccount fails with CodeAlreadyExists when the
	// standard account has one already or the ID is taken.
	CreateGovCloudAccount(g *GovCloudAccount) error
	// GovCloudAccount looks the GovCloud account of a standard account up.
	GovCloudAccount(standardAccountID string) (*GovCloudAccount, error)
	UpdateGovCloudAccount(g *GovCloudAccount) error
	CreateSupportCase(c *SupportCase) error
	SupportCase(id string) (*SupportCase, error)
	UpdateSupportCase(c *SupportCase) error
}
