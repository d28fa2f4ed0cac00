// Package sqlite implements [gatehouse.Store] on SQLite, through the
// pure-Go driver modernc.org/sqlite (no cgo).
//
// A file store runs in WAL mode with synchronous=FULL, so a write is on
// disk when [Store.Update] returns. Updates go through one connection that
// takes the write lock when its transaction begins (BEGIN IMMEDIATE), so
// concurrent updates from one process queue up instead of failing with
// SQLITE_BUSY; other processes wait for the lock up to a busy timeout.
// Views read from their own pool of read-only connections and never wait
// for a writer.
//
// The path ":memory:" gives a store that lives as long as the Store value,
// for ephemeral servers and tests; it runs every transaction, views
// included, on a single connection.
package sqlite

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/gatehouse-dev/gatehouse"

	// Registers the "sqlite" database/sql driver.
	_ "modernc.org/sqlite"
)

// MemoryPath is the path that opens an in-memory store.
const MemoryPath = ":memory:"

// busyTimeout is how long a connection waits for a lock held by another
// process before giving up with SQLITE_BUSY.
const busyTimeout = 10 * time.Second

// readConns bounds the pool of read-only connections of a file store.
const readConns = 4

//go:embed migration/*.sql
var migrationFS embed.FS

// Options configures a store opened with [Open].
type Options struct {
	// SecretKey is the 32-byte AES-256 key that seals access-key secrets
	// at rest (AES-256-GCM). Required.
	SecretKey []byte
	// Now returns the current time; it stamps CreatedAt (and a policy's
	// UpdatedAt) when the caller leaves them zero. Defaults to time.Now.
	Now func() time.Time
}

// Store is a [gatehouse.Store] on one SQLite database. It is safe for
// concurrent use.
type Store struct {
	write *sql.DB // one connection, BEGIN IMMEDIATE
	read  *sql.DB // read-only connections; the same as write in memory
	aead  cipher.AEAD
	now   func() time.Time

	// stmts caches prepared statements by database and query text, so
	// SQLite parses each query once per connection, not once per call.
	stmts     sync.Map // stmtKey → *sql.Stmt (nil while being prepared)
	preparing sync.WaitGroup

	batch batcher // Update's group commit

	revMu      sync.Mutex
	revValue   int64     // the highest revision seen
	revChecked time.Time // when the database was last read for it
}

type stmtKey struct {
	db    *sql.DB
	query string
}

// stmt returns the prepared form of query on db, or nil when it is not
// prepared yet. The first call starts preparing it in the background:
// preparing on db needs a free connection, and the caller may hold the
// only one (the write connection, or the in-memory database).
func (s *Store) stmt(db *sql.DB, query string) *sql.Stmt {
	key := stmtKey{db, query}
	v, loaded := s.stmts.LoadOrStore(key, (*sql.Stmt)(nil))
	if loaded {
		return v.(*sql.Stmt)
	}
	s.preparing.Add(1)
	go func() {
		defer s.preparing.Done()
		st, err := db.Prepare(query)
		if err != nil {
			s.stmts.Delete(key) // try again on a later call
			return
		}
		s.stmts.Store(key, st)
	}()
	return nil
}

// Open opens (creating it if needed) the store at path, a file name or
// [MemoryPath], and applies any migrations it has not applied yet. It fails
// if opts.SecretKey is not 32 bytes long.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if len(opts.SecretKey) != 32 {
		return nil, fmt.Errorf("sqlite: open %s: secret key is %d bytes, want 32", path, len(opts.SecretKey))
	}
	block, err := aes.NewCipher(opts.SecretKey)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s := &Store{aead: aead, now: opts.Now}
	if s.now == nil {
		s.now = time.Now
	}
	if err := s.openDBs(path); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := s.migrate(ctx); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return s, nil
}

// openDBs opens the write connection and the read pool.
func (s *Store) openDBs(path string) error {
	if path == MemoryPath {
		// Every connection to ":memory:" is a database of its own, so the
		// store keeps exactly one, forever.
		db, err := sql.Open("sqlite", MemoryPath+"?_pragma=foreign_keys(1)&_txlock=immediate")
		if err != nil {
			return err
		}
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
		s.write, s.read = db, db
		return nil
	}

	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	// Create the file owner-only before SQLite does; the -wal and -shm
	// files take the database file's permissions.
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}

	busy := fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds())
	write := url.Values{"_pragma": {busy, "foreign_keys(1)", "journal_mode(WAL)", "synchronous(FULL)"}, "_txlock": {"immediate"}}
	s.write, err = sql.Open("sqlite", fileDSN(abs, write))
	if err != nil {
		return err
	}
	s.write.SetMaxOpenConns(1)
	s.write.SetMaxIdleConns(1)
	// Open the write connection first: it switches the file to WAL.
	if err := s.write.Ping(); err != nil {
		_ = s.write.Close()
		return err
	}

	read := url.Values{"_pragma": {busy, "foreign_keys(1)", "query_only(1)"}}
	s.read, err = sql.Open("sqlite", fileDSN(abs, read))
	if err != nil {
		_ = s.write.Close()
		return err
	}
	s.read.SetMaxOpenConns(readConns)
	s.read.SetMaxIdleConns(readConns)
	return nil
}

