package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const sampleRaw = `goos: linux
goarch: amd64
pkg: github.com/ncplabs/terraform-provider-ncp/internal/benchmarks
cpu: AMD EPYC 7B13
BenchmarkRefresh/ncp_subnet-2         	       3	 812000000 ns/op
BenchmarkRefresh/ncp_subnet_no_refresh-2 	       3	 700000000 ns/op
BenchmarkRefresh/terraform_data-2     	       3	 640000000 ns/op
BenchmarkRefresh/noop_floor-2         	       3	 740000000 ns/op
BenchmarkRefresh/ratio-2              	       3	1450000000 ns/op	       640.0 data-ms/op	         1.100 floor-ratio	       812.0 ncp-ms/op	       738.0 noop-ms/op	         1.200 ratio
BenchmarkRefresh/ratio-2              	       3	1450000000 ns/op	       640.0 data-ms/op	         1.100 floor-ratio	       812.0 ncp-ms/op	       738.0 noop-ms/op	         1.400 ratio
BenchmarkWaiterLag/delay=2s-2         	       3	2360000000 ns/op	       360.0 lag-ms	        18.00 lag-%-of-delay	         5.000 polls/wait
BenchmarkDemoApply-2                  	       3	5100000000 ns/op	         5.050 apply-s	        25.00 calls/apply	        10.00 polls/apply
BenchmarkAPICalls-2                   	       1	9000000000 ns/op	         3.000 create-calls/bucket	         4.000 create-calls/subnet	         6.000 create-calls/vpc	         2.000 destroy-calls/bucket	         2.000 destroy-calls/subnet	         3.000 destroy-calls/vpc	         1.000 refresh-calls/bucket	         1.000 refresh-calls/subnet	         1.000 refresh-calls/vpc	         0 refresh-list-calls
PASS
ok  	github.com/ncplabs/terraform-provider-ncp/internal/benchmarks	42.000s
`

func TestParseResults(t *testing.T) {
	r := ParseResults(sampleRaw)
	if got, ok := r.Mean("BenchmarkRefresh/ratio", "ratio"); !ok || math.Abs(got-1.3) > 1e-9 {
		t.Errorf("mean ratio = %v, %v; want 1.3 (mean of two lines), true", got, ok)
	}
	if got, ok := r.Mean("BenchmarkRefresh/ncp_subnet", "ns/op"); !ok || got != 812000000 {
		t.Errorf("ncp_subnet ns/op = %v, %v", got, ok)
	}
	if got, ok := r.Mean("BenchmarkWaiterLag/delay=2s", "lag-%-of-delay"); !ok || got != 18 {
		t.Errorf("lag %% = %v, %v", got, ok)
	}
	if _, ok := r.Mean("BenchmarkWaiterLag/delay=10s", "lag-ms"); ok {
		t.Error("a benchmark missing from the output reports a value")
	}
	if _, ok := r["PASS"]; ok || len(r) != 8 {
		t.Errorf("parsed benchmarks = %v, want the 8 result names only", r)
	}
}

