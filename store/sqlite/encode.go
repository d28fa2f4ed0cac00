package sqlite

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	driver "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// nameKey is the form of a name that uniqueness and lookups compare: IAM
// names are ASCII and unique ignoring case.
func nameKey(name string) string { return strings.ToLower(name) }

// encodeTime stores t as Unix nanoseconds; the zero time is NULL.
func encodeTime(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixNano(), Valid: true}
}

// decodeTime reverses encodeTime; times come back in UTC.
func decodeTime(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}

// encodeTags stores tags as a JSON array of [key, value] pairs, keeping
// their order.
func encodeTags(tags []gatehouse.Tag) (string, error) {
	pairs := make([][2]string, len(tags))
	for i, tag := range tags {
		pairs[i] = [2]string{tag.Key, tag.Value}
	}
	b, err := json.Marshal(pairs)
	if err != nil {
		return "", fmt.Errorf("encode tags: %w", err)
	}
	return string(b), nil
}

// decodeTags reverses encodeTags; no tags decode as nil.
func decodeTags(s string) ([]gatehouse.Tag, error) {
	var pairs [][2]string
	if err := json.Unmarshal([]byte(s), &pairs); err != nil {
		return nil, fmt.Errorf("decode tags: %w", err)
	}
	if len(pairs) == 0 {
		return nil, nil
	}
	tags := make([]gatehouse.Tag, len(pairs))
	for i, p := range pairs {
		tags[i] = gatehouse.Tag{Key: p[0], Value: p[1]}
	}
	return tags, nil
}

// versionSeq returns the number of a policy version ID ("v3" is 3), or 0
// for an ID of another form.
func versionSeq(id string) int64 {
	n, err := strconv.ParseInt(strings.TrimPrefix(id, "v"), 10, 64)
	if err != nil || !strings.HasPrefix(id, "v") {
		return 0
	}
	return n
}

// constraint kinds reported by [constraintOf].
const (
	noConstraint = iota
	uniqueConstraint
	primaryKeyConstraint
)

// constraintOf tells which uniqueness constraint, if any, err violated,
// by the driver's extended result code.
func constraintOf(err error) int {
	var e *driver.Error
	if !errors.As(err, &e) {
		return noConstraint
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE:
		return uniqueConstraint
	case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return primaryKeyConstraint
	}
	return noConstraint
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// collect scans every row of rows with scan, closing rows.
func collect[T any](rows *sql.Rows, err error, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
