package api

import "time"

// SetAuditFlushInterval sets how long queued audit records wait before
// they are written, for tests that must tell a record committed with its
// request's change from a queued one. Call it before s serves.
func SetAuditFlushInterval(s *Server, d time.Duration) { s.audit.interval = d }
