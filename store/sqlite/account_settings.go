package sqlite

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// storedContact is the JSON form of gatehouse.ContactInformation in
// account_settings.contact.
type storedContact struct {
	FullName         string `json:"fullName"`
	AddressLine1     string `json:"addressLine1"`
	AddressLine2     string `json:"addressLine2,omitempty"`
	AddressLine3     string `json:"addressLine3,omitempty"`
	City             string `json:"city"`
	StateOrRegion    string `json:"stateOrRegion,omitempty"`
	DistrictOrCounty string `json:"districtOrCounty,omitempty"`
	PostalCode       string `json:"postalCode"`
	CountryCode      string `json:"countryCode"`
	PhoneNumber      string `json:"phoneNumber"`
	CompanyName      string `json:"companyName,omitempty"`
	WebsiteURL       string `json:"websiteUrl,omitempty"`
}

// storedPasswordPolicy is the JSON form of gatehouse.PasswordPolicy in
// account_settings.password_policy.
type storedPasswordPolicy struct {
	MinimumPasswordLength      int  `json:"minimumPasswordLength"`
	RequireSymbols             bool `json:"requireSymbols"`
	RequireNumbers             bool `json:"requireNumbers"`
	RequireUppercaseCharacters bool `json:"requireUppercaseCharacters"`
	RequireLowercaseCharacters bool `json:"requireLowercaseCharacters"`
	AllowUsersToChangePassword bool `json:"allowUsersToChangePassword"`
	MaxPasswordAge             int  `json:"maxPasswordAge"`
	PasswordReusePrevention    int  `json:"passwordReusePrevention"`
	HardExpiry                 bool `json:"hardExpiry"`
}

// storedAlternateContact is the JSON form of gatehouse.AlternateContact.
type storedAlternateContact struct {
	Type         string `json:"type"`
	Name         string `json:"name"`
	Title        string `json:"title"`
	EmailAddress string `json:"emailAddress"`
	PhoneNumber  string `json:"phoneNumber"`
}

// AccountSettings returns the account's settings, the zero value when
// none were put.
func (t *tx) AccountSettings(accountID string) (*gatehouse.AccountSettings, error) {
	if _, err := t.Account(accountID); err != nil {
		return nil, err
	}
	var contact, passwordPolicy sql.NullString
	var alternates, regions string
	err := t.queryRow(`SELECT contact, alternate_contacts, regions, password_policy FROM account_settings WHERE account_id = ?`, accountID).
		Scan(&contact, &alternates, &regions, &passwordPolicy)
	if errors.Is(err, sql.ErrNoRows) {
		return &gatehouse.AccountSettings{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("settings of account %s: %w", accountID, err)
	}
	s := &gatehouse.AccountSettings{}
	if contact.Valid {
		var c storedContact
		if err := json.Unmarshal([]byte(contact.String), &c); err != nil {
			return nil, fmt.Errorf("decode contact of account %s: %w", accountID, err)
		}
		ci := gatehouse.ContactInformation(c)
		s.Contact = &ci
	}
	if passwordPolicy.Valid {
		var pp storedPasswordPolicy
		if err := json.Unmarshal([]byte(passwordPolicy.String), &pp); err != nil {
			return nil, fmt.Errorf("decode password policy of account %s: %w", accountID, err)
		}
		policy := gatehouse.PasswordPolicy(pp)
		s.PasswordPolicy = &policy
	}
	var alts []storedAlternateContact
	if err := json.Unmarshal([]byte(alternates), &alts); err != nil {
		return nil, fmt.Errorf("decode alternate contacts of account %s: %w", accountID, err)
	}
	for _, a := range alts {
		s.AlternateContacts = append(s.AlternateContacts, gatehouse.AlternateContact{
			Type: gatehouse.AlternateContactType(a.Type), Name: a.Name, Title: a.Title,
			EmailAddress: a.EmailAddress, PhoneNumber: a.PhoneNumber,
		})
	}
	var regs map[string]string
	if err := json.Unmarshal([]byte(regions), &regs); err != nil {
		return nil, fmt.Errorf("decode regions of account %s: %w", accountID, err)
	}
	for name, status := range regs {
		if s.Regions == nil {
			s.Regions = make(map[string]gatehouse.RegionOptStatus, len(regs))
		}
		s.Regions[name] = gatehouse.RegionOptStatus(status)
	}
	return s, nil
}

// PutAccountSettings replaces the account's settings.
func (t *tx) PutAccountSettings(accountID string, s *gatehouse.AccountSettings) error {
	if _, err := t.Account(accountID); err != nil {
		return err
	}
	var contact sql.NullString
	if s.Contact != nil {
		b, err := json.Marshal(storedContact(*s.Contact))
		if err != nil {
			return fmt.Errorf("encode contact of account %s: %w", accountID, err)
		}
		contact = sql.NullString{String: string(b), Valid: true}
	}
	alts := make([]storedAlternateContact, 0, len(s.AlternateContacts))
	for _, a := range s.AlternateContacts {
		alts = append(alts, storedAlternateContact{
			Type: string(a.Type), Name: a.Name, Title: a.Title, EmailAddress: a.EmailAddress, PhoneNumber: a.PhoneNumber,
		})
	}
	slices.SortStableFunc(alts, func(a, b storedAlternateContact) int { return strings.Compare(a.Type, b.Type) })
	altJSON, err := json.Marshal(alts)
	if err != nil {
		return fmt.Errorf("encode alternate contacts of account %s: %w", accountID, err)
	}
	regs := make(map[string]string, len(s.Regions))
	for _, name := range slices.Sorted(maps.Keys(s.Regions)) {
		regs[name] = string(s.Regions[name])
	}
	regJSON, err := json.Marshal(regs)
	if err != nil {
		return fmt.Errorf("encode regions of account %s: %w", accountID, err)
	}
	var passwordPolicy sql.NullString
	if s.PasswordPolicy != nil {
		b, err := json.Marshal(storedPasswordPolicy(*s.PasswordPolicy))
		if err != nil {
			return fmt.Errorf("encode password policy of account %s: %w", accountID, err)
		}
		passwordPolicy = sql.NullString{String: string(b), Valid: true}
	}
	_, err = t.exec(`INSERT INTO account_settings (account_id, contact, alternate_contacts, regions, password_policy)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET contact = excluded.contact,
			alternate_contacts = excluded.alternate_contacts, regions = excluded.regions,
			password_policy = excluded.password_policy`,
		accountID, contact, string(altJSON), string(regJSON), passwordPolicy)
	if err != nil {
		return fmt.Errorf("put settings of account %s: %w", accountID, err)
	}
	return nil
}
