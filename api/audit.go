package api

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// The audit trail: every AWS API request leaves one
// [gatehouse.AuditRecord] in the store, allowed or denied, failed or not.
//
// serveAWS creates the record when the request arrives and carries it in
// the request's context; authentication, the operation runner and the
// error path fill it in. Where it is stored depends on what the request
// did:
//
//   - A request that changed something: the store's Update appends the
//     record in the transaction of the change (see [gatehouse.WithAudit]).
//     The record is as durable as the change, and there is no change
//     without its record.
//   - A request that changed nothing (a read, a denial, a failure): its
//     record is queued when the response is written, and one goroutine
//     appends the queue in a single Update every auditFlushInterval or
//     auditBatchSize records, whichever comes first. Writing each such
//     record in an Update of its own would cost an fsync per read
//     request; the price of batching is that these records become
//     durable up to ~100 ms after the response, and are lost if the
//     process dies in between. [Server.Close] flushes the queue.
//
// A request that fails after its change committed (say, its result does
// not encode) keeps the record of the commit, which names no error.

// Batching of the audit records of requests that changed nothing.
const (
	auditFlushInterval = 100 * time.Millisecond
	auditBatchSize     = 256
	// auditMaxQueue bounds the records kept while the store refuses
	// them; beyond it new records are dropped (and logged).
	auditMaxQueue = 64 * 1024
)

// auditWriter queues audit records and appends them in batches. Its zero
// value is ready; the goroutine starts with the first record.
type auditWriter struct {
	mu      sync.Mutex
	queue   []*gatehouse.AuditRecord
	running bool // the goroutine was started
	closed  bool // Close was called: write records synchronously
	// wake says the queue went from empty to not; full that it reached
	// auditBatchSize. Both hold at most one signal.
	wake, full chan struct{}
	stop, done chan struct{}
	// interval is auditFlushInterval unless a test sets it.
	interval time.Duration
	// failures counts the failed writes of records that failed on their
	// own (see flushAudit).
	failures map[*gatehouse.AuditRecord]int
}

// auditMaxAttempts is how many times a record that the store refuses on
// its own (not with its whole batch) is written before it is dropped,
// with an error in the log: one record the store cannot take must not
// hold back every record after it.
const auditMaxAttempts = 5

// newAuditRecord starts the record of request r, received at start.
func newAuditRecord(start time.Time, requestID string, r *http.Request) *gatehouse.AuditRecord {
	return &gatehouse.AuditRecord{Time: start, RequestID: requestID, SourceIP: sourceIP(r),
		UserAgent: gatehouse.ClipAudit(r.UserAgent(), gatehouse.MaxAuditUserAgent)}
}

// auditCaller records the authenticated caller and the operation, before
// the operation runs (and possibly commits the record with its change).
func auditCaller(rec *gatehouse.AuditRecord, c *authz.Caller, service, action string) {
	rec.Service, rec.Action = service, gatehouse.ClipAudit(action, gatehouse.MaxAuditAction)
	rec.AccountID, rec.PrincipalARN, rec.AccessKeyID = c.Account.ID, c.ARN(), c.AccessKeyID
	if s := c.Session; s != nil {
		rec.SignIn, rec.MFA = s.SignIn, s.MFAAuthenticated
	}
	switch {
	case c.Role != nil:
		rec.PrincipalType = gatehouse.PrincipalAssumedRole
	case c.User != nil:
		rec.PrincipalType = gatehouse.PrincipalIAMUser
	default:
		rec.PrincipalType, rec.Root = gatehouse.PrincipalRoot, true
	}
}

// finishAudit completes the record of a request that has been answered
// with code ("" on success) and, unless a store Update committed it with
// the request's change, queues it. service, action and keyID are what the
// request path learnt; for a request that failed before its caller was
// established they are all there is, and the access key is read from the
// credential as sent.
func (s *Server) finishAudit(ctx context.Context, sent sigv4.Credential, rev int64, rec *gatehouse.AuditRecord, service, action, keyID, code string) {
	if rec.Written() {
		if code != "" {
			s.Logger.WarnContext(ctx, "request failed after its change committed", "request_id", rec.RequestID, "error", code)
		}
		return
	}
	rec.ErrorCode = code
	if rec.PrincipalType == "" {
		rec.PrincipalType = gatehouse.PrincipalAnonymous
		if keyID == "" {
			keyID, service = auditedCredential(sent)
		}
		rec.Service, rec.Action, rec.AccessKeyID = service, gatehouse.ClipAudit(action, gatehouse.MaxAuditAction), keyID
		rec.AccountID = s.cachedKeyAccount(rev, keyID)
	}
	s.queueAudit(rec)
}

// sentCredential returns the credential a request names (Authorization
// header or X-Amz-Credential), unverified and parsed once
// (sigv4.ParseCredential): the edge routes errors found before the
// signature is verified by its service, and audits a request that failed
// authentication by its key. The zero Credential when there is none or it
// has not five elements.
func sentCredential(r *http.Request) sigv4.Credential {
	cred := r.URL.Query().Get("X-Amz-Credential")
	if _, rest, ok := strings.Cut(r.Header.Get("Authorization"), "Credential="); ok {
		cred, _, _ = strings.Cut(rest, ",")
	}
	c, err := sigv4.ParseCredential(strings.TrimSpace(cred))
	if err != nil {
		return sigv4.Credential{}
	}
	return c
}

