package pipelinetest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Binary returns the path of an ncplocal binary: $NCPLOCAL_BIN when set
// (make bench and make test build bin/ncplocal), otherwise one built from
// the tree into a temporary directory.
func Binary(tb testing.TB, root string) string {
	tb.Helper()
	if bin := os.Getenv("NCPLOCAL_BIN"); bin != "" {
		return bin
	}
	out := filepath.Join(tb.TempDir(), "ncplocal")
	build := exec.Command("go", "build", "-o", out, "./cmd/ncplocal")
	build.Dir = root
	if b, err := build.CombinedOutput(); err != nil {
		tb.Fatalf("building cmd/ncplocal: %v\n%s", err, b)
	}
	return out
}

// Process is cmd/ncplocal running as a process of its own.
type Process struct {
	URL  string
	Addr string
	cmd  *exec.Cmd
	done chan struct{}
	// stderr collects what it logged.
	stderr *lockedWriter
}

// Start runs bin with a data dir on addr ("127.0.0.1:0" for any port),
// with immediate transitions, and waits until it listens. It is killed
// when the test ends.
func Start(tb testing.TB, bin, dataDir, addr string) *Process {
	tb.Helper()
	cmd := exec.Command(bin, "-addr", addr, "-data-dir", dataDir, "-async-delay", "0s")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	p := &Process{cmd: cmd, done: make(chan struct{}), stderr: &lockedWriter{w: &strings.Builder{}}}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		tb.Fatalf("starting %s: %v", bin, err)
	}
	go func() {
		_ = cmd.Wait()
		close(p.done)
	}()
	tb.Cleanup(p.Kill)
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "ncplocal listening on "); ok {
				urls <- strings.TrimSpace(u)
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case p.URL = <-urls:
	case <-p.done:
		tb.Fatalf("ncplocal exited before listening: %s", p.Stderr())
	case <-time.After(30 * time.Second):
		tb.Fatalf("ncplocal did not listen within 30s: %s", p.Stderr())
	}
	p.Addr = strings.TrimPrefix(p.URL, "http://")
	return p
}

// Pid is the process's id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Stderr is what the process logged so far.
func (p *Process) Stderr() string {
	p.stderr.mu.Lock()
	defer p.stderr.mu.Unlock()
	return fmt.Sprint(p.stderr.w)
}

// Kill sends SIGKILL and waits for the process to end.
func (p *Process) Kill() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// PeakRSS is the process's peak resident set size in bytes (VmHWM of
// /proc/<pid>/status, Linux), read while it runs.
func (p *Process) PeakRSS() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.Pid()))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(v)
			if len(f) != 2 || f[1] != "kB" {
				return 0, fmt.Errorf("unexpected VmHWM line %q", line)
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", p.Pid())
}

// lockedWriter serializes writes to w and reads of it.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}
