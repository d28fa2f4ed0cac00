package account

import "github.com/gatehouse-dev/gatehouse"

// Tx is the part of gatehouse.Tx the account package uses: the store
// transactions it runs see only these methods (gatehouse.Narrow[account.Tx]
// of the server's store).
type Tx interface {
	// AccountSettings returns the account's settings (the zero value
	// when none were put); CodeNotFound for an unknown account.
	AccountSettings(accountID string) (*gatehouse.AccountSettings, error)
	// PutAccountSettings replaces the account's settings;
	// CodeNotFound for an unknown account.
	PutAccountSettings(accountID string, s *gatehouse.AccountSettings) error
	// Account returns CodeNotFound for an unknown ID.
	Account(id string) (*gatehouse.Account, error)
	UpdateAccount(a *gatehouse.Account) error
}
