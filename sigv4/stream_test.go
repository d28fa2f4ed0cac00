package sigv4_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// TestVerifyStream checks the streaming verification of S3 requests: the
// declared payload hash is returned for the caller to check against the
// body, signed aws-chunked bodies get their seed, and the body is never
// read.
func TestVerifyStream(t *testing.T) {
	const amzDate = "20260101T120000Z"
	clock := MustClock(t, amzDate)
	v := &sigv4.Verifier{Now: clock}
	secrets := secretMap{exampleKeyID: exampleSecret}
	signer := sigv4.Signer{AccessKeyID: exampleKeyID, SecretAccessKey: exampleSecret, Region: "us-east-1", Service: "s3", Now: clock}
	body := []byte("hello world")
	sum := sha256.Sum256(body)
	tests := []struct {
		name, declared, wantHash string
		wantSeed                 bool
	}{
		{"body hash", "", string(hexOf(sum[:])), false},
		{"unsigned", "UNSIGNED-PAYLOAD", "UNSIGNED-PAYLOAD", false},
		{"unsigned trailer", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", false},
		{"signed chunks", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", true},
		{"signed chunks and trailer", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := http.NewRequest(http.MethodPut, "http://127.0.0.1:4590/bucket/key", nil)
			if tc.declared != "" {
				r.Header.Set("X-Amz-Content-Sha256", tc.declared)
			}
			if err := signer.Sign(r, body); err != nil {
				t.Fatal(err)
			}
			r.Body = failingBody{t}
			res, err := v.VerifyStream(t.Context(), r, secrets)
			if err != nil {
				t.Fatalf("VerifyStream: %v", err)
			}
			if res.PayloadHash != tc.wantHash {
				t.Errorf("PayloadHash = %q, want %q", res.PayloadHash, tc.wantHash)
			}
			if (res.Seed != nil) != tc.wantSeed {
				t.Fatalf("Seed = %v, want one: %t", res.Seed, tc.wantSeed)
			}
			if res.Seed != nil {
				sig := r.Header.Get("Authorization")[strings.LastIndex(r.Header.Get("Authorization"), "=")+1:]
				want := deriveKey(exampleSecret, "20260101", "us-east-1", "s3")
				if res.Seed.Key != want || res.Seed.Date != amzDate || res.Seed.Scope != "20260101/us-east-1/s3/aws4_request" || res.Seed.Signature != sig {
					t.Errorf("Seed = %v (key matches: %t), want date %s, signature %s", res.Seed, res.Seed.Key == want, amzDate, sig)
				}
				if s := res.Seed.String(); strings.Contains(s, string(hexOf(want[:]))) || !strings.Contains(s, "REDACTED") {
					t.Errorf("Seed.String() shows its key: %s", s)
				}
			}
		})
	}

	t.Run("streaming forms need VerifyStream", func(t *testing.T) {
		r, _ := http.NewRequest(http.MethodPut, "http://127.0.0.1:4590/bucket/key", nil)
		r.Header.Set("X-Amz-Content-Sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
		if err := signer.Sign(r, body); err != nil {
			t.Fatal(err)
		}
		if _, err := v.VerifyWith(t.Context(), r, body, secrets); err == nil {
			t.Error("VerifyWith accepted a STREAMING-* payload hash")
		}
	})
	t.Run("other services", func(t *testing.T) {
		iam := signer
		iam.Service = "iam"
		r, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:4590/", bytes.NewReader(body))
		if err := iam.Sign(r, body); err != nil {
			t.Fatal(err)
		}
		if _, err := v.VerifyStream(t.Context(), r, secrets); err == nil {
			t.Error("VerifyStream verified an IAM request without its body")
		}
	})
	t.Run("tampered", func(t *testing.T) {
		r, _ := http.NewRequest(http.MethodPut, "http://127.0.0.1:4590/bucket/key", nil)
		if err := signer.Sign(r, body); err != nil {
			t.Fatal(err)
		}
		r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
		if _, err := v.VerifyStream(t.Context(), r, secrets); err == nil {
			t.Error("VerifyStream accepted a payload hash changed after signing")
		}
	})
}

// failingBody fails the test when the body is read.
type failingBody struct{ t *testing.T }

func (b failingBody) Read([]byte) (int, error) {
	b.t.Error("the body was read")
	return 0, nil
}

func (failingBody) Close() error { return nil }

func hexOf(b []byte) []byte {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return out
}

func deriveKey(secret, date, region, service string) [32]byte {
	k := []byte("AWS4" + secret)
	for _, s := range []string{date, region, service, "aws4_request"} {
		m := hmac.New(sha256.New, k)
		m.Write([]byte(s))
		k = m.Sum(nil)
	}
	return [32]byte(k)
}
