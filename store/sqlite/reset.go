package sqlite

import (
	"context"
	"fmt"
)

// Reset deletes all data in one transaction (the schema stays) and bumps
// the revision, so caches drop what they hold. It backs the server's
// --enable-reset endpoint for test suites.
func (s *Store) Reset(ctx context.Context) error {
	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin reset: %w", err)
	}
	defer rollback(sqlTx)
	// Every table but the bookkeeping ones; references cascade, so the
	// order does not matter.
	rows, err := sqlTx.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT IN ('migrations', 'revision') AND name NOT LIKE 'sqlite_%'`)
	tables, err := collect(rows, err, func(row scanner) (string, error) {
		var name string
		err := row.Scan(&name)
		return name, err
	})
	if err != nil {
		return fmt.Errorf("reset: list tables: %w", err)
	}
	for _, table := range tables {
		if _, err := sqlTx.ExecContext(ctx, "DELETE FROM "+table); err != nil {
			return fmt.Errorf("reset %s: %w", table, err)
		}
	}
	var rev int64
	if err := sqlTx.QueryRowContext(ctx, `UPDATE revision SET value = value + 1 WHERE id = 1 RETURNING value`).Scan(&rev); err != nil {
		return fmt.Errorf("bump revision: %w", err)
	}
	if err := sqlTx.Commit(); err != nil {
		return err
	}
	s.noteRevision(rev)
	return nil
}
