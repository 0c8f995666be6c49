package cloudfunctions

import (
	"testing"
	"time"
)

// CronMatchesForTest returns the minutes among the n minutes from start
// that the cron expression matches.
func CronMatchesForTest(t *testing.T, expr string, start time.Time, n int) []time.Time {
	t.Helper()
	spec, err := parseCron(expr)
	if err != nil {
		t.Fatalf("cron %q: %v", expr, err)
	}
	var out []time.Time
	for i := range n {
		if m := start.Add(time.Duration(i) * time.Minute); spec.matches(m) {
			out = append(out, m)
		}
	}
	return out
}
