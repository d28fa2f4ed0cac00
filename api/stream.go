package api

import (
	"io"
	"net/http"
	"time"
)

// defaultStreamTimeout is Server.StreamTimeout's default.
const defaultStreamTimeout = 30 * time.Second

// streamDeadlines keeps an S3 transfer's connection open while bytes
// move: each read of the body and each write of the response pushes the
// connection's read or write deadline timeout ahead. A client that
// stops sending or reading for longer is cut off, whatever the size of
// the transfer, and the server's fixed read and write timeouts do not
// cut off a large one that makes progress.
type streamDeadlines struct {
	rc      *http.ResponseController
	timeout time.Duration
}

func newStreamDeadlines(w http.ResponseWriter, timeout time.Duration) *streamDeadlines {
	if timeout <= 0 {
		timeout = defaultStreamTimeout
	}
	return &streamDeadlines{rc: http.NewResponseController(w), timeout: timeout}
}

// body returns b with the read deadline pushed ahead on every read.
func (s *streamDeadlines) body(b io.ReadCloser) io.ReadCloser { return &deadlineBody{b, s} }

// writer returns w with the write deadline pushed ahead on every write.
func (s *streamDeadlines) writer(w http.ResponseWriter) http.ResponseWriter {
	return &deadlineWriter{w, s}
}

type deadlineBody struct {
	io.ReadCloser
	s *streamDeadlines
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	// A writer that cannot set deadlines (a test's recorder) leaves the
	// server's own timeouts in force.
	b.s.rc.SetReadDeadline(time.Now().Add(b.s.timeout))
	return b.ReadCloser.Read(p)
}

// Trailers passes on the trailers of an aws-chunked body.
func (b *deadlineBody) Trailers() map[string]string {
	if t, ok := b.ReadCloser.(interface{ Trailers() map[string]string }); ok {
		return t.Trailers()
	}
	return nil
}

type deadlineWriter struct {
	http.ResponseWriter
	s *streamDeadlines
}

func (w *deadlineWriter) Write(p []byte) (int, error) {
	w.s.rc.SetWriteDeadline(time.Now().Add(w.s.timeout))
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *deadlineWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
