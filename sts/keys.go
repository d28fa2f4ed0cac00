package sts

import (
	"context"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// AccessKeyAccount returns the account that owns an access key ID,
// long-term or temporary (GetAccessKeyInfo). An ID no account of this
// server owns is InvalidParameterValue.
func (s *Service) AccessKeyAccount(ctx context.Context, id string) (string, error) {
	var account string
	err := s.Store.View(ctx, func(tx Tx) error {
		if strings.HasPrefix(id, "ASIA") {
			sess, err := tx.Session(id)
			if err == nil {
				account = sess.AccountID
			}
			return err
		}
		k, err := tx.AccessKey(id)
		if err == nil {
			account = k.AccountID
		}
		return err
	})
	if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
		return "", gatehouse.Errorf(gatehouse.CodeInvalidParameter, "The access key ID %s does not belong to an account of this server.", id)
	}
	return account, err
}
