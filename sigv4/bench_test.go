package sigv4_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// benchRequest is a typical aws CLI call: an IAM Query POST with a
// session token, as the server reads it.
func benchRequest(b *testing.B) (*http.Request, []byte) {
	b.Helper()
	body := []byte("Action=ListUsers&Version=2010-05-08&PathPrefix=%2Fdivision%2F&MaxItems=100")
	signer := sigv4.Signer{AccessKeyID: "ASIAIOSFODNN7EXAMPLE", SecretAccessKey: exampleSecret, SessionToken: "FwoGZXIvYXdzEBYaDHsession/token",
		Region: "us-east-1", Service: "iam", Now: MustClock(b, "20240101T000000Z")}
	r := MustNewRequest(b, "POST", "http://localhost:8080/", body, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if err := signer.Sign(r, body); err != nil {
		b.Fatal(err)
	}
	_, server, serverBody := MustWire(b, r, body)
	return server, serverBody
}

func benchVerify(b *testing.B, v *sigv4.Verifier, r *http.Request, body []byte) {
	b.Helper()
	ctx := context.Background()
	if _, err := v.Verify(ctx, r, body); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, r, body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyHeader verifies with the derived key cached, the common
// case.
func BenchmarkVerifyHeader(b *testing.B) {
	r, body := benchRequest(b)
	v := &sigv4.Verifier{Secrets: secretMap{"ASIAIOSFODNN7EXAMPLE": exampleSecret}, Now: MustClock(b, "20240101T000100Z")}
	benchVerify(b, v, r, body)
}

// BenchmarkVerifyHeaderCold derives the signing key on every request.
func BenchmarkVerifyHeaderCold(b *testing.B) {
	r, body := benchRequest(b)
	v := &sigv4.Verifier{Secrets: secretMap{"ASIAIOSFODNN7EXAMPLE": exampleSecret}, Now: MustClock(b, "20240101T000100Z"), KeyCacheSize: -1}
	benchVerify(b, v, r, body)
}

// BenchmarkVerifyPresigned verifies a presigned STS GetCallerIdentity URL.
func BenchmarkVerifyPresigned(b *testing.B) {
	signer := sigv4.Signer{AccessKeyID: exampleKeyID, SecretAccessKey: exampleSecret, SessionToken: "FwoGZXIvYXdzEBYaDHsession/token",
		Region: "us-east-1", Service: "sts", Now: MustClock(b, "20240101T000000Z")}
	u, err := signer.Presign(MustNewRequest(b, "GET", "http://localhost:8080/?Action=GetCallerIdentity&Version=2011-06-15", nil), time.Minute)
	if err != nil {
		b.Fatal(err)
	}
	_, r, body := MustWire(b, MustNewRequest(b, "GET", u.String(), nil), nil)
	v := &sigv4.Verifier{Secrets: secretMap{exampleKeyID: exampleSecret}, Now: MustClock(b, "20240101T000100Z")}
	benchVerify(b, v, r, body)
}

// BenchmarkSign signs an IAM Query POST.
func BenchmarkSign(b *testing.B) {
	body := []byte("Action=ListUsers&Version=2010-05-08&PathPrefix=%2Fdivision%2F&MaxItems=100")
	signer := sigv4.Signer{AccessKeyID: "ASIAIOSFODNN7EXAMPLE", SecretAccessKey: exampleSecret, SessionToken: "FwoGZXIvYXdzEBYaDHsession/token",
		Region: "us-east-1", Service: "iam", Now: MustClock(b, "20240101T000000Z")}
	r := MustNewRequest(b, "POST", "http://localhost:8080/", body, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	b.ReportAllocs()
	for b.Loop() {
		if err := signer.Sign(r, body); err != nil {
			b.Fatal(err)
		}
	}
}