// fileDSN returns the SQLite URI of the file at the absolute path abs, with
// the driver parameters q.
func fileDSN(abs string, q url.Values) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: q.Encode()}
	return u.String()
}

// Close closes the store's connections.
func (s *Store) Close() error {
	s.preparing.Wait()
	s.stmts.Range(func(k, v any) bool {
		if st := v.(*sql.Stmt); st != nil {
			st.Close()
		}
		return true
	})
	if s.read == s.write {
		return s.write.Close()
	}
	return errors.Join(s.read.Close(), s.write.Close())
}

// migrate applies, in name order, the embedded migrations not yet recorded
// in the migrations table, all in one write transaction.
func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)

	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer rollback(sqlTx)

	if _, err := sqlTx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY) STRICT`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	applied, err := appliedMigrations(ctx, sqlTx)
	if err != nil {
		return err
	}
	known := make(map[string]bool, len(names))
	for _, name := range names {
		known[name] = true
	}
	for name := range applied {
		if !known[name] {
			// A newer Gatehouse wrote this database; an older one must not
			// guess at its schema.
			return fmt.Errorf("database has migration %s, unknown to this version", name)
		}
	}
	migrated, vacuum := false, false
	for _, name := range names {
		if applied[name] {
			continue
		}
		script, err := fs.ReadFile(migrationFS, name)
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if _, err := sqlTx.ExecContext(ctx, string(script)); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if step := s.migrationSteps()[name]; step != nil {
			v, err := step(ctx, sqlTx)
			if err != nil {
				return fmt.Errorf("migration %s: %w", name, err)
			}
			vacuum = vacuum || v
		}
		if _, err := sqlTx.ExecContext(ctx, `INSERT INTO migrations (name) VALUES (?)`, name); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		migrated = true
	}
	if err := sqlTx.Commit(); err != nil {
		return err
	}
	if vacuum {
		// A step replaced data that must not stay in the file (0016's
		// plain outbox bodies): SQLite leaves old copies of rows in free
		// space, so rebuild the file.
		if _, err := s.write.ExecContext(ctx, `VACUUM`); err != nil {
			return fmt.Errorf("vacuum after migrations: %w", err)
		}
	}
	if migrated {
		// Copy the migrated pages into the database file now, over what
		// they replace, rather than at the next automatic checkpoint.
		if _, err := s.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			return fmt.Errorf("checkpoint after migrations: %w", err)
		}
	}
	return nil
}

// migrationSteps are the parts of migrations SQL cannot do, run in Go
// right after the migration's script, in the same transaction. A step
// that overwrote data which must not linger in the file asks for a VACUUM
// once the migrations are committed.
func (s *Store) migrationSteps() map[string]func(context.Context, *sql.Tx) (vacuum bool, err error) {
	return map[string]func(context.Context, *sql.Tx) (bool, error){
		"migration/0016_outbox_sealed.sql": func(ctx context.Context, sqlTx *sql.Tx) (bool, error) {
			n, err := sealOutboxBodies(ctx, sqlTx, s.aead)
			return n > 0, err
		},
	}
}

// appliedMigrations returns the names recorded in the migrations table.
func appliedMigrations(ctx context.Context, sqlTx *sql.Tx) (map[string]bool, error) {
	rows, err := sqlTx.QueryContext(ctx, `SELECT name FROM migrations`)
	names, err := collect(rows, err, func(row scanner) (string, error) {
		var name string
		err := row.Scan(&name)
		return name, err
	})
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	applied := make(map[string]bool, len(names))
	for _, name := range names {
		applied[name] = true
	}
	return applied, nil
}

// View runs fn in a read-only transaction that sees one snapshot of the
// store, and returns fn's error. Write methods of tx fail. fn must not call
// View, Update or Revision on the same store, and must not keep tx.
func (s *Store) View(ctx context.Context, fn func(tx gatehouse.Tx) error) error {
	sqlTx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin view: %w", err)
	}
	defer rollback(sqlTx)
	return fn(s.newTx(ctx, s.read, sqlTx, true))
}

// Revision returns the number of committed updates that changed what
// caches hold since the store was created.
//
// Commits made through this Store are seen at once; commits by other
// processes on the same file (an operator command while the server runs)
// are seen within revisionTTL, so that a request does not pay a query.
func (s *Store) Revision(ctx context.Context) (int64, error) {
	s.revMu.Lock()
	if !s.revChecked.IsZero() && time.Since(s.revChecked) < revisionTTL {
		rev := s.revValue
		s.revMu.Unlock()
		return rev, nil
	}
	s.revMu.Unlock()
	rev, err := s.readRevision(ctx)
	if err != nil {
		return 0, err
	}
	s.revMu.Lock()
	s.revValue = max(s.revValue, rev)
	s.revChecked = time.Now()
	rev = s.revValue
	s.revMu.Unlock()
	return rev, nil
}

// revisionTTL is how long Revision trusts what it last read from the
// database about other processes' commits.
const revisionTTL = 50 * time.Millisecond

// noteRevision records the revision of a commit made through this Store.
func (s *Store) noteRevision(rev int64) {
	s.revMu.Lock()
	s.revValue = max(s.revValue, rev)
	s.revMu.Unlock()
}

func (s *Store) readRevision(ctx context.Context) (int64, error) {
	var rev int64
	const query = `SELECT value FROM revision WHERE id = 1`
	row := s.read.QueryRowContext
	if st := s.stmt(s.read, query); st != nil {
		row = func(ctx context.Context, _ string, args ...any) *sql.Row { return st.QueryRowContext(ctx, args...) }
	}
	if err := row(ctx, query).Scan(&rev); err != nil {
		return 0, fmt.Errorf("read revision: %w", err)
	}
	return rev, nil
}

// rollback ends a transaction that was not committed; after a commit it
// does nothing.
func rollback(sqlTx *sql.Tx) {
	// The only error that matters was returned by the statement that
	// failed, or by Commit.
	_ = sqlTx.Rollback()
}

// tx implements gatehouse.Tx on one SQL transaction.
type tx struct {
	tx *sql.Tx
	// ctx is the context of the Update or View call; the Tx methods take
	// none, and tx lives no longer than that call.
	ctx      context.Context
	now      time.Time
	aead     cipher.AEAD
	readOnly bool
	store    *Store
	db       *sql.DB // the database sqlTx belongs to
	// changed is set by every write but the appends of new rows no cache
	// holds (audit records, sessions, outbox messages); appended by those.
	changed, appended bool
}

// prepared returns query prepared on this transaction's connection, or
// nil when the store has not prepared it yet (run it unprepared).
func (t *tx) prepared(query string) *sql.Stmt {
	st := t.store.stmt(t.db, query)
	if st == nil {
		return nil
	}
	return t.tx.StmtContext(t.ctx, st)
}

var _ gatehouse.Tx = (*tx)(nil)

func (s *Store) newTx(ctx context.Context, db *sql.DB, sqlTx *sql.Tx, readOnly bool) *tx {
	return &tx{tx: sqlTx, ctx: ctx, now: s.now(), aead: s.aead, readOnly: readOnly, store: s, db: db}
}

// errReadOnly is returned by write methods called inside View.
var errReadOnly = errors.New("write in a read-only transaction")

// exec runs a statement that writes.
func (t *tx) exec(query string, args ...any) (sql.Result, error) {
	if t.readOnly {
		return nil, errReadOnly
	}
	t.changed = true
	if st := t.prepared(query); st != nil {
		return st.ExecContext(t.ctx, args...)
	}
	return t.tx.ExecContext(t.ctx, query, args...)
}

// execAppend runs a statement that only adds a row no cache holds (an
// audit record, a session, an outbox message): unlike exec, it does not
// count as a change that moves the revision.
func (t *tx) execAppend(query string, args ...any) (sql.Result, error) {
	if t.readOnly {
		return nil, errReadOnly
	}
	t.appended = true
	if st := t.prepared(query); st != nil {
		return st.ExecContext(t.ctx, args...)
	}
	return t.tx.ExecContext(t.ctx, query, args...)
}

// execCount runs a statement that writes and returns the number of rows it
// changed.
func (t *tx) execCount(query string, args ...any) (int64, error) {
	res, err := t.exec(query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (t *tx) query(query string, args ...any) (*sql.Rows, error) {
	if st := t.prepared(query); st != nil {
		return st.QueryContext(t.ctx, args...)
	}
	return t.tx.QueryContext(t.ctx, query, args...)
}

func (t *tx) queryRow(query string, args ...any) *sql.Row {
	if st := t.prepared(query); st != nil {
		return st.QueryRowContext(t.ctx, args...)
	}
	return t.tx.QueryRowContext(t.ctx, query, args...)
}

// stamp returns t unless it is zero, and the transaction's time otherwise.
func (t *tx) stamp(at time.Time) time.Time {
	if at.IsZero() {
		return t.now
	}
	return at
}
