package main

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
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
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/account"
	"github.com/gatehouse-dev/gatehouse/api"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/awsmanaged"
	"github.com/gatehouse-dev/gatehouse/blob"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/metrics"
	"github.com/gatehouse-dev/gatehouse/outbox"
	"github.com/gatehouse-dev/gatehouse/s3"
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
	} else if _, err := os.Stat(dbPath); err == nil {
		// An existing store whose key is gone: a new key could not read
		// its secrets and would seal new ones beside them.
		if err := c.checkExists(dbPath, keyPath); err != nil {
			return nil, err
		}
	}
	key, err := loadOrCreateKey(keyPath, c.create)
	if err != nil {
		return nil, err
	}
	c.key = key
	return sqlite.Open(ctx, dbPath, sqlite.Options{SecretKey: key})
}

// objectsDir is the directory of S3 object bytes in a data directory.
const objectsDir = "objects"

// openBlobs opens the directory of S3 object bytes beside the store (a
// temporary one, removed at exit, for an ephemeral store) and removes
// the blobs no object version names: what a crash between writing an
// object's bytes and committing its metadata, or between deleting the
// metadata and the bytes, left behind.
func (c *storeConfig) openBlobs(ctx context.Context, st gatehouse.Store) (*blob.Store, error) {
	if c.ephemeral {
		return blob.OpenTemp()
	}
	b, err := blob.Open(filepath.Join(c.dataDir, objectsDir))
	if err != nil {
		return nil, err
	}
	referenced := func(id string) (bool, error) {
		var ok bool
		err := st.View(ctx, func(tx gatehouse.Tx) error {
			var err error
			ok, err = tx.BlobReferenced(id)
			return err
		})
		return ok, err
	}
	if _, err := b.Sweep(referenced, 0); err != nil {
		b.Close()
		return nil, fmt.Errorf("sweep orphan objects: %w", err)
	}
	return b, nil
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
	tlsCert := fs.String("tls-cert", "", "serve HTTPS with this certificate (PEM; with --tls-key)")
	tlsKey := fs.String("tls-key", "", "the private key of --tls-cert (PEM)")
	insecureMFA := fs.Bool("insecure-mfa-delete", false, "development only: accept S3's x-amz-mfa (MFA delete) over plain HTTP, which AWS refuses")
	s3Hosts := fs.String("s3-host", "localhost", "comma-separated host names whose subdomains name S3 buckets (virtual-hosted style: my-bucket.localhost)")
	metricsAddr := fs.String("metrics-addr", "", `serve Prometheus metrics at /metrics on this address (HOST:PORT) instead of on --addr; "off" turns metrics off`)
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		fmt.Fprintf(stderr, "gatehouse serve: --tls-cert and --tls-key go together\n")
		return exitUsage
	}
	if *tlsCert != "" {
		if _, err := tls.LoadX509KeyPair(*tlsCert, *tlsKey); err != nil {
			fmt.Fprintf(stderr, "gatehouse serve: --tls-cert/--tls-key: %v\n", err)
			return 1
		}
	}
	mode, err := parseMetricsAddr(*metricsAddr)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse serve: --metrics-addr: %v\n", err)
		return exitUsage
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(stderr, "gatehouse serve: --log-level: %v\n", err)
		return exitUsage
	}
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))

	sqlStore, err := sc.open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse serve: %v\n", err)
		return 1
	}
	defer sqlStore.Close()
	// Every service meets the store through st: AWS managed policies are
	// served from the binary, in front of the database, which keeps only
	// their attachments; measured when metrics are on.
	var st gatehouse.Store = awsmanaged.Wrap(sqlStore, nil)
	var m *metrics.Metrics
	if mode != metricsOff {
		m = metrics.New()
		st = m.WrapStore(st)
	}
	svc := &iam.Service{Store: gatehouse.Narrow[iam.Tx](st)}
	bootstrap := func(ctx context.Context) error {
		if err := svc.BindTrustPolicies(ctx); err != nil {
			return err
		}
		return bootstrapAccount(ctx, svc, st, stdout, sc.dataDir)
	}
	if err := bootstrap(ctx); err != nil {
		fmt.Fprintf(stderr, "gatehouse serve: %v\n", err)
		return 1
	}
	blobs, err := sc.openBlobs(ctx, st)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse serve: %v\n", err)
		return 1
	}
	defer blobs.Close()
	srv := &api.Server{Store: st, IAM: svc, STS: &sts.Service{Store: gatehouse.Narrow[sts.Tx](st)},
		Account: &account.Service{Store: gatehouse.Narrow[account.Tx](st)},
		Authz:   &authz.Authorizer{Store: gatehouse.Narrow[authz.Tx](st)}, Logger: logger, Version: version(),
		S3: &s3.Service{Store: gatehouse.Narrow[s3.Tx](st), Blobs: blobs}, S3Hosts: strings.Split(*s3Hosts, ","), S3InsecureMFA: *insecureMFA}
	if m != nil {
		srv.Observer, srv.Authz.Observer = m, m
	}
	// Invoice document URLs stay valid across restarts: their key is
	// derived from the server key, never used for anything else.
	mac := hmac.New(sha256.New, sc.key)
	mac.Write([]byte("gatehouse invoice document URLs"))
	srv.URLKey = mac.Sum(nil)
	if *enableReset {
		srv.Reset = func(ctx context.Context) error {
			if err := sqlStore.Reset(ctx); err != nil {
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
		d := &outbox.Deliverer{Store: gatehouse.Narrow[outbox.Tx](st), Addr: *smtpAddr, From: *smtpFrom, User: *smtpUser,
			Password: gatehouse.Secret(os.Getenv(envSMTPPassword)), Logger: logger}
		stopMail = d.Start(ctx)
		logger.Info("outbox delivery by SMTP", "smtp", *smtpAddr, "from", *smtpFrom, "user", *smtpUser)
	}
	defer stopMail()
	handler := srv.Handler()
	servers := []*http.Server{}
	errc := make(chan error, 2)
	switch mode {
	case metricsMain:
		// Not a ServeMux: it would clean the paths of S3 keys.
		api, metricsHandler := handler, m.Handler()
		handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/metrics" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
				metricsHandler.ServeHTTP(w, r)
				return
			}
			api.ServeHTTP(w, r)
		})
	case metricsOwn:
		mln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			ln.Close()
			fmt.Fprintf(stderr, "gatehouse serve: --metrics-addr: %v\n", err)
			return 1
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", m.Handler())
		ms := newHTTPServer(mux, defaultHTTPTimeouts)
		servers = append(servers, ms)
		go func() { errc <- ms.Serve(mln) }()
		logger.Info("metrics listening", "addr", mln.Addr().String())
		fmt.Fprintf(stdout, "Metrics on http://%s/metrics\n", mln.Addr())
	}
	hs := newHTTPServer(handler, defaultHTTPTimeouts)
	servers = append(servers, hs)
	logger.Info("gatehouse listening", "addr", ln.Addr().String(), "data", sc.describe())
	scheme := "http"
	if *tlsCert != "" {
		scheme = "https"
	}
	fmt.Fprintf(stdout, "Gatehouse %s listening on %s://%s\n", version(), scheme, ln.Addr())
	if *tlsCert != "" {
		go func() { errc <- hs.ServeTLS(ln, *tlsCert, *tlsKey) }()
	} else {
		go func() { errc <- hs.Serve(ln) }()
	}
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "gatehouse serve: %v\n", err)
		for _, s := range servers {
			s.Close()
		}
		return 1
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, s := range servers {
		if err := s.Shutdown(shutdown); err != nil {
			logger.Error("shutdown", "err", err)
		}
	}
	if err := srv.Close(); err != nil { // writes the queued audit records
		logger.Error("write audit records", "err", err)
	}
	logger.Info("gatehouse stopped")
	return exitOK
}

