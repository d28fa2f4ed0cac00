package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
)

// auditCount returns the number of stored audit records.
func auditCount(t *testing.T, st gatehouse.Store) int {
	t.Helper()
	var n int
	if err := st.View(context.Background(), func(tx gatehouse.Tx) error {
		recs, err := tx.AuditRecords(gatehouse.AuditFilter{})
		n = len(recs)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitAuditCount waits until at least n records are stored.
func waitAuditCount(t *testing.T, st gatehouse.Store, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); auditCount(t, st) < n; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d audit records stored, want %d", auditCount(t, st), n)
		}
	}
}

func newAuditServer(t *testing.T, interval time.Duration) (*Server, gatehouse.Store) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), sqlite.MemoryPath, sqlite.Options{SecretKey: bytes.Repeat([]byte{3}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := &Server{Store: st}
	s.init()
	s.audit.interval = interval
	t.Cleanup(func() { s.Close() })
	return s, st
}

func auditRec(i int) *gatehouse.AuditRecord {
	return &gatehouse.AuditRecord{Time: time.Unix(int64(i), 0), RequestID: fmt.Sprint("req-", i)}
}

func TestAuditWriterFlushesOnInterval(t *testing.T) {
	s, st := newAuditServer(t, 20*time.Millisecond)
	for round := range 2 { // the writer goes back to sleep and wakes again
		for i := range 3 {
			s.queueAudit(auditRec(round*3 + i))
		}
		waitAuditCount(t, st, (round+1)*3)
	}
}

func TestAuditWriterFlushesFullBatch(t *testing.T) {
	s, st := newAuditServer(t, time.Hour)
	for i := range auditBatchSize - 1 {
		s.queueAudit(auditRec(i))
	}
	time.Sleep(50 * time.Millisecond)
	if n := auditCount(t, st); n != 0 {
		t.Fatalf("%d records written before the batch was full or due", n)
	}
	s.queueAudit(auditRec(auditBatchSize))
	waitAuditCount(t, st, auditBatchSize)
	s.queueAudit(auditRec(auditBatchSize + 1))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := auditCount(t, st); n != auditBatchSize+1 {
		t.Fatalf("%d records after Close, want %d", n, auditBatchSize+1)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestAuditWriterKeepsRecordsWhenStoreFails(t *testing.T) {
	s, st := newAuditServer(t, time.Hour)
	s.queueAudit(auditRec(1))
	st.Close()
	if err := s.Close(); err == nil {
		t.Fatal("Close on a closed store reported no error")
	}
	s.audit.mu.Lock()
	defer s.audit.mu.Unlock()
	if len(s.audit.queue) != 1 {
		t.Errorf("%d records queued after a failed write, want 1", len(s.audit.queue))
	}
}

func TestSentCredential(t *testing.T) {
	for _, tc := range []struct {
		name, header, query string
		key, service        string
	}{
		{"Header", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00",
			"", "AKIAIOSFODNN7EXAMPLE", "iam"},
		{"Query", "", "X-Amz-Credential=ASIAIOSFODNN7EXAMPLE%2F20250101%2Fus-east-1%2Fsts%2Faws4_request", "ASIAIOSFODNN7EXAMPLE", "sts"},
		// A secret key where the key ID belongs is left out.
		{"SecretAsKeyID", "AWS4-HMAC-SHA256 Credential=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY/20250101/us-east-1/iam/aws4_request",
			"", "", ""},
		{"SecretNoSlash", "AWS4-HMAC-SHA256 Credential=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY/20250101/us-east-1/iam/aws4_request",
			"", "", "iam"},
		{"None", "", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := http.NewRequest("POST", "http://localhost/?"+tc.query, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.header != "" {
				r.Header.Set("Authorization", tc.header)
			}
			if key, service := auditedCredential(sentCredential(r)); key != tc.key || service != tc.service {
				t.Errorf("sentCredential = %q, %q; want %q, %q", key, service, tc.key, tc.service)
			}
		})
	}
}

// TestAuditWriterPoisonedRecord: a record the store refuses on its own
// (here, a decision its schema does not allow) does not hold back the
// records queued with it or after it, and is dropped after
// auditMaxAttempts writes.
func TestAuditWriterPoisonedRecord(t *testing.T) {
	s, st := newAuditServer(t, time.Hour)
	bad := auditRec(0)
	bad.Decision = "no-such-decision"
	s.queueAudit(bad)
	for i := 1; i <= 3; i++ {
		s.queueAudit(auditRec(i))
	}
	if err := s.flushAudit(); err == nil {
		t.Fatal("flushAudit reported no error for a record the store refuses")
	}
	if n := auditCount(t, st); n != 3 {
		t.Fatalf("%d records stored, want the 3 good ones", n)
	}
	for range auditMaxAttempts {
		s.flushAudit()
	}
	s.audit.mu.Lock()
	defer s.audit.mu.Unlock()
	if len(s.audit.queue) != 0 {
		t.Errorf("%d records still queued after %d attempts, want the bad one dropped", len(s.audit.queue), auditMaxAttempts)
	}
}
