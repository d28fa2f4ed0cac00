// Package metrics holds Gatehouse's Prometheus metrics: requests by
// service, operation and AWS error code, request latency, authorization
// decisions by result and deciding policy type, root-user requests,
// cache lookups and store transaction latency.
//
// Everything is registered in the [Metrics] value's own registry (never
// Prometheus's global one), with the Go runtime and process collectors.
// [Metrics] implements the observer interfaces that api.Server and
// authz.Authorizer declare, and [Metrics.WrapStore] measures a store's
// transactions; cmd/gatehouse wires them. Label values are names from
// fixed sets (services and operations Gatehouse serves, AWS error
// codes, cache names): no request can add a label value of its own
// choosing, and no principal, key or secret is ever a label.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gatehouse-dev/gatehouse/policy"
)

// Metric names, for tests and dashboards.
const (
	RequestsTotal            = "gatehouse_requests_total"
	RequestDuration          = "gatehouse_request_duration_seconds"
	RootRequestsTotal        = "gatehouse_root_requests_total"
	DecisionsTotal           = "gatehouse_authz_decisions_total"
	CacheLookupsTotal        = "gatehouse_cache_lookups_total"
	StoreTransactionDuration = "gatehouse_store_transaction_duration_seconds"
)

// Metrics is one server's set of metrics. Make it with New; it is safe
// for concurrent use.
type Metrics struct {
	reg          *prometheus.Registry
	requests     *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	rootRequests *prometheus.CounterVec
	cache        *prometheus.CounterVec
	// decisions holds one counter per (result, policy type), made up
	// front: counting a decision is then an array index and an atomic
	// add, with no label lookup.
	decisions [len(resultLabels)][len(policyTypeLabels)]prometheus.Counter
	// storeView and storeUpdate observe transaction durations.
	storeView, storeUpdate prometheus.Observer
}

// Label values of the decision counter, indexed by policy.Result and
// policy.PolicyType.
var (
	resultLabels     = [...]string{policy.ImplicitDeny: "implicit_deny", policy.ExplicitDeny: "explicit_deny", policy.Allowed: "allowed"}
	policyTypeLabels = [...]string{
		policy.NoPolicy:              "none",
		policy.IdentityPolicy:        "identity",
		policy.ResourcePolicy:        "resource",
		policy.PermissionsBoundary:   "permissions_boundary",
		policy.SessionPolicy:         "session",
		policy.ServiceControlPolicy:  "service_control",
		policy.ResourceControlPolicy: "resource_control",
		policy.RoleTrustPolicy:       "role_trust",
		policy.RootUser:              "root_user",
	}
)

// requestBuckets bound request latencies, in seconds: most requests take
// well under a millisecond; a root sign-in's password hash or a large
// account's authorization details take longer.
var requestBuckets = []float64{.00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// storeBuckets bound transaction durations, in seconds: a cached read
// takes microseconds, a durable write a disk flush.
var storeBuckets = []float64{.00005, .0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}

// New returns a new set of metrics in a registry of its own, with the Go
// runtime and process collectors.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: RequestsTotal,
		Help: "AWS API requests and root sign-ins answered, by service, operation and the AWS error code sent (empty on success). " +
			"Service and operation are empty when the request named none that Gatehouse serves.",
	}, []string{"service", "operation", "error_code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    RequestDuration,
		Help:    "Time to answer an AWS API request, from its arrival to its answer, by service and operation.",
		Buckets: requestBuckets,
	}, []string{"service", "operation"})
	m.rootRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: RootRequestsTotal,
		Help: "AWS API requests made by an account's root user (its access keys or a root session) and root sign-ins, by service and operation.",
	}, []string{"service", "operation"})
	decisions := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: DecisionsTotal,
		Help: "Authorization decisions, by result (allowed, explicit_deny, implicit_deny) and the type of policy that decided.",
	}, []string{"result", "policy_type"})
	for r, rl := range resultLabels {
		for t, tl := range policyTypeLabels {
			m.decisions[r][t] = decisions.WithLabelValues(rl, tl)
		}
	}
	m.cache = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: CacheLookupsTotal,
		Help: "Lookups in the server's caches, by cache (access_keys, users, policy_sets, compiled_policies) and result (hit, miss).",
	}, []string{"cache", "result"})
	store := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    StoreTransactionDuration,
		Help:    "Time a store transaction takes, from its start (waiting for the write lock included) to its commit or rollback, by kind (view, update).",
		Buckets: storeBuckets,
	}, []string{"kind"})
	m.storeView, m.storeUpdate = store.WithLabelValues("view"), store.WithLabelValues("update")
	m.reg.MustRegister(m.requests, m.latency, m.rootRequests, decisions, m.cache, store,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// ObserveRequest counts one answered AWS API request and its latency.
// code is the AWS error code sent, "" on success.
func (m *Metrics) ObserveRequest(service, operation, code string, root bool, elapsed time.Duration) {
	m.requests.WithLabelValues(service, operation, code).Inc()
	m.latency.WithLabelValues(service, operation).Observe(elapsed.Seconds())
	if root {
		m.rootRequests.WithLabelValues(service, operation).Inc()
	}
}

// ObserveDecision counts one authorization decision.
func (m *Metrics) ObserveDecision(result policy.Result, by policy.PolicyType) {
	if int(result) < len(resultLabels) && int(by) < len(policyTypeLabels) {
		m.decisions[result][by].Inc()
	}
}

// ObserveCache counts one cache lookup.
func (m *Metrics) ObserveCache(cache string, hit bool) {
	result := "miss"
	if hit {
		result = "hit"
	}
	m.cache.WithLabelValues(cache, result).Inc()
}
