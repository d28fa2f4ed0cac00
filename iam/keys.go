package iam

import (
	"context"

	"github.com/gatehouse-dev/gatehouse"
)

// MaxRootAccessKeys is the root user's access-key quota.
const MaxRootAccessKeys = 2

// CreateAccessKey creates an access key for an IAM user, or for the root
// user when userName is "". The secret is returned once, in the result.
func (s *Service) CreateAccessKey(ctx context.Context, account, userName string) (*gatehouse.AccessKey, error) {
	id, err := s.NewAccessKeyID()
	if err != nil {
		return nil, err
	}
	secret, err := s.NewSecretAccessKey()
	if err != nil {
		return nil, err
	}
	k := &gatehouse.AccessKey{ID: id, AccountID: account, Status: gatehouse.KeyActive, Secret: secret, CreatedAt: s.now()}
	err = s.Store.Update(ctx, func(tx Tx) error {
		if userName != "" {
			u, err := getUser(tx, account, userName)
			if err != nil {
				return err
			}
			k.UserName = u.Name
		}
		keys, err := tx.AccessKeys(account, k.UserName)
		if err != nil {
			return err
		}
		if len(keys) >= MaxAccessKeysPerUser {
			return gatehouse.Errorf(gatehouse.CodeLimit, "Cannot exceed quota for AccessKeysPerUser: %d", MaxAccessKeysPerUser)
		}
		return tx.CreateAccessKey(k)
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// AccessKeys lists the keys of a user ("" for root).
func (s *Service) AccessKeys(ctx context.Context, account, userName string) ([]*gatehouse.AccessKey, string, error) {
	var out []*gatehouse.AccessKey
	name := userName
	err := s.Store.View(ctx, func(tx Tx) error {
		if userName != "" {
			u, err := getUser(tx, account, userName)
			if err != nil {
				return err
			}
			name = u.Name
		}
		var err error
		out, err = tx.AccessKeys(account, name)
		return err
	})
	return out, name, err
}

// ownedKey fetches a key that belongs to the given user of the account.
func ownedKey(tx Tx, account, userName, keyID string) (*gatehouse.AccessKey, error) {
	if userName != "" {
		u, err := getUser(tx, account, userName)
		if err != nil {
			return nil, err
		}
		userName = u.Name
	}
	k, err := tx.AccessKey(keyID)
	if err != nil || k.AccountID != account || k.UserName != userName {
		if err == nil || gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
			return nil, gatehouse.Errorf(gatehouse.CodeNotFound, "The Access Key with id %s cannot be found.", keyID)
		}
		return nil, err
	}
	return k, nil
}

// UpdateAccessKey activates or deactivates a key.
func (s *Service) UpdateAccessKey(ctx context.Context, account, userName, keyID string, status gatehouse.AccessKeyStatus) error {
	if status != gatehouse.KeyActive && status != gatehouse.KeyInactive {
		return validationError(string(status), "status", "satisfy enum value set: [Active, Inactive]")
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		k, err := ownedKey(tx, account, userName, keyID)
		if err != nil {
			return err
		}
		k.Status = status
		return tx.UpdateAccessKey(k)
	})
}

// DeleteAccessKey deletes a key.
func (s *Service) DeleteAccessKey(ctx context.Context, account, userName, keyID string) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		if _, err := ownedKey(tx, account, userName, keyID); err != nil {
			return err
		}
		return tx.DeleteAccessKey(keyID)
	})
}

// AccessKeyLastUsed returns a key of the account and its last use.
func (s *Service) AccessKeyLastUsed(ctx context.Context, account, keyID string) (*gatehouse.AccessKey, error) {
	var k *gatehouse.AccessKey
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		k, err = tx.AccessKey(keyID)
		if (err == nil && k.AccountID != account) || gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
			return gatehouse.Errorf(gatehouse.CodeDenied, "The Access Key with id %s cannot be found.", keyID)
		}
		return err
	})
	return k, err
}

// RecordKeyUse stores the last use of a key.
func (s *Service) RecordKeyUse(ctx context.Context, keyID, service, region string) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		k, err := tx.AccessKey(keyID)
		if err != nil {
			return err
		}
		k.LastUsed = &gatehouse.AccessKeyUse{Time: s.now(), Service: service, Region: region}
		return tx.UpdateAccessKey(k)
	})
}
