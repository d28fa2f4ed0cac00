package main

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/account"
	"github.com/gatehouse-dev/gatehouse/api"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/awsmanaged"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/outbox"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
	"github.com/gatehouse-dev/gatehouse/sts"
)

// defaultAddr is where `gatehouse serve` listens unless --addr says otherwise.
const defaultAddr = "127.0.0.1:4590"

// Environment variables that set what the first start creates.
const (
	envAccountID  = "GATEHOUSE_ACCOUNT_ID"
	envRootEmail  = "GATEHOUSE_ROOT_EMAIL"
	envRootPass   = "GATEHOUSE_ROOT_PASSWORD"
	envRootKeyID  = "GATEHOUSE_ROOT_ACCESS_KEY_ID"
	envRootSecret = "GATEHOUSE_ROOT_SECRET_ACCESS_KEY"
	// envSMTPPassword is the password of --smtp-user (never logged).
	envSMTPPassword = "GATEHOUSE_SMTP_PASSWORD"
)

// storeConfig says where the data lives.
type storeConfig struct {
	dataDir   string
	ephemeral bool
	// create lets open make the data directory, the store and its key
	// when they do not exist: gatehouse serve only. Every other command
	// works on an existing store, so that a mistyped --data is an error
	// rather than a new empty store.
	create bool
	// key is the server key open loaded (or made, for an ephemeral store).
	key []byte
}

func (c *storeConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.dataDir, "data", "./gatehouse-data", "directory of the embedded store")
}

// Files of a data directory.
const (
	storeFile = "gatehouse.db"
	keyFile   = "secret.key"
)

// open opens the store: a SQLite file in the data directory, with the
// secret-encryption key beside it, or an in-memory store. Unless
// c.create is set, the directory must hold a store already, and open
// creates nothing.
func (c *storeConfig) open(ctx context.Context) (*sqlite.Store, error) {
	if c.ephemeral {
		c.key = make([]byte, 32)
		rand.Read(c.key)
		return sqlite.Open(ctx, ":memory:", sqlite.Options{SecretKey: c.key})
	}
	dbPath, keyPath := filepath.Join(c.dataDir, storeFile), filepath.Join(c.dataDir, keyFile)
	if !c.create {
		if err := c.checkExists(dbPath, keyPath); err != nil {
			return nil, err
		}
	} else if err := os.MkdirAll(c.dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	key, err := loadOrCreateKey(keyPath, c.create)
	if err != nil {
		return nil, err
	}
	c.key = key
	return sqlite.Open(ctx, dbPath, sqlite.Options{SecretKey: key})
}

// checkExists reports an error naming the data directory unless it holds
// a store and its key.
func (c *storeConfig) checkExists(dbPath, keyPath string) error {
	dir := c.dataDir
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	if _, err := os.Stat(dbPath); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("no Gatehouse data directory at %s (start one with gatehouse serve --data DIR)", dir)
		}
		return err
	}
	if _, err := os.Stat(keyPath); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("the Gatehouse data directory %s has no %s: without it the store's secrets cannot be read", dir, keyFile)
		}
		return err
	}
	return nil
}

// loadOrCreateKey reads the 32-byte server key, creating it if missing
// and create is set.
func loadOrCreateKey(path string, create bool) ([]byte, error) {
	key, err := os.ReadFile(path)
	if err == nil {
		if len(key) != 32 {
			return nil, fmt.Errorf("%s: want 32 bytes, found %d", path, len(key))
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) || !create {
		return nil, err
	}
	key = make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create server key: %w", err)
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	return key, f.Close()
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", stderr)
	sc := storeConfig{create: true}
	sc.register(fs)
	addr := fs.String("addr", defaultAddr, "listen address")
	fs.BoolVar(&sc.ephemeral, "ephemeral", false, "keep everything in memory")
	enableReset := fs.Bool("enable-reset", false, "expose POST /_gatehouse/reset (with header X-Gatehouse-Reset: 1), which wipes all state")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	smtpAddr := fs.String("smtp-addr", "", "also deliver outbox messages to this SMTP server (host:port)")
	smtpFrom := fs.String("smtp-from", "no-reply@gatehouse.local", "sender address of delivered messages")
	smtpUser := fs.String("smtp-user", "", "SMTP user for AUTH PLAIN (password from $"+envSMTPPassword+"; TLS or localhost only)")
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(stderr, "gatehouse serve: --log-level: %v\n", err)
		return exitUsage
	}
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))

	db, err := sc.open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse serve: %v\n", err)
		return 1
	}
	defer db.Close()
	// AWS managed policies are served from the binary, in front of the
	// database, which keeps only their attachments.
	st := awsmanaged.Wrap(db, nil)
	svc := &iam.Service{Store: st}
	bootstrap := func(ctx context.Context) error {
		if err := svc.BindTrustPolicies(ctx); err != nil {
			return err
		}
		return bootstrapAccount(ctx, svc, st, stdout)
	}
	if err := bootstrap(ctx); err != nil {
		fmt.Fprintf(stderr, "gatehouse serve: %v\n", err)
		return 1
	}
	srv := &api.Server{Store: st, IAM: svc, STS: &sts.Service{Store: st}, Account: &account.Service{Store: st},
		Authz: &authz.Authorizer{Store: st}, Logger: logger, Version: version()}
	// Invoice document URLs stay valid across restarts: their key is
	// derived from the server key, never used for anything else.
	mac := hmac.New(sha256.New, sc.key)
	mac.Write([]byte("gatehouse invoice document URLs"))
	srv.URLKey = mac.Sum(nil)
	if *enableReset {
		srv.Reset = func(ctx context.Context) error {
			if err := db.Reset(ctx); err != nil {
				return err
			}
			return bootstrap(ctx)
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse serve: %v\n", err)
		return 1
	}
	stopMail := func() {}
	if *smtpAddr != "" {
		d := &outbox.Deliverer{Store: st, Addr: *smtpAddr, From: *smtpFrom, User: *smtpUser,
			Password: gatehouse.Secret(os.Getenv(envSMTPPassword)), Logger: logger}
		stopMail = d.Start(ctx)
		logger.Info("outbox delivery by SMTP", "smtp", *smtpAddr, "from", *smtpFrom, "user", *smtpUser)
	}
	defer stopMail()
	hs := newHTTPServer(srv.Handler(), defaultHTTPTimeouts)
	logger.Info("gatehouse listening", "addr", ln.Addr().String(), "data", sc.describe())
	fmt.Fprintf(stdout, "Gatehouse %s listening on http://%s\n", version(), ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "gatehouse serve: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		logger.Error("shutdown", "err", err)
	}
	if err := srv.Close(); err != nil { // writes the queued audit records
		logger.Error("write audit records", "err", err)
	}
	logger.Info("gatehouse stopped")
	return exitOK
}

