package perf

import (
	"context"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/awsmanaged"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/metrics"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
)

// BenchmarkInProcessGetUser runs the same workload through an in-process
// server on a file store, so that `go test -cpuprofile` sees the server;
// "metrics" wires the Prometheus metrics as gatehouse serve does, to show
// what measuring costs.
func BenchmarkInProcessGetUser(b *testing.B) {
	b.Run("no-metrics", func(b *testing.B) { benchInProcessGetUser(b, nil) })
	b.Run("metrics", func(b *testing.B) { benchInProcessGetUser(b, metrics.New()) })
}

func benchInProcessGetUser(b *testing.B, m *metrics.Metrics) {
	ctx := context.Background()
	sqlStore, err := sqlite.Open(ctx, b.TempDir()+"/g.db", sqlite.Options{SecretKey: make([]byte, 32)})
	if err != nil {
		b.Fatal(err)
	}
	defer sqlStore.Close()
	var st gatehouse.Store = awsmanaged.Wrap(sqlStore, nil)
	if m != nil {
		st = m.WrapStore(st)
	}
	svc := &iam.Service{Store: gatehouse.Narrow[iam.Tx](st)}
	if _, _, err := svc.CreateAccount(ctx, iam.AccountSpec{ID: accountID, Email: "r@example.com", RootAccessKeyID: rootKey, RootSecretAccessKey: rootSecret}); err != nil {
		b.Fatal(err)
	}
	srv := &api.Server{Store: st, IAM: svc, Authz: &authz.Authorizer{Store: gatehouse.Narrow[authz.Tx](st)}}
	if m != nil {
		srv.Observer, srv.Authz.Observer = m, m
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	key, secret := setup(b, hs.URL)
	c := newClient(hs.URL, key, secret)
	params := url.Values{"Action": {"GetUser"}, "UserName": {"bench"}}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c.call(b, params)
	}
}
