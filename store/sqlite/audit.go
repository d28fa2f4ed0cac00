package sqlite

import (
	"database/sql"
	"fmt"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// auditColumns are the columns scanAudit reads, from table audit.
const auditColumns = `seq, time, request_id, account_id, principal_arn, principal_type, root, access_key_id,
	service, action, resource, decision, error_code, source_ip, user_agent, sign_in, mfa`

func scanAudit(row scanner) (*gatehouse.AuditRecord, error) {
	var r gatehouse.AuditRecord
	var at sql.NullInt64
	if err := row.Scan(&r.Seq, &at, &r.RequestID, &r.AccountID, &r.PrincipalARN, &r.PrincipalType, &r.Root,
		&r.AccessKeyID, &r.Service, &r.Action, &r.Resource, &r.Decision, &r.ErrorCode, &r.SourceIP, &r.UserAgent,
		&r.SignIn, &r.MFA); err != nil {
		return nil, err
	}
	r.Time = decodeTime(at)
	return &r, nil
}

// AppendAudit stores r and sets r.Seq; a zero Time is set to the
// transaction's time. It does not move the revision: nothing a cache
// holds has changed.
func (t *tx) AppendAudit(r *gatehouse.AuditRecord) error {
	if t.readOnly {
		return errReadOnly
	}
	r.Time = t.stamp(r.Time)
	const query = `INSERT INTO audit (time, request_id, account_id, principal_arn, principal_type, root, access_key_id,
		service, action, resource, decision, error_code, source_ip, user_agent, sign_in, mfa)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	args := []any{encodeTime(r.Time), r.RequestID, r.AccountID, r.PrincipalARN, r.PrincipalType, r.Root, r.AccessKeyID,
		r.Service, r.Action, r.Resource, r.Decision, r.ErrorCode, r.SourceIP, r.UserAgent, r.SignIn, r.MFA}
	res, err := t.execAppend(query, args...)
	if err != nil {
		return fmt.Errorf("append audit record of request %s: %w", r.RequestID, err)
	}
	if r.Seq, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("append audit record of request %s: %w", r.RequestID, err)
	}
	return nil
}

// AuditRecords returns the records f selects, the newest (by Time, then
// Seq) first.
func (t *tx) AuditRecords(f gatehouse.AuditFilter) ([]*gatehouse.AuditRecord, error) {
	var where []string
	var args []any
	if f.AccountID != "" {
		where, args = append(where, "account_id = ?"), append(args, f.AccountID)
	}
	if f.RootOnly {
		where = append(where, "root = 1")
	}
	if !f.Since.IsZero() {
		where, args = append(where, "time >= ?"), append(args, encodeTime(f.Since))
	}
	query := `SELECT ` + auditColumns + ` FROM audit`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	query += ` ORDER BY time DESC, seq DESC LIMIT ?`
	limit := int64(-1) // no limit
	if f.Limit > 0 {
		limit = int64(f.Limit)
	}
	args = append(args, limit)
	rows, err := t.query(query, args...)
	recs, err := collect(rows, err, scanAudit)
	if err != nil {
		return nil, fmt.Errorf("audit records: %w", err)
	}
	return recs, nil
}
