package cloudfunctions

import (
	"strings"
	"testing"
)

func TestCronProblem(t *testing.T) {
	good := []string{"0 20 * * 1-5", "*/5 * * * *", "0 0 1 jan *", "30 8 * * MON,fri", "0 0 * * 7", "0-30/10 1,2,3 1-31 1-12 0-6"}
	for _, s := range good {
		if p := cronProblem(s); p != "" {
			t.Errorf("%q: %s", s, p)
		}
	}
	bad := map[string]string{
		"* * * *":        "4 fields",
		"* * * * * *":    "6 fields",
		"60 * * * *":     "minute",
		"* 24 * * *":     "hour",
		"* * 0 * *":      "day of month",
		"* * * 13 *":     "month",
		"* * * * 8":      "day of week",
		"5-1 * * * *":    "ends before it starts",
		"*/0 * * * *":    "step",
		"5/2 * * * *":    "a step needs",
		"@daily":         "1 fields",
		"a * * * *":      "minute",
		"0 20 * * mon-x": "day of week",
	}
	for s, want := range bad {
		if p := cronProblem(s); !strings.Contains(p, want) {
			t.Errorf("%q: problem %q, want it to mention %q", s, p, want)
		}
	}
}

func TestNameAndRefProblems(t *testing.T) {
	for _, s := range []string{"a", "A_b-1", strings.Repeat("x", 50), "_x"} {
		if p := nameProblem(s); p != "" {
			t.Errorf("%q: %s", s, p)
		}
	}
	for s, want := range map[string]string{
		"":                      "0 characters",
		strings.Repeat("x", 51): "51 characters",
		"-x":                    "starts with '-'",
		"a.b":                   `"." at position 2`,
		"이름":                    `"이" at position 1`,
	} {
		if p := nameProblem(s); !strings.Contains(p, want) {
			t.Errorf("%q: %q, want %q", s, p, want)
		}
	}
	for _, s := range []string{"pkg/act", "-/act"} {
		if p := actionRefProblem(s); p != "" {
			t.Errorf("%q: %s", s, p)
		}
	}
	for s, want := range map[string]string{"act": "no '/'", "pkg/": "action name", "p.k/a": "package name", "-x/a": "package name"} {
		if p := actionRefProblem(s); !strings.Contains(p, want) {
			t.Errorf("%q: %q, want %q", s, p, want)
		}
	}
}

func TestRuntimes(t *testing.T) {
	rs := runtimes()
	for _, k := range []string{"python:3.13", "nodejs:22", "java"} {
		if !contains(rs, k) {
			t.Errorf("runtimes lack %s", k)
		}
	}
	if contains(rs, "custom image") || contains(rs, "python:3.11") {
		t.Errorf("runtimes = %v: the custom image and deprecated kinds are not for this resource", rs)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
