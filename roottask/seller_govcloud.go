package roottask

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse"
)

// Reserved Instance Marketplace seller registration (aws-reference §1.2
// D1) and AWS GovCloud (US) sign-up and root key requests (C1, C2).

// SellerRegistration is what root submits to register as a seller.
type SellerRegistration struct {
	LegalName     string
	BankAccount   gatehouse.Secret
	RoutingNumber gatehouse.Secret
	TaxID         gatehouse.Secret
}

func digits(member string, s gatehouse.Secret, min, max int) error {
	v := s.Reveal()
	ok := len(v) >= min && len(v) <= max
	for i := 0; ok && i < len(v); i++ {
		ok = v[i] >= '0' && v[i] <= '9'
	}
	if !ok {
		return gatehouse.Errorf(gatehouse.CodeInvalid, "%s must be %d to %d digits.", member, min, max)
	}
	return nil
}

// RegisterSeller registers the account as a Reserved Instance Marketplace
// seller. Registration completes at once (status REGISTERED); a later
// registration replaces the profile.
func (s *Service) RegisterSeller(ctx context.Context, accountID string, r SellerRegistration) (*gatehouse.SellerProfile, error) {
	if n := utf8.RuneCountInString(strings.TrimSpace(r.LegalName)); n < 1 || n > 200 {
		return nil, gatehouse.Errorf(gatehouse.CodeInvalid, "LegalName must be 1 to 200 characters long.")
	}
	if err := digits("BankAccountNumber", r.BankAccount, 4, 17); err != nil {
		return nil, err
	}
	if err := digits("RoutingNumber", r.RoutingNumber, 9, 9); err != nil {
		return nil, err
	}
	tax := strings.ReplaceAll(r.TaxID.Reveal(), "-", "")
	if err := digits("TaxId", gatehouse.Secret(tax), 9, 9); err != nil {
		return nil, err
	}
	p := &gatehouse.SellerProfile{AccountID: accountID, LegalName: strings.TrimSpace(r.LegalName),
		BankAccount: r.BankAccount, RoutingNumber: r.RoutingNumber, TaxID: gatehouse.Secret(tax),
		Status: gatehouse.SellerRegistered, RegisteredAt: s.now()}
	err := s.Store.Update(ctx, func(tx Tx) error { return tx.PutSellerProfile(p) })
	if err != nil {
		return nil, err
	}
	return p, nil
}

// SellerProfile returns the seller profile, or nil when the account has
// not registered.
func (s *Service) SellerProfile(ctx context.Context, accountID string) (*gatehouse.SellerProfile, error) {
	var p *gatehouse.SellerProfile
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		p, err = tx.SellerProfile(accountID)
		return err
	})
	if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
		return nil, nil
	}
	return p, err
}

// Mask shows the last 4 characters of a secret only.
func Mask(s gatehouse.Secret) string {
	v := s.Reveal()
	if len(v) <= 4 {
		return strings.Repeat("*", len(v))
	}
	return strings.Repeat("*", len(v)-4) + v[len(v)-4:]
}

// derivedID returns 12 digits derived from seed, not starting with 0:
// GovCloud account and case IDs are stable for a given account and time,
// so goldens and docs can show them.
func derivedID(seed string, attempt int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", seed, attempt)))
	n := new(big.Int).SetBytes(sum[:8]).Uint64()%9e11 + 1e11
	return fmt.Sprintf("%012d", n)
}

// SignUpGovCloud creates the GovCloud (US) account linked to the account:
// a new 12-digit ID in partition aws-us-gov, an account of its own with
// its own root user and no access keys yet.
func (s *Service) SignUpGovCloud(ctx context.Context, accountID string) (*gatehouse.GovCloudAccount, error) {
	var g *gatehouse.GovCloudAccount
	err := s.Store.Update(ctx, func(tx Tx) error {
		std, err := tx.Account(accountID)
		if err != nil {
			return err
		}
		if std.ARNPartition() != gatehouse.Partition {
			return gatehouse.Errorf(gatehouse.CodeInvalid, "The account %s is an AWS GovCloud (US) account: GovCloud sign-up is for standard accounts.", accountID)
		}
		if old, err := tx.GovCloudAccount(accountID); err == nil {
			return gatehouse.Errorf(gatehouse.CodeConflict, "Account %s is already linked to the GovCloud account %s.", accountID, old.ID)
		}
		for attempt := range 10 {
			id := derivedID("govcloud/"+accountID, attempt)
			if id == accountID || id[0] == '0' {
				continue
			}
			g = &gatehouse.GovCloudAccount{ID: id, StandardAccountID: accountID, State: gatehouse.AccountActive, CreatedAt: s.now()}
			err := tx.CreateGovCloudAccount(g)
			if gatehouse.ErrorCode(err) == gatehouse.CodeAlreadyExists {
				if _, e := tx.GovCloudAccount(accountID); e == nil {
					return err
				}
				continue // the ID is taken: draw another
			}
			if err != nil {
				return err
			}
			if err := govCloudAccountRow(tx, g, std); err != nil {
				return err
			}
			a := std
			return s.send(tx, a, a.Email, "Your AWS GovCloud (US) account",
				"Account "+accountID+" signed up for AWS GovCloud (US). The linked GovCloud account is "+id+
					"; its root user is "+g.RootARN()+".\nRequest its root access keys with gatehouse support: "+
					"RequestGovCloudRootAccessKeys.\n")
		}
		return fmt.Errorf("GovCloud account id: no free id")
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// govCloudAccountRow creates the account row of a linked GovCloud account
// (partition aws-us-gov), unless it exists: GovCloud accounts linked
// before Gatehouse kept them as accounts get theirs when their root key is
// issued. Its root user has no email address or password: AWS gives
// GovCloud root users no sign-in, only the access key AWS Support issues.
func govCloudAccountRow(tx Tx, g *gatehouse.GovCloudAccount, std *gatehouse.Account) error {
	_, err := tx.Account(g.ID)
	if gatehouse.ErrorCode(err) != gatehouse.CodeNotFound {
		return err
	}
	return tx.CreateAccount(&gatehouse.Account{ID: g.ID, Name: "AWS GovCloud (US) account of " + std.ID, CreatedAt: g.CreatedAt,
		Partition: gatehouse.PartitionGovCloud})
}

// GovCloudAccount returns the linked GovCloud account (gatehouse.CodeNotFound when
// there is none).
func (s *Service) GovCloudAccount(ctx context.Context, accountID string) (*gatehouse.GovCloudAccount, error) {
	var g *gatehouse.GovCloudAccount
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		g, err = tx.GovCloudAccount(accountID)
		return err
	})
	if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
		return nil, gatehouse.Errorf(gatehouse.CodeNotFound, "The account %s has no linked AWS GovCloud (US) account.", accountID)
	}
	return g, err
}

