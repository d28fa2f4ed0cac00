package metrics_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/metrics"
	"github.com/gatehouse-dev/gatehouse/policy"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
)

// TestStore: the wrapped store's transactions are observed by kind, and
// their results (errors included) pass through.
func TestStore(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, ":memory:", sqlite.Options{SecretKey: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m := metrics.New()
	ws := m.WrapStore(st)
	if err := ws.Update(ctx, func(tx gatehouse.Tx) error {
		return tx.CreateAccount(&gatehouse.Account{ID: "123456789012", Email: "r@example.com", Name: "r", CreatedAt: time.Now()})
	}); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	for range 3 {
		if err := ws.View(ctx, func(tx gatehouse.Tx) error { _, err := tx.Account("123456789012"); return err }); err != nil {
			t.Fatal(err)
		}
	}
	if err := ws.View(ctx, func(gatehouse.Tx) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("View's error = %v, want boom", err)
	}
	if _, err := ws.Revision(ctx); err != nil {
		t.Fatal(err)
	}
	body := scrape(t, m)
	for _, line := range []string{
		`gatehouse_store_transaction_duration_seconds_count{kind="update"} 1`,
		`gatehouse_store_transaction_duration_seconds_count{kind="view"} 4`,
	} {
		if !strings.Contains(body, line+"\n") {
			t.Errorf("metrics lack %q", line)
		}
	}
}

// TestObserve: each observer method counts under the documented labels.
func TestObserve(t *testing.T) {
	m := metrics.New()
	m.ObserveRequest("iam", "GetUser", "", true, 3*time.Millisecond)
	m.ObserveRequest("iam", "GetUser", "NoSuchEntity", false, time.Millisecond)
	m.ObserveRequest("", "", "InvalidAction", false, time.Millisecond)
	m.ObserveDecision(policy.Allowed, policy.RootUser)
	m.ObserveDecision(policy.ExplicitDeny, policy.PermissionsBoundary)
	m.ObserveDecision(policy.ImplicitDeny, policy.SessionPolicy)
	m.ObserveDecision(policy.Result(200), policy.IdentityPolicy) // unknown: ignored, no panic
	m.ObserveCache("access_keys", true)
	m.ObserveCache("access_keys", false)
	m.ObserveCache("access_keys", true)
	body := scrape(t, m)
	for _, line := range []string{
		`gatehouse_requests_total{error_code="",operation="GetUser",service="iam"} 1`,
		`gatehouse_requests_total{error_code="NoSuchEntity",operation="GetUser",service="iam"} 1`,
		`gatehouse_requests_total{error_code="InvalidAction",operation="",service=""} 1`,
		`gatehouse_root_requests_total{operation="GetUser",service="iam"} 1`,
		`gatehouse_request_duration_seconds_count{operation="GetUser",service="iam"} 2`,
		`gatehouse_request_duration_seconds_bucket{operation="GetUser",service="iam",le="0.001"} 1`,
		`gatehouse_request_duration_seconds_bucket{operation="GetUser",service="iam",le="0.005"} 2`,
		`gatehouse_authz_decisions_total{policy_type="root_user",result="allowed"} 1`,
		`gatehouse_authz_decisions_total{policy_type="permissions_boundary",result="explicit_deny"} 1`,
		`gatehouse_authz_decisions_total{policy_type="session",result="implicit_deny"} 1`,
		`gatehouse_authz_decisions_total{policy_type="identity",result="allowed"} 0`,
		`gatehouse_cache_lookups_total{cache="access_keys",result="hit"} 2`,
		`gatehouse_cache_lookups_total{cache="access_keys",result="miss"} 1`,
	} {
		if !strings.Contains(body, line+"\n") {
			t.Errorf("metrics lack %q", line)
		}
	}
	// Two sets never share a registry: nothing is global.
	if other := scrape(t, metrics.New()); strings.Contains(other, `service="iam"`) {
		t.Error("a new Metrics shows another's requests")
	}
}

func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	if w.Code != 200 {
		t.Fatalf("HTTP %d", w.Code)
	}
	return w.Body.String()
}

// BenchmarkObserve is what measuring adds to one request: the request
// itself, two identity cache lookups, two policy cache lookups, a
// decision and two store transactions.
func BenchmarkObserve(b *testing.B) {
	m := metrics.New()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, ":memory:", sqlite.Options{SecretKey: make([]byte, 32)})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ws := m.WrapStore(st)
	noop := func(gatehouse.Tx) error { return nil }
	b.Run("hooks", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m.ObserveCache("access_keys", true)
			m.ObserveCache("users", true)
			m.ObserveCache("policy_sets", true)
			m.ObserveCache("compiled_policies", true)
			m.ObserveDecision(policy.Allowed, policy.IdentityPolicy)
			m.ObserveRequest("iam", "GetUser", "", false, time.Millisecond)
		}
	})
	b.Run("view-bare", func(b *testing.B) {
		for b.Loop() {
			st.View(ctx, noop)
		}
	})
	b.Run("view-measured", func(b *testing.B) {
		for b.Loop() {
			ws.View(ctx, noop)
		}
	})
}
