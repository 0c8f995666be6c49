package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The README markers; the table goes between them.
const (
	StartMarker = "<!-- bench:start -->"
	EndMarker   = "<!-- bench:end -->"
)

// Results holds the measurements of one run: benchmark name (without the
// -GOMAXPROCS suffix) → unit → one value per result line (several with
// -count).
type Results map[string]map[string][]float64

// benchLine matches a result line of the Go benchmark format:
// "BenchmarkX/sub-8   12   3456 ns/op   1.2 ratio".
var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+(\d+)\s+(.+)$`)

// ParseResults reads the result lines of raw `go test -bench` output;
// everything else is ignored.
func ParseResults(raw string) Results {
	res := Results{}
	for _, line := range strings.Split(raw, "\n") {
		m := benchLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		fields := strings.Fields(m[3])
		if len(fields)%2 != 0 {
			continue
		}
		for i := 0; i < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			units := res[m[1]]
			if units == nil {
				units = map[string][]float64{}
				res[m[1]] = units
			}
			units[fields[i+1]] = append(units[fields[i+1]], v)
		}
	}
	return res
}

// Mean returns the mean of a benchmark's values in unit, and false when it
// was not measured.
func (r Results) Mean(bench, unit string) (float64, bool) {
	vs := r[bench][unit]
	if len(vs) == 0 {
		return 0, false
	}
	sum := 0.0
	for _, v := range vs {
		sum += v
	}
	return sum / float64(len(vs)), true
}

// notMeasured is the result cell of a metric missing from the output.
const notMeasured = "not measured"

// row is one line of the table.
type row struct{ metric, target, result string }

// Table renders the summary table (metric, target, result, machine) of
// the benchmarks of internal/benchmarks, one Markdown table ending in a
// newline.
func Table(r Results, machine string) string {
	rows := []row{
		floorRow(r),
		refreshRow(r),
		lagRow(r, "2s", 8),
		lagRow(r, "10s", 14),
		demoRow(r),
		callsRow(r, "refresh", "Refresh (`tofu plan`) API calls per resource: subnet / vpc / bucket", "1 / 1 / 1"),
		listRow(r),
		callsRow(r, "create", "Apply (create + wait) API calls per resource: subnet / vpc / bucket", "—"),
		callsRow(r, "destroy", "Destroy (refresh, delete + wait) API calls per resource: subnet / vpc / bucket", "—"),
	}
	rows = append(rows, pipelineRows(r)...)
	rows = append(rows, serviceRows(r)...)
	var b strings.Builder
	b.WriteString("| Metric | Target | Result | Machine |\n|---|---|---|---|\n")
	for _, rw := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", rw.metric, rw.target, rw.result, machine)
	}
	return b.String()
}

// floorRow is the refresh target: ncp against the no-op framework provider
// with the same schemas.
func floorRow(r Results) row {
	rw := row{metric: "Refresh (`tofu plan`) of 1 `ncp_vpc` + 200 `ncp_subnet`, relative to a no-op framework provider with the same schemas",
		target: "≤ 1.15×", result: notMeasured}
	ratio, ok := r.Mean("BenchmarkRefresh/ratio", "floor-ratio")
	if !ok {
		return rw
	}
	rw.result = fmt.Sprintf("%.2f×", ratio)
	if vs, ok := versus(r, "noop-ms/op"); ok {
		rw.result += " (" + vs + ")"
	}
	return rw
}

// versus renders "<ncp> ms vs <other> ms" of the refresh ratio benchmark.
func versus(r Results, other string) (string, bool) {
	ncp, ok1 := r.Mean("BenchmarkRefresh/ratio", "ncp-ms/op")
	o, ok2 := r.Mean("BenchmarkRefresh/ratio", other)
	return fmt.Sprintf("%.0f ms vs %.0f ms", ncp, o), ok1 && ok2
}

// refreshRow compares the same refresh with OpenTofu's built-in
// terraform_data, for information.
func refreshRow(r Results) row {
	rw := row{metric: "The same refresh relative to 200 `terraform_data` (built into OpenTofu, no plugin)", target: "— (information)", result: notMeasured}
	if ratio, ok := r.Mean("BenchmarkRefresh/ratio", "ratio"); ok {
		rw.result = fmt.Sprintf("%.2f×", ratio)
		if vs, ok := versus(r, "data-ms/op"); ok {
			rw.result += " (" + vs
			if ns, ok := r.Mean("BenchmarkRefresh/ncp_subnet_no_refresh", "ns/op"); ok {
				rw.result += fmt.Sprintf("; ncp with -refresh=false: %.0f ms", ns/1e6)
			}
			rw.result += ")"
		}
	}
	return rw
}

// lagRow is the VPC waiter's row (BenchmarkWaiterLag).
func lagRow(r Results, delay string, maxPolls int) row {
	return waitRow(r, "BenchmarkWaiterLag", "VPC creation", delay, maxPolls)
}

func demoRow(r Results) row {
	rw := row{metric: "API calls to apply the demo (`examples/video-pipeline`) from scratch, 2 s transitions (of them status polls; apply time)",
		target: "—", result: notMeasured}
	calls, ok := r.Mean("BenchmarkDemoApply", "calls/apply")
	if !ok {
		return rw
	}
	rw.result = strconv.FormatFloat(calls, 'g', 3, 64)
	polls, ok1 := r.Mean("BenchmarkDemoApply", "polls/apply")
	secs, ok2 := r.Mean("BenchmarkDemoApply", "apply-s")
	if ok1 && ok2 {
		rw.result += fmt.Sprintf(" (%.0f polls; %.1f s)", polls, secs)
	}
	return rw
}

func callsRow(r Results, phase, metric, target string) row {
	rw := row{metric: metric, target: target, result: notMeasured}
	var parts []string
	for _, kind := range []string{"subnet", "vpc", "bucket"} {
		v, ok := r.Mean("BenchmarkAPICalls", phase+"-calls/"+kind)
		if !ok {
			return rw
		}
		parts = append(parts, strconv.FormatFloat(v, 'g', 3, 64))
	}
	rw.result = strings.Join(parts, " / ")
	return rw
}

func listRow(r Results) row {
	rw := row{metric: "List calls (`get*List`, `ListBuckets`) during refresh", target: "0", result: notMeasured}
	if v, ok := r.Mean("BenchmarkAPICalls", "refresh-list-calls"); ok {
		rw.result = strconv.FormatFloat(v, 'g', 3, 64)
	}
	return rw
}

// ReplaceBetweenMarkers replaces what lies between the first StartMarker
// and the next EndMarker of doc with content (framed by newlines) and
// reports whether both markers were found. Everything outside the markers,
// the markers included, is kept byte for byte.
func ReplaceBetweenMarkers(doc, content string) (string, bool) {
	i := strings.Index(doc, StartMarker)
	if i < 0 {
		return doc, false
	}
	start := i + len(StartMarker)
	j := strings.Index(doc[start:], EndMarker)
	if j < 0 {
		return doc, false
	}
	end := start + j
	if !strings.HasSuffix(content, "\n") {
		content += "\n"
	}
	return doc[:start] + "\n" + content + doc[end:], true
}
