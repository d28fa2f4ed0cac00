// Package api is Gatehouse's HTTP edge: one pipeline that authenticates
// a request (SigV4), routes it by its credential scope to a service's
// operation table and protocol codec, authorizes and runs the operation,
// audits it, and answers in the service's AWS wire format.
package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/account"
	"github.com/gatehouse-dev/gatehouse/api/accountops"
	"github.com/gatehouse-dev/gatehouse/api/awsjson"
	"github.com/gatehouse-dev/gatehouse/api/iamops"
	"github.com/gatehouse-dev/gatehouse/api/iampolicyops"
	"github.com/gatehouse-dev/gatehouse/api/invoicingops"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/api/restjson"
	"github.com/gatehouse-dev/gatehouse/api/restxml"
	"github.com/gatehouse-dev/gatehouse/api/roottaskops"
	"github.com/gatehouse-dev/gatehouse/api/s3ops"
	"github.com/gatehouse-dev/gatehouse/api/stsops"
	"github.com/gatehouse-dev/gatehouse/api/taxops"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/invoicing"
	"github.com/gatehouse-dev/gatehouse/roottask"
	"github.com/gatehouse-dev/gatehouse/s3"
	"github.com/gatehouse-dev/gatehouse/sigv4"
	"github.com/gatehouse-dev/gatehouse/sts"
	"github.com/gatehouse-dev/gatehouse/tax"
)

// XML namespaces of the Query services.
const (
	iamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/"
	stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"
)

// ResetHeader is the header POST /_gatehouse/reset requires, with value
// "1": a browser sends no custom header cross-origin without a CORS
// preflight, so a web page cannot make it wipe the server.
const ResetHeader = "X-Gatehouse-Reset"

// maxBodyBytes bounds request bodies (policy documents are at most
// 131,072 characters, URL-encoded).
const maxBodyBytes = 1 << 20

// Server serves the AWS APIs. Set the exported fields, then use Handler.
type Server struct {
	Store gatehouse.Store
	IAM   *iam.Service
	STS   *sts.Service
	// Account serves the Account Management API; nil means one on Store.
	Account *account.Service
	// RootTasks serves the root-only account tasks (service "gatehouse");
	// nil means one on Store with Now.
	RootTasks *roottask.Service
	Authz     *authz.Authorizer
	Logger    *slog.Logger
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Reset, when set, is exposed as POST /_gatehouse/reset and wipes all
	// state; nil answers 404. The request must carry ResetHeader: 1.
	Reset func(ctx context.Context) error
	// Version is the build's version, shown by GET /_gatehouse/health.
	Version string
	// URLKey signs the presigned invoice document URLs of GetInvoicePDF
	// (package invoicing); nil means a random key made at start.
	URLKey []byte
	// S3 serves the S3 API when set; S3Hosts are the server's host names
	// whose subdomains name buckets (virtual-hosted style), e.g.
	// "localhost" for my-bucket.localhost:4590. StreamTimeout is how long
	// an S3 body may go without a byte read or written before the
	// connection is cut (30 seconds when zero): a progress timeout, so a
	// large transfer is not bounded by the server's read and write
	// timeouts.
	S3            *s3.Service
	S3Hosts       []string
	StreamTimeout time.Duration
	// S3InsecureMFA accepts S3's x-amz-mfa (MFA delete) over plain HTTP,
	// for development; AWS, and Gatehouse by default, require HTTPS.
	S3InsecureMFA bool
	// Observer, when set, is told of every AWS request answered and every
	// identity cache lookup (cmd/gatehouse passes the Prometheus metrics).
	Observer Observer

	urlKeyOnce sync.Once
	urlKeyVal  []byte
	invoices   *invoicing.Service

	verifier *sigv4.Verifier
	once     sync.Once
	services map[string]service
	cache    identityCache
	keyUse   sync.Map // access key ID → time its use was last recorded
	audit    auditWriter
	signIns  signInThrottle // failed root sign-ins (and password reset codes) per source address and target
	// resetRequests counts root password reset requests per source
	// address and target address.
	resetRequests signInThrottle
}

