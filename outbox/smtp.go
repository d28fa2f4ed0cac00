// Package outbox delivers the messages of the store's outbox (what AWS
// would email: confirmation codes, notices of root sign-in and account
// closure) to an SMTP server, asynchronously from the requests that
// wrote them. `gatehouse serve --smtp-addr` runs a Deliverer.
package outbox

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"syscall"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// DefaultBackoff is the wait before each retry of a failed delivery; a
// message is tried len(DefaultBackoff)+1 times before it is FAILED.
var DefaultBackoff = []time.Duration{10 * time.Second, time.Minute, 5 * time.Minute, 30 * time.Minute}

// Deliverer sends pending outbox messages with net/smtp.
type Deliverer struct {
	Store *gatehouse.TxStore[Tx]
	// Addr is the SMTP server's host:port.
	Addr string
	// From is the envelope and header sender.
	From string
	// User and Password, when User is set, authenticate with PLAIN, which
	// net/smtp allows only over TLS (STARTTLS) or to localhost. The
	// password is never logged.
	User     string
	Password gatehouse.Secret
	// Logger receives delivery outcomes; nil discards them.
	Logger *slog.Logger
	// Poll is how often the outbox is checked (default 1s).
	Poll time.Duration
	// Backoff is the wait before each retry (default DefaultBackoff).
	Backoff []time.Duration
	// Timeout bounds one delivery attempt (default 30s).
	Timeout time.Duration
	// TLSConfig is used for STARTTLS (default: ServerName from Addr).
	TLSConfig *tls.Config
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

func (d *Deliverer) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d *Deliverer) logger() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Start runs the deliverer in a goroutine until ctx is done or stop is
// called; stop waits for the goroutine (and any attempt in flight) to end.
func (d *Deliverer) Start(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		d.Run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}

