package s3

import (
	"strings"
	"testing"
)

func TestParseMFAHeader(t *testing.T) {
	for _, tt := range []struct {
		in, serial, code string
		ok               bool
	}{
		{"arn:aws:iam::111122223333:mfa/root-account-mfa-device 123456", "arn:aws:iam::111122223333:mfa/root-account-mfa-device", "123456", true},
		{"GAHT12345678 000000", "GAHT12345678", "000000", true},
		{"", "", "", false},
		{"serial", "", "", false},
		{"serial 12345", "", "", false},
		{"serial 1234567", "", "", false},
		{"serial 12345a", "", "", false},
		{" 123456", "", "", false},
		{"serial  123456", "", "", false},
		{"ser ial 123456", "", "", false},
		{strings.Repeat("s", 257) + " 123456", "", "", false},
	} {
		serial, code, err := ParseMFAHeader(tt.in)
		if (err == nil) != tt.ok || serial != tt.serial || code != tt.code {
			t.Errorf("ParseMFAHeader(%q) = %q, %q, %v; want %q, %q, ok %t", tt.in, serial, code, err, tt.serial, tt.code, tt.ok)
		}
	}
}

// FuzzParseMFAHeader: the parser never panics, and what it accepts is a
// serial without blanks and a six-digit code that put back together give
// the header.
func FuzzParseMFAHeader(f *testing.F) {
	f.Add("arn:aws:iam::111122223333:mfa/root 123456")
	f.Add("x 1")
	f.Add(" ")
	f.Fuzz(func(t *testing.T, v string) {
		serial, code, err := ParseMFAHeader(v)
		if err != nil {
			return
		}
		if serial+" "+code != v || len(code) != 6 || !isDigits(code) || strings.ContainsAny(serial, " \t\r\n") {
			t.Fatalf("ParseMFAHeader(%q) accepted %q %q", v, serial, code)
		}
	})
}
