package iam

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/password"
)

// AccountSpec describes a new account. Empty fields are generated (an
// empty Name is gatehouse.DefaultAccountName: the email's local part).
type AccountSpec struct {
	ID        string
	Email     string
	Name      string
	CreatedAt time.Time
	// RootPassword is hashed before it is stored; empty means none.
	RootPassword gatehouse.Secret
	// RootAccessKeyID and RootSecretAccessKey create a root access key
	// with known values; CreateRootKey creates one with generated values.
	RootAccessKeyID     string
	RootSecretAccessKey gatehouse.Secret
	CreateRootKey       bool
	// IAMBillingAccess turns on "IAM user and role access to Billing
	// information" (as AWS Organizations' CreateAccount does by default);
	// standalone accounts start with it off.
	IAMBillingAccess bool
}

// CreateAccount creates an account with its root user, and a root access
// key when asked. The key's secret is returned once.
func (s *Service) CreateAccount(ctx context.Context, spec AccountSpec) (*gatehouse.Account, *gatehouse.AccessKey, error) {
	if spec.ID == "" {
		id, err := s.newAccountID()
		if err != nil {
			return nil, nil, err
		}
		spec.ID = id
	}
	if len(spec.ID) != 12 || strings.Trim(spec.ID, "0123456789") != "" {
		return nil, nil, gatehouse.Errorf(gatehouse.CodeInvalid, "The account ID %q must be 12 digits.", spec.ID)
	}
	if !gatehouse.ValidEmail(spec.Email) {
		return nil, nil, gatehouse.Errorf(gatehouse.CodeInvalid, "The email address %q is not valid: it must match %s and have at most %d characters.",
			spec.Email, gatehouse.EmailPattern, gatehouse.MaxEmailLength)
	}
	if spec.CreatedAt.IsZero() {
		spec.CreatedAt = s.now()
	}
	if spec.Name == "" {
		spec.Name = gatehouse.DefaultAccountName(spec.Email, spec.ID)
	}
	a := &gatehouse.Account{ID: spec.ID, Email: spec.Email, Name: spec.Name, CreatedAt: spec.CreatedAt.UTC(),
		IAMBillingAccess: spec.IAMBillingAccess}
	if spec.RootPassword != "" {
		h, err := password.Hash(spec.RootPassword.Reveal(), password.Default, s.rand())
		if err != nil {
			return nil, nil, err
		}
		a.RootPasswordHash = h
	}
	var key *gatehouse.AccessKey
	if spec.RootAccessKeyID != "" || spec.CreateRootKey {
		key = &gatehouse.AccessKey{ID: spec.RootAccessKeyID, AccountID: a.ID, Status: gatehouse.KeyActive,
			Secret: spec.RootSecretAccessKey, CreatedAt: s.now()}
		var err error
		if key.ID == "" {
			if key.ID, err = s.NewAccessKeyID(); err != nil {
				return nil, nil, err
			}
		}
		if key.Secret == "" {
			if key.Secret, err = s.NewSecretAccessKey(); err != nil {
				return nil, nil, err
			}
		}
		if len(key.ID) < 16 || len(key.ID) > 128 {
			return nil, nil, gatehouse.Errorf(gatehouse.CodeInvalid, "The access key ID must be 16 to 128 characters.")
		}
	}
	err := s.Store.Update(ctx, func(tx Tx) error {
		if err := tx.CreateAccount(a); err != nil {
			if gatehouse.ErrorCode(err) == gatehouse.CodeAlreadyExists {
				return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "Account %s already exists.", a.ID)
			}
			return err
		}
		if key != nil {
			if err := tx.CreateAccessKey(key); err != nil {
				if gatehouse.ErrorCode(err) == gatehouse.CodeAlreadyExists {
					return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "Access key %s already exists.", key.ID)
				}
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return a, key, nil
}

func (s *Service) newAccountID() (string, error) {
	n, err := randInt(s.rand(), 1e12)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%012d", n), nil
}

func randInt(r interface{ Read([]byte) (int, error) }, max int64) (int64, error) {
	b := make([]byte, 8)
	if _, err := r.Read(b); err != nil {
		return 0, err
	}
	n := new(big.Int).SetBytes(b)
	return n.Mod(n, big.NewInt(max)).Int64(), nil
}
