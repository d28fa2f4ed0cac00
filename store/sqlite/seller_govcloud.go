package sqlite

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/gatehouse-dev/gatehouse"
)

// Tax registrations, seller profiles, GovCloud accounts and support
// cases (migration 0008). Secrets are sealed with additional data naming
// their row and column, so a sealed value cannot be moved elsewhere.

func noSuch(what, id string) error {
	return gatehouse.Errorf(gatehouse.CodeNotFound, "The %s %s cannot be found.", what, id)
}

// PutTaxRegistration creates or replaces an account's tax registration.
func (t *tx) PutTaxRegistration(r *gatehouse.TaxRegistration) error {
	r.UpdatedAt = t.stamp(r.UpdatedAt)
	doc, err := encodeTaxRegistration(r)
	if err != nil {
		return fmt.Errorf("put tax registration: %w", err)
	}
	_, err = t.exec(`INSERT INTO tax_registrations (account_id, document, status, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET document = excluded.document, status = excluded.status, updated_at = excluded.updated_at`,
		r.AccountID, doc, r.Status, encodeTime(r.UpdatedAt))
	if err != nil {
		return fmt.Errorf("put tax registration: %w", err)
	}
	return nil
}

// TaxRegistration returns an account's tax registration.
func (t *tx) TaxRegistration(accountID string) (*gatehouse.TaxRegistration, error) {
	r := gatehouse.TaxRegistration{AccountID: accountID}
	var doc string
	var updated sql.NullInt64
	err := t.queryRow(`SELECT document, status, updated_at FROM tax_registrations WHERE account_id = ?`, accountID).
		Scan(&doc, &r.Status, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noSuch("tax registration of account", accountID)
	}
	if err != nil {
		return nil, fmt.Errorf("tax registration: %w", err)
	}
	if err := decodeTaxRegistration(doc, &r); err != nil {
		return nil, fmt.Errorf("tax registration of account %s: %w", accountID, err)
	}
	r.UpdatedAt = decodeTime(updated)
	return &r, nil
}

// PutSellerProfile creates or replaces an account's seller profile,
// sealing its secrets.
func (t *tx) PutSellerProfile(p *gatehouse.SellerProfile) error {
	var sealed [3][]byte
	for i, s := range []gatehouse.Secret{p.BankAccount, p.RoutingNumber, p.TaxID} {
		var err error
		if sealed[i], err = t.seal(sellerAAD(p.AccountID, i), s); err != nil {
			return fmt.Errorf("seal seller profile: %w", err)
		}
	}
	_, err := t.exec(`INSERT INTO seller_profiles (account_id, legal_name, bank_account, routing_number, tax_id, status, registered_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET legal_name = excluded.legal_name, bank_account = excluded.bank_account,
			routing_number = excluded.routing_number, tax_id = excluded.tax_id, status = excluded.status,
			registered_at = excluded.registered_at`,
		p.AccountID, p.LegalName, sealed[0], sealed[1], sealed[2], p.Status, encodeTime(p.RegisteredAt))
	if err != nil {
		return fmt.Errorf("put seller profile: %w", err)
	}
	return nil
}

func sellerAAD(accountID string, i int) string {
	return "seller/" + accountID + "/" + [...]string{"bank_account", "routing_number", "tax_id"}[i]
}

// SellerProfile returns an account's seller profile.
func (t *tx) SellerProfile(accountID string) (*gatehouse.SellerProfile, error) {
	p := gatehouse.SellerProfile{AccountID: accountID}
	var sealed [3][]byte
	var registered sql.NullInt64
	err := t.queryRow(`SELECT legal_name, bank_account, routing_number, tax_id, status, registered_at
		FROM seller_profiles WHERE account_id = ?`, accountID).
		Scan(&p.LegalName, &sealed[0], &sealed[1], &sealed[2], &p.Status, &registered)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noSuch("seller profile of account", accountID)
	}
	if err != nil {
		return nil, fmt.Errorf("seller profile: %w", err)
	}
	for i, dst := range []*gatehouse.Secret{&p.BankAccount, &p.RoutingNumber, &p.TaxID} {
		if *dst, err = t.open(sellerAAD(accountID, i), sealed[i]); err != nil {
			return nil, fmt.Errorf("seller profile of %s: %w", accountID, err)
		}
	}
	p.RegisteredAt = decodeTime(registered)
	return &p, nil
}

// govCloudKey returns the sealed root secret of g, or nil without a key.
func (t *tx) govCloudKey(g *gatehouse.GovCloudAccount) (sql.NullString, []byte, error) {
	if g.RootKeyID == "" {
		return sql.NullString{}, nil, nil
	}
	sealed, err := t.seal(g.RootKeyID, g.RootKeySecret)
	return sql.NullString{String: g.RootKeyID, Valid: true}, sealed, err
}

