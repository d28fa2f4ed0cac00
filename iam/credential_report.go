package iam

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// Credential reports (GenerateCredentialReport, GetCredentialReport): a
// CSV with a row for the root user and one for each IAM user, in AWS's
// columns. A report is kept for CredentialReportLifetime; asking for a
// new one within it returns the one there is.

// CredentialReportLifetime is how long a report is current: AWS makes at
// most one every four hours and serves it for as long.
const CredentialReportLifetime = 4 * time.Hour

// Credential report states.
const (
	ReportStarted  = "STARTED"
	ReportComplete = "COMPLETE"
)

// credentialReportColumns are the report's columns, in AWS's order.
var credentialReportColumns = []string{"user", "arn", "user_creation_time", "password_enabled", "password_last_used",
	"password_last_changed", "password_next_rotation", "mfa_active",
	"access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date", "access_key_1_last_used_region",
	"access_key_1_last_used_service",
	"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date", "access_key_2_last_used_region",
	"access_key_2_last_used_service",
	"cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated"}

// GenerateCredentialReport makes the account's credential report unless
// a current one exists. It returns the state AWS reports: STARTED when it
// made one, COMPLETE when the current one stands; with its description.
func (s *Service) GenerateCredentialReport(ctx context.Context, account string) (state, description string, err error) {
	now := s.now()
	err = s.Store.Update(ctx, func(tx Tx) error {
		if r, err := tx.CredentialReport(account); err == nil && now.Sub(r.GeneratedAt) < CredentialReportLifetime {
			state, description = ReportComplete, ""
			return nil
		} else if err != nil && gatehouse.ErrorCode(err) != gatehouse.CodeNotFound {
			return err
		}
		content, err := credentialReport(tx, account, now)
		if err != nil {
			return err
		}
		state, description = ReportStarted, "No report exists. Starting a new report generation task"
		return tx.PutCredentialReport(&gatehouse.CredentialReport{AccountID: account, GeneratedAt: now, Content: content})
	})
	return state, description, err
}

// CredentialReport returns the account's current report.
func (s *Service) CredentialReport(ctx context.Context, account string) (*gatehouse.CredentialReport, error) {
	var r *gatehouse.CredentialReport
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		r, err = tx.CredentialReport(account)
		return err
	})
	switch {
	case gatehouse.ErrorCode(err) == gatehouse.CodeNotFound:
		return nil, gatehouse.Errorf(gatehouse.CodeReportNotPresent,
			"Credential report not present. Use GenerateCredentialReport to generate a credential report.")
	case err != nil:
		return nil, err
	case s.now().Sub(r.GeneratedAt) >= CredentialReportLifetime:
		return nil, gatehouse.Errorf(gatehouse.CodeReportExpired,
			"Credential report is expired. Use GenerateCredentialReport to generate a new credential report.")
	}
	return r, nil
}

// reportTime formats a time as the report does.
func reportTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05+00:00") }

// credentialReport builds the CSV: root first, then users by name.
func credentialReport(tx Tx, account string, now time.Time) ([]byte, error) {
	a, err := tx.Account(account)
	if err != nil {
		return nil, err
	}
	settings, err := tx.AccountSettings(account)
	if err != nil {
		return nil, err
	}
	devices, err := tx.MFADevices(account)
	if err != nil {
		return nil, err
	}
	mfa := map[string]bool{}
	for _, d := range devices {
		if d.Assigned() {
			mfa[d.UserName] = true
		}
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(credentialReportColumns)

	rootKeys, err := tx.AccessKeys(account, "")
	if err != nil {
		return nil, err
	}
	row := []string{"<root_account>", a.RootARN(), reportTime(a.CreatedAt), "not_supported", "no_information",
		"not_supported", "not_supported", strconv.FormatBool(mfa[gatehouse.RootUserName])}
	row = append(row, keyColumns(rootKeys)...)
	w.Write(append(row, "false", "N/A", "false", "N/A"))

	users, err := tx.Users(account)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		row := []string{u.Name, u.ARN(), reportTime(u.CreatedAt)}
		p, err := tx.LoginProfile(account, u.Name)
		switch {
		case err == nil:
			next := "N/A"
			if pp := settings.PasswordPolicy; pp != nil && pp.MaxPasswordAge > 0 {
				next = reportTime(p.PasswordChangedAt.Add(time.Duration(pp.MaxPasswordAge) * 24 * time.Hour))
			}
			row = append(row, "true", "no_information", reportTime(p.PasswordChangedAt), next)
		case gatehouse.ErrorCode(err) == gatehouse.CodeNotFound:
			row = append(row, "false", "N/A", "N/A", "N/A")
		default:
			return nil, err
		}
		row = append(row, strconv.FormatBool(mfa[u.Name]))
		keys, err := tx.AccessKeys(account, u.Name)
		if err != nil {
			return nil, err
		}
		row = append(row, keyColumns(keys)...)
		w.Write(append(row, "false", "N/A", "false", "N/A"))
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// keyColumns are the columns of a principal's first two access keys, in
// creation order.
func keyColumns(keys []*gatehouse.AccessKey) []string {
	var out []string
	for i := range 2 {
		if i >= len(keys) {
			out = append(out, "false", "N/A", "N/A", "N/A", "N/A")
			continue
		}
		k := keys[i]
		used, region, service := "N/A", "N/A", "N/A"
		if k.LastUsed != nil {
			used, region, service = reportTime(k.LastUsed.Time), k.LastUsed.Region, k.LastUsed.Service
		}
		out = append(out, strconv.FormatBool(k.Status == gatehouse.KeyActive), reportTime(k.CreatedAt), used, region, service)
	}
	return out
}
