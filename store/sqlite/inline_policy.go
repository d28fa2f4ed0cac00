package sqlite

import (
	"fmt"

	"github.com/gatehouse-dev/gatehouse"
)

func noSuchInlinePolicy(owner gatehouse.EntityRef, name string) error {
	return gatehouse.Errorf(gatehouse.CodeNotFound, "The %s policy with name %s cannot be found.", owner.Kind, name)
}

// PutInlinePolicy creates or replaces the owner's inline policy p.Name.
// Inline policy names are compared as spelled.
func (t *tx) PutInlinePolicy(p *gatehouse.InlinePolicy) error {
	tables, ownerID, _, err := t.owner(p.AccountID, p.Owner)
	if err != nil {
		return err
	}
	q := fmt.Sprintf(`INSERT INTO %s (%s, name, document) VALUES (?, ?, ?)
		ON CONFLICT DO UPDATE SET document = excluded.document`, tables.inline, tables.idColumn)
	if _, err := t.exec(q, ownerID, p.Name, p.Document); err != nil {
		return fmt.Errorf("put policy %q of %s %q: %w", p.Name, p.Owner.Kind, p.Owner.Name, err)
	}
	return nil
}

// InlinePolicy returns the owner's inline policy with the given name.
func (t *tx) InlinePolicy(accountID string, owner gatehouse.EntityRef, name string) (*gatehouse.InlinePolicy, error) {
	policies, err := t.inlinePolicies(accountID, owner, name)
	if err != nil {
		return nil, err
	}
	if len(policies) == 0 {
		return nil, noSuchInlinePolicy(owner, name)
	}
	return policies[0], nil
}

// InlinePolicies lists the owner's inline policies sorted by name.
func (t *tx) InlinePolicies(accountID string, owner gatehouse.EntityRef) ([]*gatehouse.InlinePolicy, error) {
	return t.inlinePolicies(accountID, owner, "")
}

// inlinePolicies returns the owner's inline policy with the given name,
// or all of them when name is "".
func (t *tx) inlinePolicies(accountID string, owner gatehouse.EntityRef, name string) ([]*gatehouse.InlinePolicy, error) {
	tables, ownerID, ownerName, err := t.owner(accountID, owner)
	if err != nil {
		return nil, err
	}

	q := fmt.Sprintf(`SELECT name, document FROM %s WHERE %s = ? AND (? = '' OR name = ?) ORDER BY name`,
		tables.inline, tables.idColumn)
	rows, err := t.query(q, ownerID, name, name)
	policies, err := collect(rows, err, func(row scanner) (*gatehouse.InlinePolicy, error) {
		p := gatehouse.InlinePolicy{AccountID: accountID, Owner: gatehouse.EntityRef{Kind: owner.Kind, Name: ownerName}}
		err := row.Scan(&p.Name, &p.Document)
		return &p, err
	})
	if err != nil {
		return nil, fmt.Errorf("policies of %s %q: %w", owner.Kind, owner.Name, err)
	}
	return policies, nil
}

// DeleteInlinePolicy deletes the owner's inline policy with the given
// name.
func (t *tx) DeleteInlinePolicy(accountID string, owner gatehouse.EntityRef, name string) error {
	tables, ownerID, _, err := t.owner(accountID, owner)
	if err != nil {
		return err
	}
	q := fmt.Sprintf(`DELETE FROM %s WHERE %s = ? AND name = ?`, tables.inline, tables.idColumn)
	n, err := t.execCount(q, ownerID, name)
	if err != nil {
		return fmt.Errorf("delete policy %q of %s %q: %w", name, owner.Kind, owner.Name, err)
	}
	if n == 0 {
		return noSuchInlinePolicy(owner, name)
	}
	return nil
}
