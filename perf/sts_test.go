package perf

import (
	"encoding/xml"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// benchTrust lets the benchmark user assume bench-role by naming it
// directly (no identity policy needed).
const benchTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
	`"Principal":{"AWS":"arn:aws:iam::` + accountID + `:user/bench"},"Action":"sts:AssumeRole"}]}`

// benchRolePolicy lets sessions of bench-role read users.
const benchRolePolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetUser","iam:ListUsers"],"Resource":"*"}]}`

// stsClient returns a client of the STS Query API with c's credentials.
func (c *client) sts() *client {
	s := *c
	s.signer.Service = "sts"
	return &s
}

// callSTS is call for STS (its own API version).
func (c *client) callSTS(tb testing.TB, params url.Values) []byte {
	params.Set("Version", "2011-06-15")
	return c.callVersioned(tb, params)
}

// stsCredentials reads the Credentials of an AssumeRole result.
func stsCredentials(tb testing.TB, out []byte) (id, secret, token string) {
	tb.Helper()
	var r struct {
		ID     string `xml:"AssumeRoleResult>Credentials>AccessKeyId"`
		Secret string `xml:"AssumeRoleResult>Credentials>SecretAccessKey"`
		Token  string `xml:"AssumeRoleResult>Credentials>SessionToken"`
	}
	if err := xml.Unmarshal(out, &r); err != nil || r.ID == "" || r.Token == "" {
		tb.Fatalf("no credentials in %s (%v)", out, err)
	}
	return r.ID, r.Secret, r.Token
}

// BenchmarkSessions measures STS end to end against the real binary, one
// request at a time over loopback: GetSessionToken and AssumeRole (each
// stores a new session, so each is a durable write), and an authorized
// iam:GetUser signed with the temporary credentials of a role session,
// next to the same call signed with a long-term key. ns/op is the
// client's round trip; server-cpu-µs/op is the server's CPU per request.
func BenchmarkSessions(b *testing.B) {
	s := startGatehouse(b)
	defer s.stop()
	key, secret := setup(b, s.endpoint)
	root := newClient(s.endpoint, rootKey, rootSecret)
	root.call(b, url.Values{"Action": {"CreateRole"}, "RoleName": {"bench-role"}, "AssumeRolePolicyDocument": {benchTrust}})
	root.call(b, url.Values{"Action": {"PutRolePolicy"}, "RoleName": {"bench-role"}, "PolicyName": {"read"}, "PolicyDocument": {benchRolePolicy}})
	user := newClient(s.endpoint, key, secret)
	roleARN := "arn:aws:iam::" + accountID + ":role/bench-role"

	measure := func(b *testing.B, call func(i int)) {
		call(-1) // warm up, and prove the call is allowed
		b.ReportAllocs()
		cpu0 := s.cpu(b)
		i := 0
		for b.Loop() {
			call(i)
			i++
		}
		b.ReportMetric(float64((s.cpu(b)-cpu0).Microseconds())/float64(b.N), "server-cpu-µs/op")
	}
	b.Run("GetSessionToken", func(b *testing.B) {
		c := user.sts()
		measure(b, func(int) { c.callSTS(b, url.Values{"Action": {"GetSessionToken"}}) })
	})
	b.Run("AssumeRole", func(b *testing.B) {
		c := user.sts()
		measure(b, func(i int) {
			c.callSTS(b, url.Values{"Action": {"AssumeRole"}, "RoleArn": {roleARN}, "RoleSessionName": {"s" + strconv.Itoa(i+1)}})
		})
	})
	b.Run("GetUser/session-credentials", func(b *testing.B) {
		id, sec, token := stsCredentials(b, user.sts().callSTS(b, url.Values{"Action": {"AssumeRole"},
			"RoleArn": {roleARN}, "RoleSessionName": {"reader"}, "DurationSeconds": {strconv.Itoa(int(time.Hour / time.Second))}}))
		c := newClient(s.endpoint, id, sec)
		c.signer = sigv4.Signer{AccessKeyID: id, SecretAccessKey: sec, SessionToken: token, Region: "us-east-1", Service: "iam"}
		measure(b, func(int) { c.call(b, url.Values{"Action": {"GetUser"}, "UserName": {"bench"}}) })
	})
	b.Run("GetUser/long-term-key", func(b *testing.B) {
		measure(b, func(int) { user.call(b, url.Values{"Action": {"GetUser"}, "UserName": {"bench"}}) })
	})
}
