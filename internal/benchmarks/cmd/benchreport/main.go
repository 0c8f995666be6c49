// Command benchreport turns raw `go test -bench` output into the
// repository's benchmark report: bench/results.txt (a header describing the
// machine, then the raw output, unchanged, so that benchstat can read the
// file) and the summary table between the markers
//
//	<!-- bench:start -->
//	<!-- bench:end -->
//
// in README.md. Only what lies between the markers is rewritten; when the
// README has no markers the table is printed to standard output instead.
//
// scripts/bench-report.sh runs the benchmarks and then this command:
//
//	go run ./internal/benchmarks/cmd/benchreport -in raw.txt -out bench/results.txt -readme README.md
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

func main() {
	in := flag.String("in", "-", "raw `go test -bench` output to read (- for standard input)")
	out := flag.String("out", "bench/results.txt", "results file to write")
	readme := flag.String("readme", "README.md", "README whose table between the bench markers is rewritten (empty: none)")
	flag.Parse()
	if err := run(*in, *out, *readme, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

// run reads the raw output, writes the results file and updates (or
// prints) the table.
func run(in, out, readme string, stdout io.Writer) error {
	raw, err := readInput(in)
	if err != nil {
		return err
	}
	m := probeMachine(time.Now())
	if err := writeFileAtomic(out, []byte(resultsFile(m, raw))); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "benchreport: wrote %s\n", out)

	table := Table(ParseResults(raw), m.Summary())
	if readme == "" {
		fmt.Fprint(stdout, table)
		return nil
	}
	doc, err := os.ReadFile(readme)
	if err != nil {
		return err
	}
	updated, ok := ReplaceBetweenMarkers(string(doc), table)
	if !ok {
		fmt.Fprintf(stdout, "benchreport: %s has no %s ... %s markers; the table is:\n\n%s", readme, StartMarker, EndMarker, table)
		return nil
	}
	if updated == string(doc) {
		fmt.Fprintf(stdout, "benchreport: %s is up to date\n", readme)
		return nil
	}
	if err := writeFileAtomic(readme, []byte(updated)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "benchreport: updated the table in %s\n", readme)
	return nil
}

func readInput(in string) (string, error) {
	var b []byte
	var err error
	if in == "-" {
		b, err = io.ReadAll(os.Stdin)
	} else {
		b, err = os.ReadFile(in)
	}
	return string(b), err
}

// writeFileAtomic writes data to a temporary file next to path and renames
// it over path, so that a reader (or a writer still holding the old file
// open, such as a tee) never sees a half-written file. The mode of an
// existing file is kept.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // fails harmlessly after the rename
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// Machine describes where the benchmarks ran.
type Machine struct {
	Date      time.Time
	GoVersion string // output of `go version`
	CPU       string // model name from /proc/cpuinfo
	Cores     int
	MemBytes  uint64 // MemTotal from /proc/meminfo; 0 when unknown
}

// probeMachine collects the Machine facts; what cannot be read is
// reported as "unknown".
func probeMachine(now time.Time) Machine {
	m := Machine{Date: now.UTC(), GoVersion: runtime.Version(), CPU: "unknown", Cores: runtime.NumCPU()}
	if b, err := exec.Command("go", "version").Output(); err == nil {
		m.GoVersion = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if cpu, cores := ParseCPUInfo(string(b)); cpu != "" {
			m.CPU, m.Cores = cpu, cores
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		m.MemBytes = ParseMemTotal(string(b))
	}
	return m
}

// ParseCPUInfo returns the first "model name" of /proc/cpuinfo and the
// number of logical processors it lists.
func ParseCPUInfo(s string) (model string, cores int) {
	for _, line := range strings.Split(s, "\n") {
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(key) {
		case "model name":
			if model == "" {
				model = strings.Join(strings.Fields(val), " ")
			}
		case "processor":
			cores++
		}
	}
	return model, cores
}

// ParseMemTotal returns MemTotal of /proc/meminfo in bytes, 0 when absent.
func ParseMemTotal(s string) uint64 {
	for _, line := range strings.Split(s, "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "MemTotal:" {
			var kb uint64
			if _, err := fmt.Sscan(f[1], &kb); err == nil {
				return kb * 1024
			}
		}
	}
	return 0
}

// memory renders MemBytes in GiB.
func (m Machine) memory() string {
	if m.MemBytes == 0 {
		return "unknown"
	}
	return fmt.Sprintf("%.1f GiB", float64(m.MemBytes)/(1<<30))
}

// Summary is the machine column of the table: "CPU, N cores, M GiB".
func (m Machine) Summary() string {
	return fmt.Sprintf("%s, %d cores, %s", m.CPU, m.Cores, m.memory())
}

// resultsFile is the content of bench/results.txt: "# " header lines, which
// benchstat ignores (they are neither configuration nor result lines, so
// they never split a comparison), then the raw output.
func resultsFile(m Machine, raw string) string {
	var b bytes.Buffer
	fmt.Fprintln(&b, "# terraform-provider-ncp benchmark results (scripts/bench-report.sh)")
	fmt.Fprintf(&b, "# date: %s\n", m.Date.Format(time.RFC3339))
	fmt.Fprintf(&b, "# go: %s\n", m.GoVersion)
	fmt.Fprintf(&b, "# cpu: %s\n", m.CPU)
	fmt.Fprintf(&b, "# cores: %d\n", m.Cores)
	fmt.Fprintf(&b, "# memory: %s\n", m.memory())
	fmt.Fprintln(&b, "#")
	b.WriteString(raw)
	if raw != "" && !strings.HasSuffix(raw, "\n") {
		b.WriteByte('\n')
	}
	return b.String()
}
