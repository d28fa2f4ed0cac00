// Package totp computes and checks time-based one-time passwords as
// virtual MFA devices show them: RFC 6238 TOTP over RFC 4226 HOTP with
// HMAC-SHA1, 6 digits and 30-second time steps counted from the Unix
// epoch.
//
// Checks compare codes in constant time and never accept a time step at
// or before the last one accepted, so a code cannot be used twice.
package totp

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/binary"
	"time"
)

// Parameters of the codes (RFC 6238 defaults, which authenticator apps
// and AWS virtual MFA devices use).
const (
	// Digits is the length of a code.
	Digits = 6
	// Period is the length of a time step.
	Period = 30 * time.Second
	// MaxWindow bounds the window of the checks: a wider one is treated
	// as MaxWindow (five minutes either way).
	MaxWindow = 10
)

// Step returns the RFC 6238 time step of t: the number of whole periods
// since the Unix epoch (negative before it).
func Step(t time.Time) int64 {
	s := t.Unix()
	p := int64(Period / time.Second)
	if s < 0 && s%p != 0 {
		return s/p - 1
	}
	return s / p
}

// hotp returns the RFC 4226 value of counter under secret, before the
// decimal truncation: the 31-bit dynamic-truncation result.
func hotp(secret []byte, counter int64) uint32 {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	mac := hmac.New(sha1.New, secret)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	return binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
}

// format writes v mod 10^Digits as Digits decimal digits.
func format(v uint32) [Digits]byte {
	var out [Digits]byte
	for i := Digits - 1; i >= 0; i-- {
		out[i] = byte('0' + v%10)
		v /= 10
	}
	return out
}

// stepCode returns the code of one time step.
func stepCode(secret []byte, step int64) [Digits]byte { return format(hotp(secret, step)) }

// Code returns the code a device with secret shows at t.
func Code(secret []byte, t time.Time) string {
	c := stepCode(secret, Step(t))
	return string(c[:])
}

// parse returns code as fixed-size digits; ok is false unless code is
// exactly Digits ASCII digits.
func parse(code string) (out [Digits]byte, ok bool) {
	if len(code) != Digits {
		return out, false
	}
	for i := 0; i < Digits; i++ {
		if code[i] < '0' || code[i] > '9' {
			return out, false
		}
		out[i] = code[i]
	}
	return out, true
}

func equal(a, b [Digits]byte) bool { return subtle.ConstantTimeCompare(a[:], b[:]) == 1 }

// Verify checks code against the time steps within window steps of t's
// step (window 1 accepts the previous, the current and the next code),
// skipping every step at or before lastStep, which was used already. It
// returns the step the code belongs to, which the caller stores as the
// new lastStep; when two steps of the window share the code, the later
// one. A negative window is treated as 0, one over MaxWindow as
// MaxWindow.
func Verify(secret []byte, code string, t time.Time, window int, lastStep int64) (step int64, ok bool) {
	want, valid := parse(code)
	if !valid {
		return 0, false
	}
	window = min(max(window, 0), MaxWindow)
	now := Step(t)
	for s := now - int64(window); s <= now+int64(window); s++ {
		if s <= lastStep {
			continue
		}
		if equal(stepCode(secret, s), want) {
			step, ok = s, true
		}
	}
	return step, ok
}

// VerifyConsecutive checks two codes shown one after the other, as
// EnableMFADevice and ResyncMFADevice take them: code2 must belong to a
// step within window steps of t's step, and code1 to the step right
// before it. It returns code2's step. The caller decides whether that
// step, and the one before it, are newer than the device's last use.
func VerifyConsecutive(secret []byte, code1, code2 string, t time.Time, window int) (step int64, ok bool) {
	first, valid1 := parse(code1)
	second, valid2 := parse(code2)
	if !valid1 || !valid2 {
		return 0, false
	}
	window = min(max(window, 0), MaxWindow)
	now := Step(t)
	for s := now - int64(window); s <= now+int64(window); s++ {
		match2 := equal(stepCode(secret, s), second)
		match1 := equal(stepCode(secret, s-1), first)
		if match1 && match2 {
			step, ok = s, true
		}
	}
	return step, ok
}
