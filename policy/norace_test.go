//go:build !race

package policy_test

// raceEnabled is set when the race detector is on: timings are not
// meaningful then.
const raceEnabled = false
