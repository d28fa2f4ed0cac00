package sts

import "github.com/gatehouse-dev/gatehouse"

// Tx is the part of gatehouse.Tx the sts package uses: the store
// transactions it runs see only these methods (gatehouse.Narrow[sts.Tx]
// of the server's store).
type Tx interface {
	// AccessKey looks a key up by ID across all accounts.
	AccessKey(id string) (*gatehouse.AccessKey, error)
	Role(accountID, name string) (*gatehouse.Role, error)
	// UpdateRole replaces the role stored under oldName.
	UpdateRole(oldName string, r *gatehouse.Role) error
	CreateSession(s *gatehouse.Session) error
	// Session looks a session up by its access key ID (CodeNotFound
	// when unknown).
	Session(accessKeyID string) (*gatehouse.Session, error)
}
