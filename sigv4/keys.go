package sigv4

import (
	"crypto/sha256"
	"strings"
	"sync"
)

// defaultKeyCacheSize bounds the derived-key cache when
// Verifier.KeyCacheSize is 0.
const defaultKeyCacheSize = 1024

// deriveKey computes the SigV4 signing key
//
//	kDate    = HMAC("AWS4" + secret, date)
//	kRegion  = HMAC(kDate, region)
//	kService = HMAC(kRegion, service)
//	kSigning = HMAC(kService, "aws4_request")
func deriveKey(secret, date, region, service string) [32]byte {
	var buf [4 + 124]byte
	k := append(buf[:0], "AWS4"...)
	k = append(k, secret...)
	kDate := hmacSHA256(k, date)
	kRegion := hmacSHA256(kDate[:], region)
	kService := hmacSHA256(kRegion[:], service)
	return hmacSHA256(kService[:], Terminator)
}

// hmacSHA256 is HMAC-SHA256 (RFC 2104) over stack buffers. It exists
// because crypto/hmac allocates two hash states per call, and Verify
// runs on every request; keys_internal_test.go checks it against
// crypto/hmac.
func hmacSHA256[M string | []byte](key []byte, msg M) [32]byte {
	const block = 64
	var k [block]byte
	if len(key) > block {
		sum := sha256.Sum256(key)
		copy(k[:], sum[:])
	} else {
		copy(k[:], key)
	}
	var stack [block + 256]byte
	var in []byte
	if n := block + len(msg); n <= len(stack) {
		in = stack[:n]
	} else {
		in = make([]byte, n)
	}
	for i := range block {
		in[i] = k[i] ^ 0x36
	}
	copy(in[block:], msg)
	inner := sha256.Sum256(in)
	var out [block + sha256.Size]byte
	for i := range block {
		out[i] = k[i] ^ 0x5c
	}
	copy(out[block:], inner[:])
	return sha256.Sum256(out[:])
}

// keyCache maps (access key id, date, region, service) to the derived
// signing key and the secret it was derived from. It holds at most max
// entries; when full, an arbitrary entry makes room (Go's map iteration
// order), which is enough for keys that change daily.
type keyCache struct {
	mu  sync.RWMutex
	max int
	m   map[keyID]cachedKey
}

type keyID struct{ accessKeyID, date, region, service string }

type cachedKey struct {
	secret string // compared on every hit, so a new secret never uses an old key
	key    [32]byte
}

func newKeyCache(max int) *keyCache {
	return &keyCache{max: max, m: make(map[keyID]cachedKey)}
}

// get returns the cached key for c if it was derived from secret. The
// secrets compared are both the server's own, so == is safe here.
func (kc *keyCache) get(c *Credential, secret string) ([32]byte, bool) {
	kc.mu.RLock()
	e, ok := kc.m[keyID{c.AccessKeyID, c.Date, c.Region, c.Service}]
	kc.mu.RUnlock()
	if !ok || e.secret != secret {
		return [32]byte{}, false
	}
	return e.key, true
}

// put stores a key. Verify calls it only after the key has verified a
// signature, so junk scopes never fill the cache.
func (kc *keyCache) put(c *Credential, secret string, key [32]byte) {
	id := keyID{
		// The fields point into the request's headers; copy them so the
		// cache does not keep whole requests alive.
		accessKeyID: strings.Clone(c.AccessKeyID),
		date:        strings.Clone(c.Date),
		region:      strings.Clone(c.Region),
		service:     strings.Clone(c.Service),
	}
	kc.mu.Lock()
	defer kc.mu.Unlock()
	if _, ok := kc.m[id]; !ok && len(kc.m) >= kc.max {
		for old := range kc.m {
			delete(kc.m, old)
			break
		}
	}
	kc.m[id] = cachedKey{secret: secret, key: key}
}

func (kc *keyCache) len() int {
	kc.mu.RLock()
	defer kc.mu.RUnlock()
	return len(kc.m)
}