// RequestGovCloudRootKeys opens a support case asking for the root access
// keys of the linked GovCloud account.
func (s *Service) RequestGovCloudRootKeys(ctx context.Context, accountID string) (*gatehouse.SupportCase, error) {
	var c *gatehouse.SupportCase
	err := s.Store.Update(ctx, func(tx Tx) error {
		g, err := tx.GovCloudAccount(accountID)
		if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
			return gatehouse.Errorf(gatehouse.CodeNotFound, "The account %s has no linked AWS GovCloud (US) account: call SignUpGovCloud first.", accountID)
		}
		if err != nil {
			return err
		}
		n := derivedID("case/"+accountID+"/"+s.now().Format(time.RFC3339Nano), 0)
		c = &gatehouse.SupportCase{ID: "case-" + accountID + "-" + n[2:], AccountID: accountID,
			Kind: gatehouse.CaseGovCloudRootKeys, Subject: "Root access keys for AWS GovCloud (US) account " + g.ID,
			Status: gatehouse.CaseOpen, CreatedAt: s.now()}
		return tx.CreateSupportCase(c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// SupportCase returns a case of the account (gatehouse.CodeNotFound for another
// account's case).
func (s *Service) SupportCase(ctx context.Context, accountID, id string) (*gatehouse.SupportCase, error) {
	var c *gatehouse.SupportCase
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		c, err = tx.SupportCase(id)
		return err
	})
	if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound || err == nil && c.AccountID != accountID {
		return nil, gatehouse.Errorf(gatehouse.CodeNotFound, "The support case %s cannot be found.", id)
	}
	return c, err
}

// FulfillGovCloudRootKeyRequest is AWS Support's side of a root key
// request (an operator command): it issues the GovCloud account's root
// access key, resolves the case and returns the account with the secret,
// to be shown once. A GovCloud account has at most one root key here.
func (s *Service) FulfillGovCloudRootKeyRequest(ctx context.Context, caseID string) (*gatehouse.GovCloudAccount, error) {
	var g *gatehouse.GovCloudAccount
	err := s.Store.Update(ctx, func(tx Tx) error {
		c, err := tx.SupportCase(caseID)
		if err != nil {
			return err
		}
		if c.Kind != gatehouse.CaseGovCloudRootKeys {
			return gatehouse.Errorf(gatehouse.CodeInvalid, "Support case %s is not a GovCloud root access key request.", caseID)
		}
		if c.Status != gatehouse.CaseOpen {
			return gatehouse.Errorf(gatehouse.CodeConflict, "Support case %s is %s.", caseID, c.Status)
		}
		if g, err = tx.GovCloudAccount(c.AccountID); err != nil {
			return err
		}
		if g.RootKeyID != "" {
			return gatehouse.Errorf(gatehouse.CodeConflict, "The GovCloud account %s already has a root access key (%s).", g.ID, g.RootKeyID)
		}
		b := make([]byte, 40)
		if _, err := io.ReadFull(s.rand(), b); err != nil {
			return fmt.Errorf("root key: %w", err)
		}
		a, err := tx.Account(c.AccountID)
		if err != nil {
			return err
		}
		if err := govCloudAccountRow(tx, g, a); err != nil {
			return err
		}
		// The key is the GovCloud account's root access key, which
		// authenticates like any other; the secret is kept (sealed) with
		// the key only, and shown once by the operator command.
		secret := gatehouse.Secret(base64.StdEncoding.EncodeToString(b[10:]))
		key := &gatehouse.AccessKey{ID: "AKIA" + base32.StdEncoding.EncodeToString(b[:10])[:16], AccountID: g.ID,
			Status: gatehouse.KeyActive, Secret: secret, CreatedAt: s.now()}
		if err := tx.CreateAccessKey(key); err != nil {
			return err
		}
		g.RootKeyID, g.RootKeyCreatedAt = key.ID, key.CreatedAt
		if err := tx.UpdateGovCloudAccount(g); err != nil {
			return err
		}
		g.RootKeySecret = secret
		c.Status, c.ResolvedAt = gatehouse.CaseResolved, s.now()
		if err := tx.UpdateSupportCase(c); err != nil {
			return err
		}
		return s.send(tx, a, a.Email, "AWS Support case "+c.ID+" resolved",
			"The root access key "+g.RootKeyID+" of AWS GovCloud (US) account "+g.ID+" was issued to the operator, who shows its secret once.\n")
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}