// httpTimeouts bound how long one connection may hold the server, so
// that clients that send slowly (or not at all) cannot keep connections
// and handlers busy.
type httpTimeouts struct {
	// readHeader bounds reading the request line and headers.
	readHeader time.Duration
	// read bounds reading the whole request, body included: the api
	// answers a body still coming at that point with RequestTimeout.
	read time.Duration
	// write bounds the handler and the response, from the end of the
	// request headers.
	write time.Duration
	// idle bounds the wait for the next request on a kept-alive
	// connection.
	idle time.Duration
}

// defaultHTTPTimeouts are those of gatehouse serve. Bodies are at most
// 1 MiB (sign-in 8 KiB), so 30 seconds to read a request allows a client
// on a 35 KB/s link; the slowest handlers (a root sign-in's password hash,
// GetAccountAuthorizationDetails of a large account) take well under the
// write timeout.
var defaultHTTPTimeouts = httpTimeouts{
	readHeader: 10 * time.Second,
	read:       30 * time.Second,
	write:      time.Minute,
	idle:       2 * time.Minute,
}

// newHTTPServer returns the http.Server of gatehouse serve.
func newHTTPServer(h http.Handler, t httpTimeouts) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: t.readHeader,
		ReadTimeout:       t.read,
		WriteTimeout:      t.write,
		IdleTimeout:       t.idle,
	}
}

func (c *storeConfig) describe() string {
	if c.ephemeral {
		return "memory"
	}
	return c.dataDir
}

// bootstrapAccount creates the first account on an empty store from the
// GATEHOUSE_* environment, generating and printing once what is not given.
func bootstrapAccount(ctx context.Context, svc *iam.Service, st gatehouse.Store, stdout io.Writer) error {
	var n int
	if err := st.View(ctx, func(tx gatehouse.Tx) error {
		accounts, err := tx.Accounts()
		n = len(accounts)
		return err
	}); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	spec := iam.AccountSpec{
		ID:                  os.Getenv(envAccountID),
		Email:               os.Getenv(envRootEmail),
		RootPassword:        gatehouse.Secret(os.Getenv(envRootPass)),
		RootAccessKeyID:     os.Getenv(envRootKeyID),
		RootSecretAccessKey: gatehouse.Secret(os.Getenv(envRootSecret)),
		CreateRootKey:       true,
	}
	if spec.Email == "" {
		spec.Email = "root@gatehouse.local"
	}
	generatedPassword := spec.RootPassword == ""
	if generatedPassword {
		p, err := svc.NewSecretAccessKey()
		if err != nil {
			return err
		}
		spec.RootPassword = gatehouse.Secret(p.Reveal()[:24])
	}
	a, key, err := svc.CreateAccount(ctx, spec)
	if err != nil {
		return fmt.Errorf("create first account: %w", err)
	}
	fmt.Fprintf(stdout, "Created account %s (root user %s).\n", a.ID, a.Email)
	if generatedPassword {
		fmt.Fprintf(stdout, "  root password:          %s\n", spec.RootPassword.Reveal())
	}
	fmt.Fprintf(stdout, "  root access key id:     %s\n", key.ID)
	if spec.RootSecretAccessKey == "" {
		fmt.Fprintf(stdout, "  root secret access key: %s\n", key.Secret.Reveal())
	}
	fmt.Fprintln(stdout, "These are shown once. As on AWS, use the root user only to create an IAM administrator, then delete the root access key.")
	return nil
}