// metricsMode says where gatehouse serve serves its metrics.
type metricsMode int

const (
	metricsMain metricsMode = iota // at /metrics on --addr
	metricsOff                     // not at all: nothing is measured
	metricsOwn                     // at /metrics on a listener of their own
)

// parseMetricsAddr reads --metrics-addr: "" for the main listener, "off"
// (or "none") for no metrics, else a HOST:PORT of their own.
func parseMetricsAddr(addr string) (metricsMode, error) {
	switch addr {
	case "":
		return metricsMain, nil
	case "off", "none":
		return metricsOff, nil
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return 0, fmt.Errorf(`want HOST:PORT or "off": %v`, err)
	}
	return metricsOwn, nil
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
// On a store that has accounts it prints them instead, and how to get
// back to a root user whose credentials are lost (dataDir is the --data
// the hints name).
func bootstrapAccount(ctx context.Context, svc *iam.Service, st gatehouse.Store, stdout io.Writer, dataDir string) error {
	var accounts []*gatehouse.Account
	if err := st.View(ctx, func(tx gatehouse.Tx) error {
		var err error
		accounts, err = tx.Accounts()
		return err
	}); err != nil {
		return err
	}
	if len(accounts) > 0 {
		printServedAccounts(stdout, accounts, dataDir)
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

// maxListedAccounts caps the accounts a start lists.
const maxListedAccounts = 10

// printServedAccounts is what a start on an existing store prints: the
// accounts served (the first maxListedAccounts, then a count) and the two
// ways back to a root user whose credentials are lost.
func printServedAccounts(w io.Writer, accounts []*gatehouse.Account, dataDir string) {
	data := dataDir
	if data == "" || strings.ContainsAny(data, " \t\n'\"$`\\;&|<>()*?[]#~") {
		data = shellQuote(data)
	}
	email := func(a *gatehouse.Account) string {
		if a.Email == "" {
			return "(no root email address)"
		}
		return a.Email
	}
	if len(accounts) == 1 {
		a := accounts[0]
		fmt.Fprintf(w, "Serving 1 account: %s %q (root user %s).\n", a.ID, a.Name, email(a))
		if a.Email != "" {
			fmt.Fprintf(w, "Lost the root password? gatehouse root forgot-password --email %s sends a reset code to that address (gatehouse outbox list --data %s shows it).\n", a.Email, data)
		}
		fmt.Fprintf(w, "On this machine, gatehouse root reset-credentials --account %s --data %s gives root new credentials.\n", a.ID, data)
		return
	}
	fmt.Fprintf(w, "Serving %d accounts:\n", len(accounts))
	for i, a := range accounts {
		if i == maxListedAccounts {
			fmt.Fprintf(w, "  ... and %d more (gatehouse account list --data %s)\n", len(accounts)-i, data)
			break
		}
		fmt.Fprintf(w, "  %s  root user %s  %q\n", a.ID, email(a), a.Name)
	}
	fmt.Fprintf(w, "Lost a root password? gatehouse root forgot-password --email EMAIL sends a reset code to that address (gatehouse outbox list --data %s shows it).\n", data)
	fmt.Fprintf(w, "On this machine, gatehouse root reset-credentials --account ID --data %s gives root new credentials.\n", data)
}
