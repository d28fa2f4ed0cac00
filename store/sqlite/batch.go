package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/gatehouse-dev/gatehouse"
)

// Group commit. A durable commit costs an fsync, and SQLite has one
// writer: under concurrent writes each Update would wait for the fsyncs
// of all before it. Instead, Updates queue, and whichever takes the
// write lock runs every queued update in one transaction, each in a
// savepoint of its own, and commits them with one fsync. Each update
// still sees the ones before it, as if they had run one after another,
// and one that fails is rolled back alone.

// update is one Update call waiting for its batch.
type update struct {
	ctx context.Context
	fn  func(tx gatehouse.Tx) error
	// rec is the audit record appended with the update's writes, marked
	// written once they commit.
	rec *gatehouse.AuditRecord
	// err is the update's outcome; panicked and panicValue carry a panic
	// of fn back to the goroutine of its Update.
	err        error
	panicked   bool
	panicValue any
	done       chan struct{}
}

// batcher queues updates and serializes the batches.
type batcher struct {
	lock  sync.Mutex // held while a batch runs
	mu    sync.Mutex // guards queue
	queue []*update
}

// Update runs fn in a write transaction and commits it, bumping the
// revision, when fn returns nil; the write is durable when Update returns.
// Otherwise it rolls back fn's writes and returns fn's error. fn must not
// call View, Update or Revision on the same store (on an in-memory store
// that would wait forever), and must not keep tx.
//
// Concurrent updates commit together (see batch.go): fn may run on
// another Update's goroutine, with ctx's values but not its
// cancellation, which Update checks before fn starts and after it ends
// (rolling fn's writes back), not in between: SQLite rolls back the whole
// transaction, the batch, of a statement interrupted mid-way. A panic in fn is
// raised again by this Update.
//
// When ctx carries an audit record not yet written ([gatehouse.WithAudit]),
// Update appends it after fn succeeded, in the same transaction, and marks
// it written once the transaction committed: the change and its record
// commit together or not at all. An update that only appends audit
// records does not bump the revision.
func (s *Store) Update(ctx context.Context, fn func(tx gatehouse.Tx) error) error {
	u := &update{ctx: ctx, fn: fn, done: make(chan struct{})}
	b := &s.batch
	b.mu.Lock()
	b.queue = append(b.queue, u)
	b.mu.Unlock()

	b.lock.Lock()
	select {
	case <-u.done: // the batch before ran it
	default:
		b.mu.Lock()
		batch := b.queue
		b.queue = nil
		b.mu.Unlock()
		s.runBatch(batch)
	}
	b.lock.Unlock()
	<-u.done
	if u.panicked {
		panic(u.panicValue)
	}
	return u.err
}

// runBatch runs the updates of batch in one transaction and commits the
// ones that succeeded. Every update is done when it returns.
func (s *Store) runBatch(batch []*update) {
	sqlTx, err := s.write.BeginTx(context.Background(), nil)
	if err != nil {
		finish(batch, fmt.Errorf("begin update: %w", err))
		return
	}
	defer rollback(sqlTx)
	// A batch of one needs no savepoint: its failure rolls back the
	// transaction, which holds nothing else.
	alone := len(batch) == 1
	bumps, ok := 0, 0
	for _, u := range batch {
		if err := u.ctx.Err(); err != nil {
			u.err = err
			continue
		}
		if !alone {
			if _, err := sqlTx.Exec(`SAVEPOINT gatehouse_update`); err != nil {
				finish(batch, fmt.Errorf("begin update: %w", err))
				return
			}
		}
		changed := s.runUpdate(sqlTx, u)
		failed := u.err != nil || u.panicked
		if !alone && failed {
			// ROLLBACK TO fails when SQLite has already rolled the whole
			// transaction back (an I/O error, a full disk): then the
			// updates before this one are lost too.
			if _, err := sqlTx.Exec(`ROLLBACK TO gatehouse_update`); err != nil {
				finish(batch, fmt.Errorf("update rolled back: %w", err))
				return
			}
		}
		if !alone {
			if _, err := sqlTx.Exec(`RELEASE gatehouse_update`); err != nil {
				finish(batch, fmt.Errorf("update: %w", err))
				return
			}
		}
		if !failed {
			if changed {
				bumps++
			}
			ok++
		}
	}
	if ok == 0 {
		finish(batch, nil)
		return
	}
	var rev int64
	if bumps > 0 { // one per update that changed something, as if each had committed alone
		if err := sqlTx.QueryRow(`UPDATE revision SET value = value + ? WHERE id = 1 RETURNING value`, bumps).Scan(&rev); err != nil {
			finish(batch, fmt.Errorf("bump revision: %w", err))
			return
		}
	}
	if err := sqlTx.Commit(); err != nil {
		finish(batch, fmt.Errorf("commit: %w", err))
		return
	}
	if rev != 0 {
		s.noteRevision(rev)
	}
	finish(batch, nil)
}

// runUpdate runs one update's fn and appends its audit record, setting
// u.err (or u.panicked), and reports whether the update changed what
// caches hold.
func (s *Store) runUpdate(sqlTx *sql.Tx, u *update) (changed bool) {
	defer func() {
		if v := recover(); v != nil {
			u.panicked, u.panicValue = true, v
		}
	}()
	t := s.newTx(context.WithoutCancel(u.ctx), s.write, sqlTx, false)
	if u.err = u.fn(t); u.err != nil {
		return false
	}
	if rec := gatehouse.AuditFrom(u.ctx); rec != nil && !rec.Written() {
		if u.err = t.AppendAudit(rec); u.err != nil {
			return false
		}
		u.rec = rec
	}
	if u.err = u.ctx.Err(); u.err != nil { // canceled midway: roll back
		return false
	}
	return t.changed || !t.appended
}

// finish ends every update of batch: one without an error of its own
// gets err, and with none its audit record is marked written.
func finish(batch []*update, err error) {
	for _, u := range batch {
		if u.err == nil && !u.panicked {
			u.err = err
			if err == nil && u.rec != nil {
				u.rec.MarkWritten()
			}
		}
		close(u.done)
	}
}
