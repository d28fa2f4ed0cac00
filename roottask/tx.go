package roottask

import "github.com/gatehouse-dev/gatehouse"

// Tx is the part of gatehouse.Tx the roottask package uses: the store
// transactions it runs see only these methods (gatehouse.Narrow[roottask.Tx]
// of the server's store).
type Tx interface {
	CreateAccount(a *gatehouse.Account) error
	// Account returns CodeNotFound for an unknown ID.
	Account(id string) (*gatehouse.Account, error)
	Accounts() ([]*gatehouse.Account, error)
	UpdateAccount(a *gatehouse.Account) error
	CreateAccessKey(k *gatehouse.AccessKey) error
	// AccessKeys lists the keys of a user ("" for the root user), oldest
	// first.
	AccessKeys(accountID, userName string) ([]*gatehouse.AccessKey, error)
	DeleteAccessKey(id string) error
	// DeleteRootSessions deletes the temporary credentials of the
	// account's root user (its sign-in sessions only, when signInOnly)
	// and returns how many it deleted. Unlike creating a session, this
	// moves the revision: caches must forget the deleted sessions.
	DeleteRootSessions(accountID string, signInOnly bool) (int, error)
	// MFADevices lists an account's devices sorted by serial number.
	MFADevices(accountID string) ([]*gatehouse.MFADevice, error)
	// DeleteMFADevice deletes a device (CodeNotFound when unknown).
	DeleteMFADevice(serialNumber string) error
	// AddOutboxMessage stores a message; a zero CreatedAt is set to the
	// transaction's time, an empty ID is generated and an empty delivery
	// status is DeliveryPending.
	AddOutboxMessage(m *gatehouse.OutboxMessage) error
	// PutRootPasswordReset stores r as its account's pending reset,
	// replacing any earlier one; a zero CreatedAt is set to the
	// transaction's time. CodeNotFound for an unknown account.
	PutRootPasswordReset(r *gatehouse.RootPasswordReset) error
	// RootPasswordReset returns the account's pending reset
	// (CodeNotFound when it has none).
	RootPasswordReset(accountID string) (*gatehouse.RootPasswordReset, error)
	// DeleteRootPasswordReset deletes the account's pending reset, if
	// any.
	DeleteRootPasswordReset(accountID string) error
	// PutSellerProfile creates or replaces the account's seller profile.
	PutSellerProfile(p *gatehouse.SellerProfile) error
	SellerProfile(accountID string) (*gatehouse.SellerProfile, error)
	// CreateGovCloudAccount fails with CodeAlreadyExists when the
	// standard account has one already or the ID is taken.
	CreateGovCloudAccount(g *gatehouse.GovCloudAccount) error
	// GovCloudAccount looks the GovCloud account of a standard account up.
	GovCloudAccount(standardAccountID string) (*gatehouse.GovCloudAccount, error)
	UpdateGovCloudAccount(g *gatehouse.GovCloudAccount) error
	CreateSupportCase(c *gatehouse.SupportCase) error
	SupportCase(id string) (*gatehouse.SupportCase, error)
	UpdateSupportCase(c *gatehouse.SupportCase) error
	// PutPaymentPreferences creates or replaces an account's preferences;
	// a zero UpdatedAt is set to the transaction's time.
	PutPaymentPreferences(p *gatehouse.PaymentPreferences) error
	// PaymentPreferences returns CodeNotFound when the account has set
	// none.
	PaymentPreferences(accountID string) (*gatehouse.PaymentPreferences, error)
}
