package outbox_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"log/slog"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/outbox"
	"github.com/gatehouse-dev/gatehouse/roottask"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
)

// smtpServer is a tiny SMTP server: EHLO/HELO, AUTH PLAIN, MAIL FROM,
// RCPT TO, DATA, RSET, NOOP, QUIT. replies overrides its answer at a
// stage: "greeting", "ehlo" (EHLO and HELO), "auth", "mail", "rcpt",
// "data" (the DATA command) or "end" (the end of the message).
type smtpServer struct {
	ln      net.Listener
	replies map[string]string

	mu       sync.Mutex
	mails    []mail
	auths    []string // decoded AUTH PLAIN credentials
	sessions int
}

type mail struct {
	from, to, data string
}

// tempFailMail answers MAIL FROM with a temporary failure.
var tempFailMail = map[string]string{"mail": "451 4.3.0 try again later"}

func startSMTP(t *testing.T, replies map[string]string) *smtpServer {
	t.Helper()
	return startSMTPOn(t, "127.0.0.1:0", replies)
}

func startSMTPOn(t *testing.T, addr string, replies map[string]string) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln, replies: replies}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() { defer wg.Done(); s.serve(c) }()
		}
	}()
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	s.mu.Lock()
	s.sessions++
	s.mu.Unlock()
	r := bufio.NewReader(c)
	reply := func(lines ...string) { c.Write([]byte(strings.Join(lines, "\r\n") + "\r\n")) }
	// override answers with the stage's reply, if one is set.
	override := func(stage string) bool {
		r, ok := s.replies[stage]
		if ok {
			reply(r)
		}
		return ok
	}
	if !override("greeting") {
		reply("220 test ESMTP")
	}
	var cur mail
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch {
		case (verb == "EHLO" || verb == "HELO") && override("ehlo"):
		case verb == "EHLO":
			reply("250-test", "250-AUTH PLAIN", "250 8BITMIME")
		case verb == "HELO", verb == "NOOP", verb == "RSET":
			reply("250 ok")
		case verb == "AUTH":
			f := strings.Fields(line)
			if len(f) == 3 && strings.EqualFold(f[1], "PLAIN") {
				b, _ := base64.StdEncoding.DecodeString(f[2])
				s.mu.Lock()
				s.auths = append(s.auths, string(b))
				s.mu.Unlock()
				if !override("auth") {
					reply("235 2.7.0 authenticated")
				}
			} else {
				reply("504 unsupported")
			}
		case strings.HasPrefix(strings.ToUpper(line), "MAIL FROM:"):
			if override("mail") {
				continue
			}
			cur = mail{from: line[len("MAIL FROM:"):]}
			reply("250 ok")
		case strings.HasPrefix(strings.ToUpper(line), "RCPT TO:"):
			if override("rcpt") {
				continue
			}
			cur.to = line[len("RCPT TO:"):]
			reply("250 ok")
		case verb == "DATA" && override("data"):
		case verb == "DATA":
			reply("354 go ahead")
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, "."))
			}
			if override("end") {
				continue
			}
			cur.data = data.String()
			s.mu.Lock()
			s.mails = append(s.mails, cur)
			s.mu.Unlock()
			reply("250 queued")
		case verb == "QUIT":
			reply("221 bye")
			return
		default:
			reply("500 unknown command")
		}
	}
}

func (s *smtpServer) received() []mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]mail(nil), s.mails...)
}

// syncBuffer is a log sink safe for the deliverer's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *syncBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *syncBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

const (
	accountID = "123456789012"
	password  = "smtp-pa55word-never-logged"
)