// Observer receives what the server measures. Its methods are called on
// the request path, concurrently: they must be quick and safe for
// concurrent use.
type Observer interface {
	// ObserveRequest is called once per AWS request, and per root
	// sign-in (service "signin", operation "ConsoleLogin"), when it has
	// been answered. service and operation are empty unless the request
	// named an operation of a service Gatehouse serves (so no request can
	// make up a value); code is the AWS error code sent, "" on success;
	// root reports whether the caller was an account's root user (for a
	// sign-in: whether the email was a root user's).
	ObserveRequest(service, operation, code string, root bool, elapsed time.Duration)
	// ObserveCache is called on each lookup in the identity cache, with
	// the cache's name ("access_keys", "users") and whether it hit.
	ObserveCache(cache string, hit bool)
}

// keyUseInterval is how often the use of one access key is written to
// the store; AWS's LastUsedDate is not exact to the request either.
const keyUseInterval = time.Minute

// recordKeyUse stores the key's last use, at most once per interval, so
// a steady stream of requests does not turn into a stream of writes.
func (s *Server) recordKeyUse(ctx context.Context, keyID, service, region string) {
	now := s.now()
	if last, ok := s.keyUse.Load(keyID); ok && now.Sub(last.(time.Time)) < keyUseInterval {
		return
	}
	s.keyUse.Store(keyID, now)
	ctx = withoutAudit(ctx) // bookkeeping: the request's record commits with its own change
	if err := s.IAM.RecordKeyUse(ctx, keyID, service, region); err != nil {
		s.Logger.WarnContext(ctx, "record access key use", "access_key", keyID, "err", err)
	}
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Server) init() {
	s.once.Do(func() {
		if s.Logger == nil {
			s.Logger = slog.New(slog.DiscardHandler)
		}
		s.verifier = &sigv4.Verifier{Now: s.Now}
		if s.Account == nil {
			s.Account = &account.Service{Store: gatehouse.Narrow[account.Tx](s.Store)}
		}
		if s.RootTasks == nil {
			s.RootTasks = &roottask.Service{Store: gatehouse.Narrow[roottask.Tx](s.Store), Now: s.Now}
		}
		s.invoices = &invoicing.Service{Store: gatehouse.Narrow[invoicing.Tx](s.Store), URLKey: s.urlKey}
		s.services = map[string]service{
			"iam":     {ops: op.Table(iamops.Rows(iamops.Deps{IAM: s.IAM, Users: iamops.UserCacheFunc(s.cachedUser)}), iampolicyops.Rows(iampolicyops.Deps{IAM: s.IAM})), codec: query.Codec{Namespace: iamNamespace}},
			"sts":     {ops: op.Table(stsops.Rows(stsops.Deps{STS: s.STS, IAM: s.IAM})), codec: query.Codec{Namespace: stsNamespace}},
			"account": {ops: op.Table(accountops.Rows(accountops.Deps{Account: s.Account, GovCloud: s.RootTasks})), codec: restjson.Codec{}},
			// Gatehouse's own API for AWS's console-only root tasks (docs/root-tasks.md).
			"gatehouse": {ops: op.Table(roottaskops.Rows(roottaskops.Deps{RootTasks: s.RootTasks})), codec: restjson.Codec{}},
			"tax":       {ops: op.Table(taxops.Rows(taxops.Deps{Tax: &tax.Service{Store: gatehouse.Narrow[tax.Tx](s.Store)}})), codec: restjson.TaxSettings},
			"invoicing": {ops: op.Table(invoicingops.Rows(invoicingops.Deps{Invoicing: s.invoices})), codec: awsjson.Codec{Target: invoicingops.TargetPrefix, Namespace: invoicingops.ErrorNS, Version: awsjson.V10}},
		}
		if s.S3 != nil {
			s.services["s3"] = service{ops: op.Table(s3ops.Rows(s3ops.Deps{S3: s.S3, MFA: s.IAM, InsecureMFA: s.S3InsecureMFA})),
				codec: restxml.Codec{Routes: s3ops.Routes, Addressing: restxml.Addressing{Hosts: s.S3Hosts}}, streaming: true}
		}
	})
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler {
	s.init()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_gatehouse/health", s.serveHealth)
	mux.HandleFunc("POST /_gatehouse/reset", func(w http.ResponseWriter, r *http.Request) {
		if s.Reset == nil {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get(ResetHeader) != "1" {
			// A web page can make a browser POST here (a "simple"
			// cross-origin request), but not with a custom header
			// without a CORS preflight, which Gatehouse never allows.
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `{"error":"reset needs the header `+ResetHeader+`: 1"}`+"\n")
			return
		}
		if err := s.Reset(r.Context()); err != nil {
			s.Logger.ErrorContext(r.Context(), "reset failed", "err", err)
			http.Error(w, "reset failed", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"reset"}`+"\n")
	})
	mux.HandleFunc("GET "+invoicing.PDFPath+"{file}", s.serveInvoicePDF)
	mux.HandleFunc("POST "+signInPath, s.serveSignIn)
	mux.HandleFunc("POST "+forgotPasswordPath, s.serveForgotPassword)
	mux.HandleFunc("POST "+resetPasswordPath, s.serveResetPassword)
	mux.HandleFunc("/", s.serveAWS)
	// AWS requests bypass the mux: it would clean their paths, and an S3
	// key may hold "//" or "..".
	return s.recoverPanics(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/_gatehouse/") {
			mux.ServeHTTP(w, r)
			return
		}
		s.serveAWS(w, r)
	}))
}

// recoverPanics turns a panic into a logged ServiceFailure, keeping the
// server up.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				id := newRequestID()
				s.Logger.ErrorContext(r.Context(), "panic", "request_id", id, "panic", fmt.Sprint(v))
				query.Codec{Namespace: iamNamespace}.WriteError(w, id, gatehouse.CodeInternal, "An internal error occurred.", nil)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// serveAWS handles one AWS API request.
func (s *Server) serveAWS(rw http.ResponseWriter, r *http.Request) {
	// net/http sends "100 Continue" only when a handler reads a non-empty
	// body; botocore, which waits for it on every PutObject, would take
	// an empty PUT's early answer for the next request's on the same
	// connection. S3 answers 100 Continue.
	if r.ContentLength == 0 && strings.EqualFold(r.Header.Get("Expect"), "100-continue") {
		rw.WriteHeader(http.StatusContinue)
	}
	start := s.now()
	w := &statusWriter{ResponseWriter: rw, status: http.StatusOK}
	reqID := newRequestID()
	rec := newAuditRecord(start, reqID, r)
	ctx := gatehouse.WithAudit(r.Context(), rec)
	log := s.Logger.With("request_id", reqID)
	// Until the signature is verified, errors use the envelope of the
	// service the credential scope names (IAM's when it names none, but
	// for a JSON request); one Gatehouse does not serve answers in the
	// protocol the request uses (api/unserved.go).
	sent := sentCredential(r)
	svc, ok := s.services[sent.Service]
	switch {
	case ok:
	case sent.Service != "" || r.Header.Get("X-Amz-Target") != "":
		svc = unservedService(sent.Service, r, nil)
	case s.unsignedS3(r):
		svc = s.services["s3"]
	default:
		svc = s.services["iam"]
	}
	var principal, action, svcName, keyID, code string
	rev := int64(-1) // the store revision the request reads at, once read
	// The operation as the metrics name it: set once the request names an
	// operation of a served service; root once the caller is known.
	var served *op.Row
	var root bool
	defer func() {
		elapsed := s.now().Sub(start)
		log.InfoContext(ctx, "request", "method", r.Method, "service", svcName, "action", action,
			"principal", principal, "access_key", keyID, "status", w.status, "error_code", code,
			"latency_ms", float64(elapsed.Microseconds())/1000, "duration", elapsed)
		s.finishAudit(ctx, sent, rev, rec, svcName, action, keyID, code)
		if s.Observer != nil {
			var service, operation string
			if served != nil {
				service, operation = svcName, served.Name
			}
			s.Observer.ObserveRequest(service, operation, code, root, elapsed)
		}
	}()
	fail := func(err error) {
		domain := gatehouse.ErrorCode(err)
		msg := gatehouse.ErrorMessage(err)
		var se *sigv4.Error
		if errors.As(err, &se) {
			domain, msg = gatehouse.Code(se.Code), se.Message
		} else if domain == gatehouse.CodeInternal {
			log.ErrorContext(ctx, "internal error", "err", err)
		}
		if domain == "MethodNotAllowed" && !svc.streaming { // the Query protocol's; S3 names its own
			w.Header().Set("Allow", "GET, POST")
		}
		svc.writeError(w, reqID, domain, msg, err)
		code = query.Spell(domain) // the log's, metrics' and audit's spelling: IAM's
	}

	var body []byte
	var err error
	if !svc.streaming {
		body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
		if err != nil {
			fail(bodyError(err, gatehouse.Errorf("RequestEntityTooLarge", "Request body is larger than %d bytes.", maxBodyBytes)))
			return
		}
		if svc.unserved { // a Query request may carry its Action in the body
			svc = unservedService(svc.unservedName, r, body)
		}
	}
	rec.Speller = query.Codec{}
	rev, err = s.Store.Revision(ctx)
	if err != nil {
		fail(err)
		return
	}
	var auth *sigv4.Result
	anonymous := false
	if svc.streaming {
		switch err = s3Unsigned(r); {
		case errors.Is(err, errAnonymous):
			// An unsigned S3 request: anonymous, allowed only what a
			// bucket policy grants everyone. Its body is checked as a
			// signed one's would be, against what it declares.
			anonymous = true
			auth = &sigv4.Result{Service: "s3", PayloadHash: r.Header.Get("X-Amz-Content-Sha256")}
			r.Body, err = s3Body(r, auth)
		case err == nil:
			auth, err = s.verifier.VerifyStream(ctx, r, keyLookup{s, rev})
			if err == nil {
				r.Body, err = s3Body(r, auth)
			}
		}
		if err == nil {
			stream := newStreamDeadlines(w, s.StreamTimeout)
			r.Body = stream.body(r.Body)
			w.ResponseWriter = stream.writer(w.ResponseWriter)
		}
	} else {
		auth, err = s.verifier.VerifyWith(ctx, r, body, keyLookup{s, rev})
	}
	if err != nil {
		fail(err)
		return
	}
	keyID, svcName = auth.AccessKeyID, auth.Service
	if svc, ok = s.services[auth.Service]; !ok {
		svc = unservedService(auth.Service, r, body)
	}
	action, decode, err := svc.operation(r, body)
	if err != nil {
		fail(err)
		return
	}
	o := svc.ops[action]
	served = &o
	if anonymous {
		caller := authz.AnonymousCaller()
		principal = caller.ARN()
		rec.PrincipalType, rec.Service, rec.Action = gatehouse.PrincipalAnonymous, auth.Service, action
		c := &op.Call{Ctx: ctx, Caller: caller, Rev: rev, Decode: decode, Authz: s.Authz, RequestID: reqID,
			SourceIP: sourceIP(r), UserAgent: r.UserAgent(), Secure: r.TLS != nil, BaseURL: baseURL(r), Clock: s.Now}
		result, err := o.Run(c)
		if err == nil {
			err = svc.writeResult(w, action, reqID, result)
		}
		if err != nil {
			fail(err)
		}
		return
	}
	k, err := s.key(ctx, rev, auth.AccessKeyID)
	if err != nil {
		fail(err)
		return
	}
	caller := k.caller
	root = caller.IsRoot()
	// The signing region must be one of the caller's partition: it is
	// aws:RequestedRegion, which the region in the scope must not forge.
	if err := checkRegion(caller.Account, auth.Region); err != nil {
		fail(err)
		return
	}
	if err := s.checkSession(caller, auth.SessionToken); err != nil {
		fail(err)
		return
	}
	principal = caller.ARN()
	auditCaller(rec, caller, auth.Service, action)
	if err := checkSessionScope(caller, auth.Service, action); err != nil {
		fail(err)
		return
	}
	if err := checkAccountOpen(caller, auth.Service, action); err != nil {
		fail(err)
		return
	}
	if caller.Session == nil { // last use is kept for long-term access keys only
		s.recordKeyUse(ctx, auth.AccessKeyID, auth.Service, auth.Region)
	}
	c := &op.Call{
		Ctx: ctx, Caller: caller, Rev: rev, Decode: decode, Authz: s.Authz, RequestID: reqID, Region: auth.Region,
		SourceIP: sourceIP(r), UserAgent: r.UserAgent(), Secure: r.TLS != nil, BaseURL: baseURL(r), Clock: s.Now,
		Presigned: auth.Presigned,
	}
	if auth.Service == "iam" {
		// IAM is global: aws:RequestedRegion is its partition's us-east-1
		// (us-gov-west-1 in GovCloud), whatever region the client signed.
		c.Region = globalRegion[caller.Account.ARNPartition()]
	}
	result, err := o.Run(c)
	if err != nil {
		fail(err)
		return
	}
	if err := svc.writeResult(w, action, reqID, result); err != nil {
		fail(err)
	}
}

// bodyError is the client's error for a request body that could not be
// read: tooLarge when it is over the limit; S3's RequestTimeout when it
// stopped coming before the server's read timeout (a slow client is cut
// off, see cmd/gatehouse's http.Server); IncompleteBody when it broke
// off otherwise (the client went away, or sent a malformed chunk).
func bodyError(err, tooLarge error) error {
	var mb *http.MaxBytesError
	var ne net.Error
	switch {
	case errors.As(err, &mb):
		return tooLarge
	case errors.As(err, &ne) && ne.Timeout():
		return gatehouse.Errorf("RequestTimeout", "Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.")
	}
	return gatehouse.Errorf("IncompleteBody", "The request body could not be read in full.")
}

func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// keyLookup gives the SigV4 verifier the secrets of active access keys,
// read through the identity cache at the store revision the request
// started at.
type keyLookup struct {
	s   *Server
	rev int64
}

// SecretKey returns the secret of an active key.
func (k keyLookup) SecretKey(ctx context.Context, id string) (string, error) {
	key, err := k.s.key(ctx, k.rev, id)
	if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound || (err == nil && !key.active) {
		return "", sigv4.ErrUnknownKey
	}
	if err != nil {
		return "", err
	}
	return key.secret, nil
}

// statusWriter remembers the status code a handler answered with, for
// the request's log line.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// health is the answer of GET /_gatehouse/health.
type health struct {
	Status   string   `json:"status"` // "ok", or "unavailable" when the store does not answer
	Version  string   `json:"version,omitempty"`
	Services []string `json:"services"` // the signing names served
	Store    string   `json:"store"`    // "ok" or "unavailable"
}

// serveHealth answers GET /_gatehouse/health: 200 when the store answers,
// 503 when it does not, with the version and the services served.
func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) {
	h := health{Status: "ok", Version: s.Version, Store: "ok"}
	for name := range s.services {
		h.Services = append(h.Services, name)
	}
	sort.Strings(h.Services)
	status := http.StatusOK
	err := s.Store.View(r.Context(), func(tx gatehouse.Tx) error {
		_, err := tx.Account("000000000000") // a read that reaches the database
		if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
			return nil
		}
		return err
	})
	if err != nil {
		s.Logger.WarnContext(r.Context(), "health: store unavailable", "err", err)
		h.Status, h.Store, status = "unavailable", "unavailable", http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(h)
}
