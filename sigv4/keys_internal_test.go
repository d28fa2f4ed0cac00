package sigv4

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestHMACSHA256 checks the stack-buffer HMAC against crypto/hmac for
// keys and messages around the block size and the inline buffer size.
func TestHMACSHA256(t *testing.T) {
	t.Parallel()
	for _, kl := range []int{0, 1, 32, 63, 64, 65, 200} {
		for _, ml := range []int{0, 1, 55, 64, 200, 256, 257, 1000} {
			key := bytes.Repeat([]byte{0xa5}, kl)
			msg := bytes.Repeat([]byte("m"), ml)
			h := hmac.New(sha256.New, key)
			h.Write(msg)
			want := h.Sum(nil)
			if got := hmacSHA256(key, msg); !bytes.Equal(got[:], want) {
				t.Errorf("key %d, msg %d bytes: %x, want %x", kl, ml, got, want)
			}
			if got := hmacSHA256(key, string(msg)); !bytes.Equal(got[:], want) {
				t.Errorf("key %d, string msg %d bytes: %x, want %x", kl, ml, got, want)
			}
		}
	}
}

func FuzzHMACSHA256(f *testing.F) {
	f.Add([]byte("key"), []byte("message"))
	f.Fuzz(func(t *testing.T, key, msg []byte) {
		h := hmac.New(sha256.New, key)
		h.Write(msg)
		if got := hmacSHA256(key, msg); !bytes.Equal(got[:], h.Sum(nil)) {
			t.Errorf("hmacSHA256(%x, %x) differs from crypto/hmac", key, msg)
		}
	})
}

// TestDeriveKey checks the signing key of the AWS documentation example.
func TestDeriveKey(t *testing.T) {
	t.Parallel()
	const want = "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
	key := deriveKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam")
	if got := hex.EncodeToString(key[:]); got != want {
		t.Errorf("signing key = %s, want %s", got, want)
	}
	long := strings.Repeat("s", 300) // longer than deriveKey's stack buffer
	h := func(key []byte, msg string) []byte {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(msg))
		return m.Sum(nil)
	}
	wantLong := h(h(h(h([]byte("AWS4"+long), "20150830"), "r"), "s"), "aws4_request")
	if got := deriveKey(long, "20150830", "r", "s"); !bytes.Equal(got[:], wantLong) {
		t.Errorf("signing key for a long secret = %x, want %x", got, wantLong)
	}
}

type staticSecret string

func (s staticSecret) SecretKey(context.Context, string) (string, error) { return string(s), nil }

// secretPtr looks up whatever secret *p currently holds, like a store
// whose key was given a new secret.
type secretPtr struct{ p *string }

func (s secretPtr) SecretKey(context.Context, string) (string, error) { return *s.p, nil }

// cacheRequest returns a request signed for region at 20240101T000000Z.
func cacheRequest(t testing.TB, secret, region string) *http.Request {
	t.Helper()
	s := Signer{AccessKeyID: "AKID", SecretAccessKey: secret, Region: region, Service: "iam",
		Now: func() time.Time { return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) }}
	r, err := http.NewRequest("GET", "http://localhost/?Action=ListUsers", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Sign(r, nil); err != nil {
		t.Fatal(err)
	}
	return r
}

func cacheVerifier(secret string, size int) *Verifier {
	return &Verifier{Secrets: staticSecret(secret), KeyCacheSize: size,
		Now: func() time.Time { return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) }}
}

// TestKeyCacheHit shows that a second verification uses the cached key:
// once the cached key is spoiled, the same request no longer verifies.
func TestKeyCacheHit(t *testing.T) {
	t.Parallel()
	v := cacheVerifier("secret", 0)
	r := cacheRequest(t, "secret", "us-east-1")
	ctx := context.Background()
	if _, err := v.Verify(ctx, r, nil); err != nil {
		t.Fatal(err)
	}
	kc := v.cache.Load()
	if kc == nil || kc.len() != 1 {
		t.Fatalf("cache after one verification: %v", kc)
	}
	if _, err := v.Verify(ctx, r, nil); err != nil {
		t.Fatalf("second Verify: %v", err)
	}
	if kc.len() != 1 {
		t.Errorf("cache grew on a hit: %d entries", kc.len())
	}
	kc.mu.Lock()
	for id, e := range kc.m {
		e.key[0] ^= 1
		kc.m[id] = e
	}
	kc.mu.Unlock()
	if _, err := v.Verify(ctx, r, nil); err == nil {
		t.Error("Verify succeeded with a spoiled cached key: the cache was not used")
	}
}

// TestKeyCacheNewSecret checks that a changed secret is never served a
// key derived from the old one.
func TestKeyCacheNewSecret(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	current := "old"
	v := cacheVerifier("", 0)
	v.Secrets = secretPtr{&current}
	if _, err := v.Verify(ctx, cacheRequest(t, "old", "us-east-1"), nil); err != nil {
		t.Fatal(err)
	}
	current = "new"
	if _, err := v.Verify(ctx, cacheRequest(t, "old", "us-east-1"), nil); err == nil {
		t.Error("a request signed with the old secret verified after the secret changed")
	}
	if _, err := v.Verify(ctx, cacheRequest(t, "new", "us-east-1"), nil); err != nil {
		t.Errorf("a request signed with the new secret: %v", err)
	}
}

// TestKeyCacheBounds checks the size limit, that failed verifications add
// nothing, and that a negative size turns the cache off.
func TestKeyCacheBounds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	v := cacheVerifier("secret", 3)
	for _, region := range []string{"r-1", "r-2", "r-3", "r-4", "r-5", "r-1"} {
		if _, err := v.Verify(ctx, cacheRequest(t, "secret", region), nil); err != nil {
			t.Fatal(err)
		}
		if n := v.cache.Load().len(); n > 3 {
			t.Fatalf("cache holds %d entries, limit 3", n)
		}
	}
	bad := cacheVerifier("secret", 3)
	for _, region := range []string{"r-1", "r-2"} {
		if _, err := bad.Verify(ctx, cacheRequest(t, "wrong", region), nil); err == nil {
			t.Fatal("wrong secret verified")
		}
	}
	if n := bad.cache.Load().len(); n != 0 {
		t.Errorf("failed verifications cached %d keys", n)
	}
	off := cacheVerifier("secret", -1)
	if _, err := off.Verify(ctx, cacheRequest(t, "secret", "r-1"), nil); err != nil {
		t.Fatal(err)
	}
	if off.cache.Load() != nil {
		t.Error("cache created with KeyCacheSize < 0")
	}
}

// TestVerifyConcurrent runs verifications in parallel (meaningful with
// -race, as make test runs it).
func TestVerifyConcurrent(t *testing.T) {
	t.Parallel()
	v := cacheVerifier("secret", 2)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			region := []string{"r-1", "r-2", "r-3"}[i%3]
			for range 50 {
				if _, err := v.Verify(context.Background(), cacheRequest(t, "secret", region), nil); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