// auditedCredential returns the access key ID and service of a credential
// as sent, each "" unless it has the form of one, so that a secret pasted
// in the wrong place does not end up in the audit trail.
func auditedCredential(c sigv4.Credential) (keyID, service string) {
	if isAccessKeyID(c.AccessKeyID) {
		keyID = c.AccessKeyID
	}
	if isServiceName(c.Service) {
		service = c.Service
	}
	return keyID, service
}

// isAccessKeyID reports whether s looks like an access key ID: 16 to 128
// upper-case letters and digits.
func isAccessKeyID(s string) bool {
	if len(s) < 16 || len(s) > 128 {
		return false
	}
	for _, c := range []byte(s) {
		if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// isServiceName reports whether s looks like a service prefix.
func isServiceName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// cachedKeyAccount returns the account of access key id when the key
// lookup of this request's revision rev (-1: none was read) cached it (the signature check got
// as far as the key), else "". It never reads the store, so requests
// that fail authentication cost no extra read.
func (s *Server) cachedKeyAccount(rev int64, id string) string {
	if rev < 0 || id == "" {
		return ""
	}
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	if s.cache.rev != rev {
		return ""
	}
	if k := s.cache.keys[id]; k != nil && k.caller.Account != nil {
		return k.caller.Account.ID
	}
	return ""
}

// withoutAudit hides the request's audit record from store updates made
// under ctx that are bookkeeping, not the change the request asked for.
func withoutAudit(ctx context.Context) context.Context { return gatehouse.WithAudit(ctx, nil) }

// queueAudit queues rec for the next batch, starting the writer on first
// use; after Close it writes rec at once.
func (s *Server) queueAudit(rec *gatehouse.AuditRecord) {
	w := &s.audit
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		if err := s.appendAudit([]*gatehouse.AuditRecord{rec}); err != nil {
			s.Logger.Error("write audit record", "request_id", rec.RequestID, "err", err)
		}
		return
	}
	if len(w.queue) >= auditMaxQueue {
		w.mu.Unlock()
		s.Logger.Error("audit queue full: record dropped", "request_id", rec.RequestID)
		return
	}
	if !w.running {
		w.running = true
		w.wake, w.full = make(chan struct{}, 1), make(chan struct{}, 1)
		w.stop, w.done = make(chan struct{}), make(chan struct{})
		if w.interval == 0 {
			w.interval = auditFlushInterval
		}
		go s.runAudit()
	}
	w.queue = append(w.queue, rec)
	n := len(w.queue)
	w.mu.Unlock()
	if n == 1 {
		signal(w.wake)
	}
	if n >= auditBatchSize {
		signal(w.full)
	}
}

// signal sends on a channel of capacity one unless a signal is pending.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// runAudit is the writer's goroutine: once records are queued it waits
// for the interval to pass or the batch to fill, then appends them all.
// It returns when Close stops it; Close flushes what is left.
func (s *Server) runAudit() {
	w := &s.audit
	defer close(w.done)
	for {
		select {
		case <-w.wake:
		case <-w.stop:
			return
		}
		timer := time.NewTimer(w.interval)
		select {
		case <-timer.C:
		case <-w.full:
		case <-w.stop:
			timer.Stop()
			return
		}
		timer.Stop()
		if err := s.flushAudit(); err != nil {
			s.Logger.Error("write audit records", "err", err)
			signal(w.wake) // try again after another interval
		}
	}
}

// flushAudit appends every queued record in one Update. When the store
// fails, the records go back to the head of the queue.
func (s *Server) flushAudit() error {
	w := &s.audit
	w.mu.Lock()
	batch := w.queue
	w.queue = nil
	w.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	err := s.appendAudit(batch)
	if err != nil && len(batch) > 1 {
		// The batch failed: write its records one by one, so that the
		// record that fails, if one does, is the only one held back.
		var failed []*gatehouse.AuditRecord
		for _, rec := range batch {
			if rerr := s.appendAudit([]*gatehouse.AuditRecord{rec}); rerr != nil {
				failed, err = append(failed, rec), rerr
			}
		}
		batch = failed
		if len(failed) == 0 {
			err = nil
		}
	}
	if err != nil {
		w.mu.Lock()
		if len(batch) == 1 {
			if w.failures == nil {
				w.failures = map[*gatehouse.AuditRecord]int{}
			}
			w.failures[batch[0]]++
			if w.failures[batch[0]] >= auditMaxAttempts {
				delete(w.failures, batch[0])
				w.mu.Unlock()
				s.Logger.Error("audit record dropped after repeated failures", "request_id", batch[0].RequestID, "err", err)
				return err
			}
		}
		w.queue = append(batch, w.queue...)
		if len(w.queue) > auditMaxQueue {
			s.Logger.Error("audit queue full: records dropped", "count", len(w.queue)-auditMaxQueue)
			w.queue = w.queue[len(w.queue)-auditMaxQueue:]
		}
		w.mu.Unlock()
	}
	return err
}

// appendAudit appends recs in one Update.
func (s *Server) appendAudit(recs []*gatehouse.AuditRecord) error {
	return s.Store.Update(context.Background(), func(tx gatehouse.Tx) error {
		for _, rec := range recs {
			if err := tx.AppendAudit(rec); err != nil {
				return err
			}
		}
		return nil
	})
}

// Close writes the audit records still queued and stops the writer that
// batches them. Call it after the HTTP server has shut down and before
// the store closes; a request served after Close writes its record at
// once, in an Update of its own. It returns the error of the last write,
// whose records are then lost.
func (s *Server) Close() error {
	w := &s.audit
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	running := w.running
	w.mu.Unlock()
	if running {
		close(w.stop)
		<-w.done
	}
	s.init() // the Logger, for a Server that never served
	return s.flushAudit()
}
