package policy

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// AWS reads policy dates with a lenient ISO-8601 parser: "01T", a
// lower-case 't', one-digit hours, "+HH" offsets and years from
// -292275054 to 292278993 are all accepted when a policy is written. The
// functions here accept the same forms so that any date AWS stores can
// also be evaluated.

const (
	minLenientYear = -292275054
	maxLenientYear = 292278993
)

// lenientDateOK reports whether AWS's date reader accepts s.
func lenientDateOK(s string) bool {
	_, ok := parseLenientDate(s)
	return ok
}

// parseLenientDate parses s in the lenient forms and returns Unix
// nanoseconds, saturated at the int64 range for far-away years.
func parseLenientDate(s string) (int64, bool) {
	low := strings.ToLower(s)
	if !strings.ContainsAny(low, "t-") {
		n, ok := atoiRange(s, 0, math.MaxInt64)
		if !ok {
			return 0, false
		}
		return saturatedNanos(n, 0), true
	}
	datePart, timePart, _ := strings.Cut(low, "t")
	negative := strings.HasPrefix(datePart, "-")
	fields := strings.Split(strings.TrimPrefix(datePart, "-"), "-")
	if len(fields) > 3 {
		return 0, false
	}
	yearText := fields[0]
	if negative {
		yearText = "-" + yearText
	}
	year, ok := atoiRange(yearText, minLenientYear, maxLenientYear)
	if !ok {
		return 0, false
	}
	month, day := int64(1), int64(1)
	if len(fields) > 1 {
		if month, ok = atoiRange(fields[1], 1, 12); !ok {
			return 0, false
		}
	}
	if len(fields) > 2 {
		if day, ok = atoiRange(fields[2], 1, 31); !ok {
			return 0, false
		}
	}
	var hour, minute, sec, frac, offset int64
	tf := strings.Split(timePart, ":")
	if tf[0] != "" {
		if hour, ok = atoiRange(tf[0], 0, 23); !ok {
			return 0, false
		}
	}
	if len(tf) > 1 {
		if minute, ok = atoiRange(tf[1], 0, 59); !ok {
			return 0, false
		}
	}
	if len(tf) > 2 {
		secText := tf[2]
		switch {
		case strings.Contains(secText, "z"):
			var after string
			secText, after, _ = strings.Cut(secText, "z")
			if after != "" {
				return 0, false
			}
		case strings.Contains(secText, "+"):
			var zone string
			secText, zone, _ = strings.Cut(secText, "+")
			zh, zm, hasMinutes := strings.Cut(zone, ":")
			if len(zh) != 2 {
				return 0, false
			}
			h, ok := atoiRange(zh, 0, 23)
			if !ok {
				return 0, false
			}
			offset = h * 3600
			if len(tf) > 3 && !hasMinutes {
				zm, hasMinutes = tf[3], true
			}
			if hasMinutes {
				m, ok := atoiRange(zm, 0, 59)
				if !ok || len(zm) != 2 {
					return 0, false
				}
				offset += m * 60
			}
		}
		whole, fraction, hasFraction := strings.Cut(secText, ".")
		if sec, ok = atoiRange(whole, 0, 59); !ok {
			return 0, false
		}
		if hasFraction {
			if frac, ok = atoiRange(fraction, 0, 999999999); !ok {
				return 0, false
			}
			for i := len(fraction); i < 9; i++ {
				frac *= 10
			}
			if len(fraction) > 9 {
				frac = 0
			}
		}
	}
	t := time.Date(int(year), time.Month(month), int(day), int(hour), int(minute), int(sec), int(frac), time.UTC)
	return saturatedNanos(t.Unix()-offset, int64(t.Nanosecond())), true
}

// atoiRange parses a decimal integer (with an optional sign) within
// [lo, hi].
func atoiRange(s string, lo, hi int64) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, false
	}
	return n, true
}

// saturatedNanos converts seconds and nanoseconds to Unix nanoseconds,
// clamping to the int64 range.
func saturatedNanos(sec, nsec int64) int64 {
	const limit = math.MaxInt64 / int64(time.Second)
	switch {
	case sec > limit:
		return math.MaxInt64
	case sec < -limit:
		return math.MinInt64
	}
	return sec*int64(time.Second) + nsec
}