// CreateGovCloudAccount stores a linked GovCloud account.
func (t *tx) CreateGovCloudAccount(g *gatehouse.GovCloudAccount) error {
	g.CreatedAt = t.stamp(g.CreatedAt)
	if _, err := t.Account(g.ID); err == nil {
		return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "Account with id %s already exists.", g.ID)
	}
	keyID, sealed, err := t.govCloudKey(g)
	if err != nil {
		return fmt.Errorf("seal GovCloud root key: %w", err)
	}
	_, err = t.exec(`INSERT INTO govcloud_accounts (id, standard_account_id, state, created_at, root_key_id, root_key_secret, root_key_created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, g.ID, g.StandardAccountID, g.State, encodeTime(g.CreatedAt), keyID, sealed, encodeTime(g.RootKeyCreatedAt))
	if constraintOf(err) != noConstraint {
		return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "Account %s already has a linked GovCloud account.", g.StandardAccountID)
	}
	if err != nil {
		return fmt.Errorf("create GovCloud account: %w", err)
	}
	return nil
}

// GovCloudAccount returns the GovCloud account linked to a standard one.
func (t *tx) GovCloudAccount(standardAccountID string) (*gatehouse.GovCloudAccount, error) {
	var g gatehouse.GovCloudAccount
	var created, keyCreated sql.NullInt64
	var keyID sql.NullString
	var sealed []byte
	err := t.queryRow(`SELECT id, standard_account_id, state, created_at, root_key_id, root_key_secret, root_key_created_at
		FROM govcloud_accounts WHERE standard_account_id = ?`, standardAccountID).
		Scan(&g.ID, &g.StandardAccountID, &g.State, &created, &keyID, &sealed, &keyCreated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noSuch("GovCloud account linked to account", standardAccountID)
	}
	if err != nil {
		return nil, fmt.Errorf("GovCloud account: %w", err)
	}
	g.CreatedAt, g.RootKeyCreatedAt = decodeTime(created), decodeTime(keyCreated)
	if keyID.Valid {
		g.RootKeyID = keyID.String
		if g.RootKeySecret, err = t.open(g.RootKeyID, sealed); err != nil {
			return nil, fmt.Errorf("GovCloud account %s: %w", g.ID, err)
		}
	}
	return &g, nil
}

// UpdateGovCloudAccount replaces a GovCloud account's state and root key.
func (t *tx) UpdateGovCloudAccount(g *gatehouse.GovCloudAccount) error {
	keyID, sealed, err := t.govCloudKey(g)
	if err != nil {
		return fmt.Errorf("seal GovCloud root key: %w", err)
	}
	res, err := t.exec(`UPDATE govcloud_accounts SET state = ?, root_key_id = ?, root_key_secret = ?, root_key_created_at = ? WHERE id = ?`,
		g.State, keyID, sealed, encodeTime(g.RootKeyCreatedAt), g.ID)
	if err != nil {
		return fmt.Errorf("update GovCloud account: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return noSuch("GovCloud account", g.ID)
	}
	return nil
}

const supportCaseColumns = `id, account_id, kind, subject, status, created_at, resolved_at`

// CreateSupportCase stores a support case.
func (t *tx) CreateSupportCase(c *gatehouse.SupportCase) error {
	c.CreatedAt = t.stamp(c.CreatedAt)
	_, err := t.exec(`INSERT INTO support_cases (`+supportCaseColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.AccountID, c.Kind, c.Subject, c.Status, encodeTime(c.CreatedAt), encodeTime(c.ResolvedAt))
	if constraintOf(err) != noConstraint {
		return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "Support case %s already exists.", c.ID)
	}
	if err != nil {
		return fmt.Errorf("create support case: %w", err)
	}
	return nil
}

// SupportCase returns a support case by ID.
func (t *tx) SupportCase(id string) (*gatehouse.SupportCase, error) {
	var c gatehouse.SupportCase
	var created, resolved sql.NullInt64
	err := t.queryRow(`SELECT `+supportCaseColumns+` FROM support_cases WHERE id = ?`, id).
		Scan(&c.ID, &c.AccountID, &c.Kind, &c.Subject, &c.Status, &created, &resolved)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noSuch("support case", id)
	}
	if err != nil {
		return nil, fmt.Errorf("support case: %w", err)
	}
	c.CreatedAt, c.ResolvedAt = decodeTime(created), decodeTime(resolved)
	return &c, nil
}

// UpdateSupportCase replaces a case's status and resolution time.
func (t *tx) UpdateSupportCase(c *gatehouse.SupportCase) error {
	res, err := t.exec(`UPDATE support_cases SET status = ?, resolved_at = ? WHERE id = ?`, c.Status, encodeTime(c.ResolvedAt), c.ID)
	if err != nil {
		return fmt.Errorf("update support case: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return noSuch("support case", c.ID)
	}
	return nil
}