func TestTable(t *testing.T) {
	table := Table(ParseResults(sampleRaw), "AMD EPYC 7B13, 2 cores, 8.0 GiB")
	for _, want := range []string{
		"| Metric | Target | Result | Machine |\n|---|---|---|---|\n",
		"same schemas | ≤ 1.15× | 1.10× (812 ms vs 738 ms) | AMD EPYC 7B13, 2 cores, 8.0 GiB |",
		"| — (information) | 1.30× (812 ms vs 640 ms; ncp with -refresh=false: 700 ms) | AMD EPYC 7B13, 2 cores, 8.0 GiB |",
		"| Waiter lag after a 2s VPC creation, and polls per wait | ≤ 25 % and ≤ 5 s; ≤ 8 polls | 360 ms (18.0 %), 5 polls |",
		"| Waiter lag after a 10s VPC creation, and polls per wait | ≤ 25 % and ≤ 5 s; ≤ 14 polls | not measured |",
		"apply time) | — | 25 (10 polls; 5.0 s) |",
		"| 1 / 1 / 1 | 1 / 1 / 1 |",
		"| 0 | 0 |",
		"| 4 / 6 / 3 |",
		"| 2 / 3 / 2 |",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if n, want := strings.Count(table, "\n"), 13+len(serviceRows(nil)); n != want {
		t.Errorf("table has %d lines, want %d: 2 header lines, 11 rows and the service rows:\n%s", n, want, table)
	}
}

func TestReplaceBetweenMarkers(t *testing.T) {
	doc := "# Title\n\n## Benchmarks\n\n" + StartMarker + "\nold table\n" + EndMarker + "\n\nafter " + StartMarker + "\n"
	got, ok := ReplaceBetweenMarkers(doc, "| new |")
	want := "# Title\n\n## Benchmarks\n\n" + StartMarker + "\n| new |\n" + EndMarker + "\n\nafter " + StartMarker + "\n"
	if !ok || got != want {
		t.Fatalf("ReplaceBetweenMarkers = %q, %v; want %q, true", got, ok, want)
	}
	again, _ := ReplaceBetweenMarkers(got, "| new |\n")
	if again != got {
		t.Errorf("a second replacement changed the document: %q", again)
	}
	for _, doc := range []string{"no markers", StartMarker + " but no end", EndMarker + " before " + StartMarker} {
		if got, ok := ReplaceBetweenMarkers(doc, "x"); ok || got != doc {
			t.Errorf("ReplaceBetweenMarkers(%q) = %q, %v; want the document unchanged, false", doc, got, ok)
		}
	}
}

func TestParseProcFiles(t *testing.T) {
	cpuinfo := "processor\t: 0\nmodel name\t: AMD EPYC  7B13 64-Core Processor\nflags\t: fpu\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13 64-Core Processor\n"
	if model, cores := ParseCPUInfo(cpuinfo); model != "AMD EPYC 7B13 64-Core Processor" || cores != 2 {
		t.Errorf("ParseCPUInfo = %q, %d", model, cores)
	}
	if got := ParseMemTotal("MemTotal:       16384000 kB\nMemFree: 1 kB\n"); got != 16384000*1024 {
		t.Errorf("ParseMemTotal = %d", got)
	}
	if got := ParseMemTotal("nothing"); got != 0 {
		t.Errorf("ParseMemTotal without MemTotal = %d", got)
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "raw.txt")
	out := filepath.Join(dir, "bench", "results.txt")
	readme := filepath.Join(dir, "README.md")
	if err := os.WriteFile(in, []byte(sampleRaw), 0o644); err != nil {
		t.Fatal(err)
	}
	const before, after = "# Project\n\n" + StartMarker + "\n", EndMarker + "\n\nMore text.\n"
	if err := os.WriteFile(readme, []byte(before+"stale\n"+after), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	if err := run(in, out, readme, &stdout); err != nil {
		t.Fatal(err)
	}

	results, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	header, body, ok := strings.Cut(string(results), "#\n")
	if !ok || body != sampleRaw {
		t.Errorf("results file does not end with the raw output unchanged:\n%s", results)
	}
	for _, key := range []string{"# date: ", "# go: go", "# cpu: ", "# cores: ", "# memory: "} {
		if !strings.Contains(header, "\n"+key) {
			t.Errorf("header lacks %q:\n%s", key, header)
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(header, "\n"), "\n") {
		if !strings.HasPrefix(line, "# ") {
			t.Errorf("header line %q does not start with \"# \" (benchstat would read it as configuration)", line)
		}
	}
	if _, rest, ok := strings.Cut(header, "\n# date: "); !ok {
		t.Errorf("header has no date line:\n%s", header)
	} else if date, _, _ := strings.Cut(rest, "\n"); date == "" {
		t.Errorf("the date is empty:\n%s", header)
	} else if _, err := time.Parse(time.RFC3339, date); err != nil {
		t.Errorf("date %q does not parse as RFC 3339: %v", date, err)
	}

	doc, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(doc), before+"| Metric |") || !strings.HasSuffix(string(doc), "|\n"+after) || strings.Contains(string(doc), "stale") {
		t.Errorf("README not rewritten between the markers only:\n%s", doc)
	}

	// Without markers the README is left alone and the table printed.
	if err := os.WriteFile(readme, []byte("no markers\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if err := run(in, out, readme, &stdout); err != nil {
		t.Fatal(err)
	}
	if doc, _ := os.ReadFile(readme); string(doc) != "no markers\n" {
		t.Errorf("README without markers was changed: %q", doc)
	}
	if !strings.Contains(stdout.String(), "has no "+StartMarker) || !strings.Contains(stdout.String(), "| Metric |") {
		t.Errorf("table not printed when the markers are missing:\n%s", stdout.String())
	}
}
