package perf

import (
	"context"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/gatehouse-dev/gatehouse/api"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/awsmanaged"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
)

// BenchmarkInProcessGetUser runs the same workload through an in-process
// server on a file store, so that `go test -cpuprofile` sees the server.
func BenchmarkInProcessGetUser(b *testing.B) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, b.TempDir()+"/g.db", sqlite.Options{SecretKey: make([]byte, 32)})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ws := awsmanaged.Wrap(st, nil)
	svc := &iam.Service{Store: ws}
	if _, _, err := svc.CreateAccount(ctx, iam.AccountSpec{ID: accountID, Email: "r@example.com", RootAccessKeyID: rootKey, RootSecretAccessKey: rootSecret}); err != nil {
		b.Fatal(err)
	}
	srv := &api.Server{Store: ws, IAM: svc, Authz: &authz.Authorizer{Store: ws}}
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
