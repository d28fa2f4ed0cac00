package totp_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/totp"
)

// rfcSecret is the SHA1 key of RFC 6238 appendix B and RFC 4226
// appendix D.
var rfcSecret = []byte("12345678901234567890")

// TestRFC6238 checks the SHA1 test vectors of RFC 6238 appendix B. They
// are 8-digit codes; a 6-digit code is the same HOTP value truncated to
// its last six digits.
func TestTOTPRFC6238(t *testing.T) {
	for _, tc := range []struct {
		unix  int64
		step  int64
		code8 string
	}{
		{59, 0x1, "94287082"},
		{1111111109, 0x23523EC, "07081804"},
		{1111111111, 0x23523ED, "14050471"},
		{1234567890, 0x273EF07, "89005924"},
		{2000000000, 0x3F940AA, "69279037"},
		{20000000000, 0x27BC86AA, "65353130"},
	} {
		t.Run(strconv.FormatInt(tc.unix, 10), func(t *testing.T) {
			t.Parallel()
			at := time.Unix(tc.unix, 0)
			if got := totp.Step(at); got != tc.step {
				t.Errorf("Step = %#x, want %#x", got, tc.step)
			}
			want := tc.code8[len(tc.code8)-totp.Digits:]
			if got := totp.Code(rfcSecret, at); got != want {
				t.Errorf("Code = %s, want %s (RFC 6238: %s)", got, want, tc.code8)
			}
			if step, ok := totp.Verify(rfcSecret, want, at, 0, 0); !ok || step != tc.step {
				t.Errorf("Verify = %#x, %v; want %#x, true", step, ok, tc.step)
			}
		})
	}
}

// TestRFC4226 checks the HOTP values of RFC 4226 appendix D: the code
// of time step n is HOTP(n).
func TestTOTPRFC4226(t *testing.T) {
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	for counter, code := range want {
		at := time.Unix(int64(counter)*30+7, 0)
		if got := totp.Code(rfcSecret, at); got != code {
			t.Errorf("HOTP(%d) = %s, want %s", counter, got, code)
		}
	}
}

func TestTOTPStep(t *testing.T) {
	for _, tc := range []struct {
		unix int64
		want int64
	}{
		{0, 0}, {29, 0}, {30, 1}, {59, 1}, {60, 2},
		{-1, -1}, {-30, -1}, {-31, -2},
	} {
		if got := totp.Step(time.Unix(tc.unix, 0)); got != tc.want {
			t.Errorf("Step(%d) = %d, want %d", tc.unix, got, tc.want)
		}
	}
	// Sub-second parts do not move the step.
	if got := totp.Step(time.Unix(29, 999999999)); got != 0 {
		t.Errorf("Step(29.999999999) = %d, want 0", got)
	}
}

// base is the start of time step 1000 (a whole multiple of 30 seconds).
var base = time.Unix(30000, 0)

// codeAt returns the code of step 1000+i.
func codeAt(i int) string { return totp.Code(rfcSecret, base.Add(time.Duration(i)*totp.Period)) }