func newStore(t *testing.T) gatehouse.Store {
	t.Helper()
	st, err := sqlite.Open(t.Context(), sqlite.MemoryPath, sqlite.Options{SecretKey: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, _, err := (&iam.Service{Store: gatehouse.Narrow[iam.Tx](st)}).CreateAccount(t.Context(), iam.AccountSpec{ID: accountID, Email: "root@example.com",
		RootPassword: "root password 1"}); err != nil {
		t.Fatal(err)
	}
	return st
}

func messages(t *testing.T, st gatehouse.Store) []*gatehouse.OutboxMessage {
	t.Helper()
	var msgs []*gatehouse.OutboxMessage
	if err := st.View(t.Context(), func(tx gatehouse.Tx) error {
		var err error
		msgs, err = tx.OutboxMessages("")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return msgs
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestDeliverConfirmationCode starts a root email change and checks that
// the running deliverer sends the confirmation code to the SMTP server
// (authenticating with PLAIN to localhost) and records it DELIVERED, and
// that the password appears in no log line.
func TestDeliverConfirmationCode(t *testing.T) {
	st := newStore(t)
	srv := startSMTP(t, nil)
	var logs syncBuffer
	d := &outbox.Deliverer{Store: gatehouse.Narrow[outbox.Tx](st), Addr: srv.ln.Addr().String(), From: "no-reply@gatehouse.local", User: "mailer",
		Password: password, Poll: 5 * time.Millisecond,
		Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	stop := d.Start(t.Context())
	defer stop()

	if err := (&roottask.Service{Store: gatehouse.Narrow[roottask.Tx](st)}).StartEmailUpdate(t.Context(), accountID, "new-root@example.com"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "delivery", func() bool {
		m := messages(t, st)
		return len(m) == 1 && m[0].Delivery.Status == gatehouse.DeliveryDelivered
	})
	stop()
	got := srv.received()
	if len(got) != 1 {
		t.Fatalf("received %d mails", len(got))
	}
	stored := messages(t, st)[0]
	code := regexp.MustCompile(`\b\d{6}\b`).FindString(stored.Body.Reveal())
	if code == "" {
		t.Fatalf("no code in %q", stored.Body.Reveal())
	}
	m := got[0]
	if !strings.HasPrefix(m.from, "<no-reply@gatehouse.local>") || m.to != "<new-root@example.com>" {
		t.Errorf("envelope from %s to %s", m.from, m.to)
	}
	for _, want := range []string{"To: new-root@example.com\r\n", "Subject: " + stored.Subject + "\r\n", code} {
		if !strings.Contains(m.data, want) {
			t.Errorf("mail lacks %q:\n%s", want, m.data)
		}
	}
	if d := stored.Delivery; d.Attempts != 1 || d.DeliveredAt.IsZero() || d.LastError != "" {
		t.Errorf("delivery state %+v", d)
	}
	srv.mu.Lock()
	auths := srv.auths
	srv.mu.Unlock()
	if len(auths) != 1 || auths[0] != "\x00mailer\x00"+password {
		t.Errorf("AUTH PLAIN credentials %q", auths)
	}
	if strings.Contains(logs.String(), password) || !strings.Contains(logs.String(), "outbox message delivered") {
		t.Errorf("logs:\n%s", logs.String())
	}
}

// TestDeliveryRetriesThenFails checks that a server refusing every
// message leads to one attempt per backoff step plus one, then FAILED
// with the server's reply code, never logging the password.
func TestDeliveryRetriesThenFails(t *testing.T) {
	st := newStore(t)
	srv := startSMTP(t, tempFailMail)
	var logs syncBuffer
	d := &outbox.Deliverer{Store: gatehouse.Narrow[outbox.Tx](st), Addr: srv.ln.Addr().String(), From: "no-reply@gatehouse.local", User: "mailer",
		Password: password, Backoff: []time.Duration{time.Millisecond, 2 * time.Millisecond, 3 * time.Millisecond},
		Logger: slog.New(slog.NewJSONHandler(&logs, nil))}
	if err := (&roottask.Service{Store: gatehouse.Narrow[roottask.Tx](st)}).StartEmailUpdate(t.Context(), accountID, "new-root@example.com"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := 1; i <= 3; i++ {
		if err := d.DeliverDue(ctx); err != nil {
			t.Fatal(err)
		}
		m := messages(t, st)[0]
		if m.Delivery.Status != gatehouse.DeliveryPending || m.Delivery.Attempts != i || m.Delivery.NextAttempt.IsZero() {
			t.Fatalf("after attempt %d: %+v", i, m.Delivery)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := d.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	m := messages(t, st)[0]
	if m.Delivery.Status != gatehouse.DeliveryFailed || m.Delivery.Attempts != 4 || m.Delivery.LastError != "mail from: 451 local error in processing" {
		t.Errorf("final state %+v", m.Delivery)
	}
	if err := d.DeliverDue(ctx); err != nil { // a failed message is not retried
		t.Fatal(err)
	}
	srv.mu.Lock()
	sessions := srv.sessions
	srv.mu.Unlock()
	if sessions != 4 || len(srv.received()) != 0 {
		t.Errorf("%d SMTP sessions, %d mails; want 4 and 0", sessions, len(srv.received()))
	}
	if l := logs.String(); strings.Contains(l, password) || strings.Count(l, "will retry") != 3 || !strings.Contains(l, "giving up") {
		t.Errorf("logs:\n%s", l)
	}
}

// TestPlainAuthRefusedInClear checks that the password is not sent to a
// server that is neither localhost nor reached over TLS.
func TestPlainAuthRefusedInClear(t *testing.T) {
	st := newStore(t)
	// 127.0.0.2 is loopback but not one of the names net/smtp trusts
	// without TLS.
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skip("cannot listen on 127.0.0.2")
	}
	ln.Close()
	srv := startSMTPOn(t, ln.Addr().String(), nil)
	d := &outbox.Deliverer{Store: gatehouse.Narrow[outbox.Tx](st), Addr: srv.ln.Addr().String(), From: "no-reply@gatehouse.local",
		User: "mailer", Password: password, Backoff: []time.Duration{}}
	if err := (&roottask.Service{Store: gatehouse.Narrow[roottask.Tx](st)}).StartEmailUpdate(t.Context(), accountID, "new-root@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := d.DeliverDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	m := messages(t, st)[0]
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if m.Delivery.Status != gatehouse.DeliveryFailed || len(srv.auths) != 0 || strings.Contains(m.Delivery.LastError, password) {
		t.Errorf("state %+v, auths %q", m.Delivery, srv.auths)
	}
}

// TestServerRepliesNeverKept has the SMTP server echo the password (and
// the AUTH credentials) in its reply at each stage of a delivery, and
// checks that the stored delivery state and the log keep only the stage,
// the reply code and a fixed description: no text of the server's.
func TestServerRepliesNeverKept(t *testing.T) {
	echo := "5.7.8 " + password + " \x00mailer\x00" + password
	cases := []struct {
		stage, reply, want string
	}{
		{"greeting", "554 " + echo, "greeting: 554 transaction failed"},
		{"ehlo", "550 " + echo, "ehlo: 550 rejected"},
		{"auth", "535 " + echo, "auth: 535 authentication failed"},
		{"auth", "454 " + echo, "auth: 454 temporary authentication failure"},
		{"mail", "550 " + echo, "mail from: 550 rejected"},
		{"mail", "421 " + echo, "mail from: 421 service not available"},
		{"mail", "599 " + echo, "mail from: 599 permanent failure"},
		{"mail", "garbled " + echo, "mail from: malformed reply from the server"},
		{"rcpt", "553 " + echo, "rcpt to: 553 mailbox name not allowed"},
		{"rcpt", "452 " + echo, "rcpt to: 452 insufficient system storage"},
		{"data", "554 " + echo, "data: 554 transaction failed"},
		{"end", "552 " + echo, "data: 552 exceeded storage allocation"},
	}
	for _, c := range cases {
		t.Run(c.stage+"/"+c.want, func(t *testing.T) {
			st := newStore(t)
			srv := startSMTP(t, map[string]string{c.stage: c.reply})
			var logs syncBuffer
			d := &outbox.Deliverer{Store: gatehouse.Narrow[outbox.Tx](st), Addr: srv.ln.Addr().String(), From: "no-reply@gatehouse.local", User: "mailer",
				Password: password, Backoff: []time.Duration{time.Hour},
				Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
			if err := (&roottask.Service{Store: gatehouse.Narrow[roottask.Tx](st)}).StartEmailUpdate(t.Context(), accountID, "new-root@example.com"); err != nil {
				t.Fatal(err)
			}
			if err := d.DeliverDue(t.Context()); err != nil {
				t.Fatal(err)
			}
			m := messages(t, st)[0]
			if m.Delivery.Status != gatehouse.DeliveryPending || m.Delivery.Attempts != 1 || m.Delivery.LastError != c.want {
				t.Errorf("delivery state %+v, want last error %q", m.Delivery, c.want)
			}
			l := logs.String()
			for _, secret := range []string{password, "5.7.8", "mailer\\u0000"} {
				if strings.Contains(m.Delivery.LastError, secret) || strings.Contains(l, secret) {
					t.Errorf("%q kept: last error %q, logs:\n%s", secret, m.Delivery.LastError, l)
				}
			}
			if !strings.Contains(l, c.want) {
				t.Errorf("the log lacks %q:\n%s", c.want, l)
			}
		})
	}
}

// TestLocalFailuresDescribed checks the descriptions of failures that are
// not SMTP replies: nothing listens, the server hangs up.
func TestLocalFailuresDescribed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	hangUp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer hangUp.Close()
	go func() {
		for {
			c, err := hangUp.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	cases := []struct{ name, addr, want string }{
		{"refused", closed, "connect: connection refused"},
		{"hang up", hangUp.Addr().String(), "greeting: connection closed by the server"},
		{"bad address", "no-port", "connect: failed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := newStore(t)
			d := &outbox.Deliverer{Store: gatehouse.Narrow[outbox.Tx](st), Addr: c.addr, From: "no-reply@gatehouse.local", Backoff: []time.Duration{time.Hour}}
			if err := (&roottask.Service{Store: gatehouse.Narrow[roottask.Tx](st)}).StartEmailUpdate(t.Context(), accountID, "new-root@example.com"); err != nil {
				t.Fatal(err)
			}
			if err := d.DeliverDue(t.Context()); err != nil {
				t.Fatal(err)
			}
			if got := messages(t, st)[0].Delivery.LastError; got != c.want {
				t.Errorf("last error %q, want %q", got, c.want)
			}
		})
	}
}