// Run delivers due messages every Poll until ctx is done.
func (d *Deliverer) Run(ctx context.Context) {
	poll := d.Poll
	if poll <= 0 {
		poll = time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if err := d.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			d.logger().Error("outbox delivery", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// DeliverDue makes one attempt at every due pending message and records
// each outcome.
func (d *Deliverer) DeliverDue(ctx context.Context) error {
	var due []*gatehouse.OutboxMessage
	if err := d.Store.View(ctx, func(tx Tx) error {
		var err error
		due, err = tx.DueOutboxMessages(d.now(), 50)
		return err
	}); err != nil {
		return err
	}
	backoff := d.Backoff
	if backoff == nil {
		backoff = DefaultBackoff
	}
	for _, m := range due {
		if ctx.Err() != nil {
			return nil
		}
		state := m.Delivery
		state.Attempts++
		err := d.send(ctx, m)
		log := d.logger().With("message", m.ID, "to", m.To, "smtp", d.Addr, "attempt", state.Attempts)
		switch {
		case err == nil:
			state.Status, state.LastError, state.NextAttempt, state.DeliveredAt = gatehouse.DeliveryDelivered, "", time.Time{}, d.now()
			log.Info("outbox message delivered")
		case state.Attempts > len(backoff):
			state.Status, state.LastError, state.NextAttempt = gatehouse.DeliveryFailed, err.Error(), time.Time{}
			log.Error("outbox message not delivered; giving up", "err", err)
		default:
			state.LastError, state.NextAttempt = err.Error(), d.now().Add(backoff[state.Attempts-1])
			log.Warn("outbox message not delivered; will retry", "err", err, "retry_at", state.NextAttempt)
		}
		if err := d.Store.Update(context.WithoutCancel(ctx), func(tx Tx) error {
			return tx.SetOutboxDelivery(m.ID, state)
		}); err != nil {
			return err
		}
	}
	return nil
}

// send delivers one message: EHLO, STARTTLS when offered, AUTH PLAIN when
// a user is set, MAIL, RCPT, DATA, QUIT. Its errors are safeError's: the
// stage and the reply code, never the server's text.
func (d *Deliverer) send(ctx context.Context, m *gatehouse.OutboxMessage) error {
	timeout := d.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	host, _, err := net.SplitHostPort(d.Addr)
	if err != nil {
		return safeError("connect", err)
	}
	dialer := net.Dialer{Timeout: timeout}
	conn, err := dialer.DialContext(ctx, "tcp", d.Addr)
	if err != nil {
		return safeError("connect", err)
	}
	conn.SetDeadline(time.Now().Add(timeout))
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return safeError("greeting", err)
	}
	defer c.Close()
	if err := c.Hello("gatehouse.local"); err != nil {
		return safeError("ehlo", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := d.TLSConfig
		if cfg == nil {
			cfg = &tls.Config{ServerName: host}
		}
		if err := c.StartTLS(cfg); err != nil {
			return safeError("starttls", err)
		}
	}
	if d.User != "" {
		// PlainAuth refuses to send the password unless the connection
		// is TLS or the server is localhost.
		if err := c.Auth(smtp.PlainAuth("", d.User, d.Password.Reveal(), host)); err != nil {
			return safeError("auth", err)
		}
	}
	if err := c.Mail(d.From); err != nil {
		return safeError("mail from", err)
	}
	if err := c.Rcpt(m.To); err != nil {
		return safeError("rcpt to", err)
	}
	w, err := c.Data()
	if err != nil {
		return safeError("data", err)
	}
	if _, err := w.Write(d.message(m)); err != nil {
		return safeError("data", err)
	}
	if err := w.Close(); err != nil {
		return safeError("data", err)
	}
	if err := c.Quit(); err != nil && !errors.Is(err, net.ErrClosed) {
		return safeError("quit", err)
	}
	return nil
}

// clientErrors describes net/smtp's own errors, by their fixed texts:
// refusals of the client, not replies of the server.
var clientErrors = map[string]string{
	"unencrypted connection":                 "password not sent over an unencrypted connection (no STARTTLS, not localhost)",
	"wrong host name":                        "password not sent: server name mismatch",
	"unexpected server challenge":            "unexpected AUTH challenge from the server",
	"smtp: server doesn't support AUTH":      "the server does not offer AUTH",
	"smtp: A line must not contain CR or LF": "an address contains a line break",
}

// safeError describes a failed delivery step for the message's stored
// state and the log: the stage, and for an SMTP reply its code with a
// fixed description of that code. Nothing the server sent is kept: a
// server's reply text can echo what it was sent, the AUTH credentials
// included. Other failures are named by their kind (refused, timed out,
// TLS...), never by their text.
func safeError(stage string, err error) error {
	var reply *textproto.Error
	var protocol textproto.ProtocolError
	var netErr net.Error
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var unknownCA x509.UnknownAuthorityError
	var badHost x509.HostnameError
	var badCert x509.CertificateInvalidError
	var tlsRecord tls.RecordHeaderError
	var tlsAlert tls.AlertError
	var desc string
	switch {
	case errors.As(err, &reply):
		desc = fmt.Sprintf("%d %s", reply.Code, replyDescription(stage, reply.Code))
	case errors.As(err, &protocol):
		desc = "malformed reply from the server"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		desc = "connection closed by the server"
	case errors.Is(err, context.Canceled):
		desc = "canceled"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		desc = "timed out"
	case errors.As(err, &unknownCA):
		desc = "TLS: certificate signed by an unknown authority"
	case errors.As(err, &badHost):
		desc = "TLS: certificate not valid for the server's name"
	case errors.As(err, &badCert):
		desc = "TLS: certificate not valid"
	case errors.As(err, &tlsRecord), errors.As(err, &tlsAlert):
		desc = "TLS handshake failed"
	case errors.As(err, &dnsErr):
		desc = "host not found"
	case errors.Is(err, syscall.ECONNREFUSED):
		desc = "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		desc = "connection reset by the server"
	case errors.As(err, &opErr):
		desc = "network error"
	case clientErrors[err.Error()] != "":
		desc = clientErrors[err.Error()]
	case stage == "starttls":
		desc = "TLS handshake failed"
	default:
		desc = "failed"
	}
	return fmt.Errorf("%s: %s", stage, desc)
}

// replyDescription is a fixed description of an SMTP reply code (RFC 5321
// section 4.2.3, RFC 3207, RFC 4954).
func replyDescription(stage string, code int) string {
	switch code {
	case 421:
		return "service not available"
	case 450:
		return "mailbox unavailable"
	case 451:
		return "local error in processing"
	case 452:
		return "insufficient system storage"
	case 454:
		if stage == "starttls" {
			return "TLS not available"
		}
		return "temporary authentication failure"
	case 455:
		return "unable to accommodate parameters"
	case 500:
		return "command not recognized"
	case 501:
		return "syntax error in parameters"
	case 502:
		return "command not implemented"
	case 503:
		return "bad sequence of commands"
	case 504:
		return "command parameter not implemented"
	case 530:
		return "authentication required"
	case 534:
		return "authentication mechanism too weak"
	case 535:
		return "authentication failed"
	case 538:
		return "encryption required for authentication"
	case 550:
		return "rejected"
	case 551:
		return "user not local"
	case 552:
		return "exceeded storage allocation"
	case 553:
		return "mailbox name not allowed"
	case 554:
		return "transaction failed"
	case 555:
		return "parameters not recognized"
	}
	switch code / 100 {
	case 4:
		return "temporary failure"
	case 5:
		return "permanent failure"
	}
	return "unexpected reply"
}

// message renders m as an RFC 5322 plain-text message.
func (d *Deliverer) message(m *gatehouse.OutboxMessage) []byte {
	var b strings.Builder
	header := func(k, v string) {
		v = strings.NewReplacer("\r", " ", "\n", " ").Replace(v)
		fmt.Fprintf(&b, "%s: %s\r\n", k, v)
	}
	var id [8]byte
	rand.Read(id[:])
	header("From", d.From)
	header("To", m.To)
	header("Subject", m.Subject)
	header("Date", m.CreatedAt.Format(time.RFC1123Z))
	header("Message-ID", "<"+m.ID+"."+hex.EncodeToString(id[:])+"@gatehouse.local>")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "8bit")
	b.WriteString("\r\n")
	body := strings.ReplaceAll(strings.ReplaceAll(m.Body.Reveal(), "\r\n", "\n"), "\n", "\r\n")
	b.WriteString(body)
	if !strings.HasSuffix(body, "\r\n") {
		b.WriteString("\r\n")
	}
	return []byte(b.String())
}