func TestTOTPVerifyWindow(t *testing.T) {
	for _, tc := range []struct {
		name     string
		code     string
		at       time.Time
		window   int
		lastStep int64
		want     int64
		ok       bool
	}{
		{"Current", codeAt(0), base, 1, 0, 1000, true},
		{"LastSecondOfStep", codeAt(0), base.Add(29 * time.Second), 0, 0, 1000, true},
		{"Previous", codeAt(-1), base, 1, 0, 999, true},
		{"Next", codeAt(1), base, 1, 0, 1001, true},
		{"TwoBehind", codeAt(-2), base, 1, 0, 0, false},
		{"TwoAhead", codeAt(2), base, 1, 0, 0, false},
		{"TwoBehindWindow2", codeAt(-2), base, 2, 0, 998, true},
		{"Window0Previous", codeAt(-1), base, 0, 0, 0, false},
		{"NegativeWindow", codeAt(-1), base, -5, 0, 0, false},
		{"NegativeWindowCurrent", codeAt(0), base, -5, 0, 1000, true},
		{"HugeWindowIsCapped", codeAt(-totp.MaxWindow - 1), base, 1 << 40, 0, 0, false},
		{"HugeWindowEdge", codeAt(-totp.MaxWindow), base, 1 << 40, 0, 1000 - totp.MaxWindow, true},
		{"UsedStep", codeAt(0), base, 1, 1000, 0, false},
		{"UsedLaterStep", codeAt(-1), base, 1, 1000, 0, false},
		{"AfterUsedStep", codeAt(1), base, 1, 1000, 1001, true},
		{"JustAfterLastStep", codeAt(0), base, 1, 999, 1000, true},
		{"Empty", "", base, 1, 0, 0, false},
		{"Short", codeAt(0)[:5], base, 1, 0, 0, false},
		{"Long", codeAt(0) + "0", base, 1, 0, 0, false},
		{"Spaces", " " + codeAt(0)[1:], base, 1, 0, 0, false},
		{"NonASCIIDigits", "١٢٣٤٥٦", base, 1, 0, 0, false},
		{"Sign", "+12345", base, 1, 0, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			step, ok := totp.Verify(rfcSecret, tc.code, tc.at, tc.window, tc.lastStep)
			if ok != tc.ok || (ok && step != tc.want) {
				t.Errorf("Verify(%q) = %d, %v; want %d, %v", tc.code, step, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestTOTPVerifyWrongSecret(t *testing.T) {
	code := totp.Code(rfcSecret, base)
	other := []byte("12345678901234567891")
	if totp.Code(other, base) == code {
		t.Skip("the two secrets share this code")
	}
	if _, ok := totp.Verify(other, code, base, 0, 0); ok {
		t.Error("a code of another secret verified")
	}
}

// TestVerifyNoReuse walks a device through one use per step: storing
// the returned step as lastStep refuses the code the second time.
func TestTOTPVerifyNoReuse(t *testing.T) {
	last := int64(0)
	for i := range 5 {
		at := base.Add(time.Duration(i) * totp.Period)
		code := totp.Code(rfcSecret, at)
		step, ok := totp.Verify(rfcSecret, code, at, 1, last)
		if !ok {
			t.Fatalf("step %d: a fresh code was refused", i)
		}
		last = step
		if _, ok := totp.Verify(rfcSecret, code, at.Add(10*time.Second), 1, last); ok {
			t.Fatalf("step %d: the code was accepted twice", i)
		}
	}
}

func TestTOTPVerifyConsecutive(t *testing.T) {
	for _, tc := range []struct {
		name         string
		code1, code2 string
		window       int
		want         int64
		ok           bool
	}{
		{"PreviousAndCurrent", codeAt(-1), codeAt(0), 1, 1000, true},
		{"CurrentAndNext", codeAt(0), codeAt(1), 1, 1001, true},
		{"TwoAndOneBehind", codeAt(-2), codeAt(-1), 1, 999, true},
		{"TooOld", codeAt(-3), codeAt(-2), 1, 0, false},
		{"TooNew", codeAt(1), codeAt(2), 1, 0, false},
		{"Swapped", codeAt(0), codeAt(-1), 1, 0, false},
		{"Same", codeAt(0), codeAt(0), 1, 0, false},
		{"Gap", codeAt(-1), codeAt(1), 1, 0, false},
		{"SecondWrong", codeAt(-1), "000000", 1, 0, false},
		{"Malformed", codeAt(-1), "12345a", 1, 0, false},
		{"WiderWindow", codeAt(-4), codeAt(-3), 3, 997, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.code1 == tc.code2 && tc.name != "Same" {
				t.Skip("neighbouring steps share a code")
			}
			step, ok := totp.VerifyConsecutive(rfcSecret, tc.code1, tc.code2, base, tc.window)
			if ok != tc.ok || (ok && step != tc.want) {
				t.Errorf("VerifyConsecutive(%s, %s) = %d, %v; want %d, %v", tc.code1, tc.code2, step, ok, tc.want, tc.ok)
			}
		})
	}
}

func ExampleCode() {
	at := time.Date(2009, 2, 13, 23, 31, 30, 0, time.UTC) // Unix 1234567890
	fmt.Println(totp.Code([]byte("12345678901234567890"), at))
	// Output: 005924
}

// FuzzVerify checks Verify's invariants on any input: it never panics,
// an accepted code is the code of the step it returns, that step is
// within the window and after lastStep, and the current code is always
// accepted once.
func FuzzVerify(f *testing.F) {
	f.Add(rfcSecret, "287082", int64(59), 1, int64(0))
	f.Add(rfcSecret, "005924", int64(1234567890), 0, int64(-1))
	f.Add([]byte{}, "000000", int64(0), 3, int64(5))
	f.Add([]byte("k"), "12 456", int64(-100), -2, int64(-10))
	f.Add([]byte("secret"), "999999", int64(1<<40), 1<<30, int64(1<<62))
	f.Fuzz(func(t *testing.T, secret []byte, code string, unix int64, window int, lastStep int64) {
		// Keep times where Unix seconds and steps cannot overflow.
		unix %= 1 << 50
		at := time.Unix(unix, 0)
		now := totp.Step(at)
		w := int64(min(max(window, 0), totp.MaxWindow))

		step, ok := totp.Verify(secret, code, at, window, lastStep)
		if ok {
			if step <= lastStep {
				t.Fatalf("accepted step %d at or before lastStep %d", step, lastStep)
			}
			if step < now-w || step > now+w {
				t.Fatalf("accepted step %d outside the window %d±%d", step, now, w)
			}
			if got := totp.Code(secret, time.Unix(step*30, 0)); got != code {
				t.Fatalf("accepted %q for step %d, whose code is %s", code, step, got)
			}
			if again, ok := totp.Verify(secret, code, at, window, step); ok && again <= step {
				t.Fatalf("code accepted again at step %d after step %d", again, step)
			}
		} else if step != 0 {
			t.Fatalf("refused with step %d, want 0", step)
		}

		current := totp.Code(secret, at)
		if len(current) != totp.Digits {
			t.Fatalf("Code = %q", current)
		}
		if got, ok := totp.Verify(secret, current, at, window, now-1); !ok || got < now {
			t.Fatalf("the current code %s was refused (%d, %v)", current, got, ok)
		}

		if _, ok := totp.VerifyConsecutive(secret, code, current, at, window); ok {
			// code2 = current belongs to now (or another step of the
			// window); code1 must be the code of the step before it.
			prev := totp.Code(secret, at.Add(-totp.Period))
			if code != prev {
				// Another step of the window may share both codes.
				found := false
				for s := now - w; s <= now+w; s++ {
					if totp.Code(secret, time.Unix(s*30, 0)) == current && totp.Code(secret, time.Unix((s-1)*30, 0)) == code {
						found = true
					}
				}
				if !found {
					t.Fatalf("VerifyConsecutive accepted %s, %s", code, current)
				}
			}
		}
	})
}
