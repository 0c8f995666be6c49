// Package runtime runs Cloud Functions actions for ncplocal, for real: one
// subprocess per activation, with the action's code in a private temporary
// directory, its merged parameters passed to main(args), its result read
// from a channel of its own (so that what the action prints never passes
// for its result), its stdout and stderr kept as the activation's logs, its
// time limit enforced by killing the whole process group, and its outcome
// classified as OpenWhisk (on which NCP Cloud Functions is built) does.
//
// # Runtime versions
//
// The kinds run on whatever interpreters the machine has, not on the
// versions they name:
//
//	python:*   (python:3.13, and the deprecated 3.6, 3.7, 3.11)  the machine's python3 (Debian 12: Python 3.11)
//	nodejs:*   (nodejs:22, and the deprecated 6, 8, 12, 16)    the machine's node (Node.js 20 on the CI machine)
//
// So an action of kind python:3.13 runs on Python 3.11 here: code using
// 3.12+ syntax or modules fails as a developer error. Only the standard
// library is available (NCP's Python runtime has a few more packages, such
// as requests). Runner.Versions reports the versions found. Every other
// kind (java, swift, php, go, dotnet, custom images, blackbox) is refused
// with ErrUnsupportedKind; sequences are run with Sequence.
//
// # Limits
//
//   - Time: Action.Timeout (limits.timeout). When it passes, the process
//     group (the interpreter and every process it started) gets SIGKILL and
//     the activation is a developer error, "The action exceeded its time
//     limits of N milliseconds."
//   - Memory: Action.MemoryMB (limits.memory). Python runs under
//     RLIMIT_AS = memory (the process's whole virtual address space; set
//     with prlimit(1) from util-linux when it is installed, else with the
//     shell's ulimit -v); node would not start under such a limit (V8
//     reserves address space up front), so it gets --max-old-space-size =
//     memory instead, which bounds the JavaScript heap only. Running out is
//     a developer error, "The action exhausted its memory and was aborted."
//     Nothing else (CPU, processes, network, files) is limited.
//   - Logs: stdout and stderr lines, each prefixed with its time and
//     stream, up to Runner.LogLimit bytes (then a truncation notice).
//   - Result: at most 1 MiB of JSON, a JSON object.
package runtime

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

//go:embed launcher.py
var pythonLauncher []byte

//go:embed launcher.js
var nodeLauncher []byte

// InstallHint names the step that installs the interpreters.
const InstallHint = "install python3 and nodejs (on Debian: apt-get install python3 nodejs; scripts/install-media-tools.sh does it)"

// ErrUnsupportedKind is wrapped by the error of a kind this package cannot
// run.
var ErrUnsupportedKind = errors.New("unsupported runtime kind")

// Status is an activation's outcome, as OpenWhisk reports it
// (response.status) with its numeric statusCode.
type Status string

// The outcomes.
const (
	// Success: main returned a JSON object without an "error" field.
	Success Status = "success"
	// ApplicationError: main raised or rejected, or returned {"error": ...}.
	ApplicationError Status = "application error"
	// DeveloperError: the code does not load, has no main, returned
	// something that is not a JSON object, timed out or ran out of memory.
	DeveloperError Status = "action developer error"
	// InternalError: the interpreter could not be run.
	InternalError Status = "whisk internal error"
)

// StatusCode is OpenWhisk's number for the status (0–3).
func (s Status) StatusCode() int {
	switch s {
	case Success:
		return 0
	case ApplicationError:
		return 1
	case DeveloperError:
		return 2
	}
	return 3
}

// Action is what an activation runs: the action's exec and limits.
type Action struct {
	// Kind is exec.kind ("python:3.13", "nodejs:22").
	Kind string
	// Code is exec.code: the source, or with Binary the base64 of a zip of
	// the action's files (Python: __main__.py is the entry; Node.js:
	// package.json's "main", else index.js).
	Code   string
	Binary bool
	// Main is exec.main, the function to call; empty means "main".
	Main string
	// Timeout is limits.timeout; 0 means 60 s.
	Timeout time.Duration
	// MemoryMB is limits.memory; 0 means 256.
	MemoryMB int
}

// Activation is one run's outcome.
type Activation struct {
	Status Status
	// Result is the response: main's result, or {"error": message} for
	// anything but Success.
	Result map[string]any
	// Logs are the action's stdout and stderr lines,
	// "2006-01-02T15:04:05.000000000Z stdout: text".
	Logs     []string
	Start    time.Time
	End      time.Time
	Duration time.Duration
}

// Success reports whether the activation succeeded.
func (a Activation) Success() bool { return a.Status == Success }

// ErrorMessage returns Result["error"] as text ("" on success).
func (a Activation) ErrorMessage() string {
	if a.Status == Success {
		return ""
	}
	switch e := a.Result["error"].(type) {
	case string:
		return e
	case nil:
		return string(a.Status)
	default:
		b, _ := json.Marshal(e)
		return string(b)
	}
}

// Runner runs activations.
type Runner struct {
	// Python and Node are the interpreters' paths (FindRunner looks them up
	// as python3 and node); an empty one makes its kinds unsupported.
	Python string
	Node   string
	// Prlimit is the path of prlimit(1) (optional; the shell's ulimit is
	// used without it).
	Prlimit string
	// TempDir holds the activations' private directories; empty means
	// os.TempDir().
	TempDir string
	// LogLimit bounds an activation's logs in bytes; 0 means 1 MiB.
	LogLimit int
	// BaseEnv is the environment every action gets, before the
	// activation's own; nil means PATH=/usr/local/bin:/usr/bin:/bin only.
	// ncplocal's own environment (credentials included) is never passed on.
	BaseEnv []string
}

// FindRunner looks python3, node and prlimit up on PATH. Missing
// interpreters are not an error here: Run reports them for the kinds that
// need them. python3 is resolved to the interpreter itself (sys.executable),
// so that wrappers such as pyenv's shims, which need the user's HOME, are
// not in the way of an action's private environment.
func FindRunner() *Runner {
	r := &Runner{}
	if py, err := exec.LookPath("python3"); err == nil {
		r.Python = py
		if out, err := exec.Command(py, "-c", "import sys;print(sys.executable)").Output(); err == nil {
			if exe := strings.TrimSpace(string(out)); exe != "" {
				r.Python = exe
			}
		}
	}
	r.Node, _ = exec.LookPath("node")
	r.Prlimit, _ = exec.LookPath("prlimit")
	return r
}

// Versions returns the interpreter versions found ("python3": "3.11.7",
// "node": "20.20.2"), for documentation and the runtimes data source.
func (r *Runner) Versions(ctx context.Context) map[string]string {
	v := map[string]string{}
	if r.Python != "" {
		if out, err := exec.CommandContext(ctx, r.Python, "-c", "import platform;print(platform.python_version())").Output(); err == nil {
			v["python3"] = strings.TrimSpace(string(out))
		}
	}
	if r.Node != "" {
		if out, err := exec.CommandContext(ctx, r.Node, "-p", "process.versions.node").Output(); err == nil {
			v["node"] = strings.TrimSpace(string(out))
		}
	}
	return v
}

// Language is the interpreter family of a kind: "python", "nodejs", or ""
// when unsupported.
func Language(kind string) string {
	lang, _, _ := strings.Cut(kind, ":")
	switch lang {
	case "python", "nodejs":
		return lang
	}
	return ""
}

// Invocation is what varies per activation.
type Invocation struct {
	// Params are the merged parameters (package < action < trigger <
	// event/runtime, merged by the caller), passed to main as its argument.
	Params map[string]any
	// Env is added to the action's environment ("NCPLOCAL_URL", the
	// __OW_* variables, ...).
	Env map[string]string
}

const (
	defaultTimeout = 60 * time.Second
	defaultMemory  = 256
	defaultLogs    = 1 << 20
	maxResult      = 1 << 20
	maxUnzipped    = 256 << 20
)

// Run runs one activation. The error is for the caller's own failures
// (ctx cancelled, no temporary directory); everything about the action
// (bad code, a raise, a timeout, an unsupported kind) is in the
// Activation's status and result.
func (r *Runner) Run(ctx context.Context, a Action, inv Invocation) (Activation, error) {
	start := time.Now().UTC()
	act := Activation{Start: start}
	finish := func(s Status, result map[string]any) Activation {
		act.Status, act.Result = s, result
		act.End = time.Now().UTC()
		act.Duration = act.End.Sub(act.Start)
		return act
	}
	devErr := func(msg string) Activation {
		return finish(DeveloperError, map[string]any{"error": msg})
	}
	lang := Language(a.Kind)
	interp := map[string]string{"python": r.Python, "nodejs": r.Node}[lang]
	switch {
	case lang == "":
		return devErr(fmt.Sprintf("%v: %q (this emulator runs python:* and nodejs:* actions)", ErrUnsupportedKind, a.Kind)), nil
	case interp == "":
		return finish(InternalError, map[string]any{"error": fmt.Sprintf("no interpreter for kind %q on this machine: %s", a.Kind, InstallHint)}), nil
	}
	if a.Main == "" {
		a.Main = "main"
	}
	if a.Timeout <= 0 {
		a.Timeout = defaultTimeout
	}
	if a.MemoryMB <= 0 {
		a.MemoryMB = defaultMemory
	}
	params := inv.Params
	if params == nil {
		params = map[string]any{}
	}
	paramJSON, err := json.Marshal(params)
	if err != nil {
		return devErr("the parameters are not JSON: " + err.Error()), nil
	}

	dir, err := os.MkdirTemp(r.TempDir, "activation-*")
	if err != nil {
		return act, fmt.Errorf("activation directory: %w", err)
	}
	defer os.RemoveAll(dir)
	codeDir := filepath.Join(dir, "code")
	entry, mode, err := writeCode(codeDir, lang, a)
	if err != nil {
		return devErr("Initialization has failed due to: " + err.Error()), nil
	}
	launcher := filepath.Join(dir, "launcher")
	script := pythonLauncher
	if lang == "nodejs" {
		script = nodeLauncher
	}
	if err := os.WriteFile(launcher, script, 0o600); err != nil {
		return act, err
	}
	home := filepath.Join(dir, "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		return act, err
	}

	var args []string
	if lang == "python" {
		args = []string{interp, "-u", "-B", launcher, codeDir, entry, a.Main}
		args = r.limitAS(args, a.MemoryMB)
	} else {
		args = []string{interp, "--max-old-space-size=" + strconv.Itoa(a.MemoryMB), launcher, codeDir, entry, a.Main, mode}
	}
	env := r.env(home, inv.Env)
	out, logs, runErr := r.exec(ctx, args, env, codeDir, paramJSON, a.Timeout)
	act.Logs = logs.lines
	switch {
	case errors.Is(runErr, errTimeout):
		return devErr(fmt.Sprintf("The action exceeded its time limits of %d milliseconds.", a.Timeout.Milliseconds())), nil
	case ctx.Err() != nil:
		return act, ctx.Err()
	case runErr != nil && !errors.Is(runErr, errExit):
		return finish(InternalError, map[string]any{"error": "running the action: " + runErr.Error()}), nil
	}
	return classify(out, logs, finish, devErr), nil
}

// classify turns the launcher's outcome into the activation's status.
func classify(out []byte, logs *logBuffer, finish func(Status, map[string]any) Activation, devErr func(string) Activation) Activation {
	if len(out) > maxResult {
		return devErr(fmt.Sprintf("The action produced a response that exceeded the allowed length: %d > %d bytes.", len(out), maxResult))
	}
	var o struct {
		Kind   string          `json:"kind"`
		Error  json.RawMessage `json:"error"`
		Result json.RawMessage `json:"result"`
	}
	if len(out) == 0 || json.Unmarshal(out, &o) != nil {
		if logs.memory {
			return devErr("The action exhausted its memory and was aborted.")
		}
		return devErr("The action did not produce a valid response and exited unexpectedly." + logs.lastLine())
	}
	var msg any
	_ = json.Unmarshal(o.Error, &msg)
	switch o.Kind {
	case "result":
		var res map[string]any
		if err := json.Unmarshal(o.Result, &res); err != nil || res == nil {
			return devErr("The action did not return a dictionary.")
		}
		if _, failed := res["error"]; failed {
			return finish(ApplicationError, map[string]any{"error": res["error"]})
		}
		return finish(Success, res)
	case "exception":
		return finish(ApplicationError, map[string]any{"error": msg})
	case "memory":
		return devErr("The action exhausted its memory and was aborted.")
	case "bad_result":
		return devErr(fmt.Sprintf("The action did not return a dictionary: %v", msg))
	default: // init
		return devErr(fmt.Sprintf("Initialization has failed due to: %v", msg))
	}
}

// limitAS wraps args so that the process runs with RLIMIT_AS = mb.
func (r *Runner) limitAS(args []string, mb int) []string {
	bytes := strconv.FormatInt(int64(mb)<<20, 10)
	if r.Prlimit != "" {
		return append([]string{r.Prlimit, "--as=" + bytes, "--"}, args...)
	}
	kb := strconv.Itoa(mb << 10)
	return append([]string{"/bin/sh", "-c", `ulimit -v "$0" && exec "$@"`, kb}, args...)
}

func (r *Runner) env(home string, extra map[string]string) []string {
	env := r.BaseEnv
	if env == nil {
		env = []string{"PATH=/usr/local/bin:/usr/bin:/bin"}
	}
	env = append(append([]string(nil), env...), "HOME="+home, "TMPDIR="+home, "LANG=C.UTF-8",
		"PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1", "NODE_OPTIONS=")
	for k, v := range extra {
		env = append(env, k+"="+v)
	}
	return env
}

var (
	errTimeout = errors.New("timed out")
	errExit    = errors.New("exited")
)

// exec runs the activation's process in its own process group, feeding
// params on fd 3 and reading the outcome from fd 4, and kills the group on
// timeout, on cancellation and after the process ends (so nothing it
// started outlives the activation).
func (r *Runner) exec(ctx context.Context, args, env []string, dir string, params []byte, timeout time.Duration) ([]byte, *logBuffer, error) {
	logs := &logBuffer{limit: r.LogLimit}
	if logs.limit <= 0 {
		logs.limit = defaultLogs
	}
	paramR, paramW, err := os.Pipe()
	if err != nil {
		return nil, logs, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		paramR.Close()
		paramW.Close()
		return nil, logs, err
	}
	stdoutR, stdoutW, err := os.Pipe()
	if err != nil {
		return nil, logs, closeAll(err, paramR, paramW, outR, outW)
	}
	stderrR, stderrW, err := os.Pipe()
	if err != nil {
		return nil, logs, closeAll(err, paramR, paramW, outR, outW, stdoutR, stdoutW)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env, cmd.Dir = env, dir
	cmd.Stdin = nil
	cmd.Stdout, cmd.Stderr = stdoutW, stderrW
	cmd.ExtraFiles = []*os.File{paramR, outW}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	startErr := cmd.Start()
	// The child has its copies; the parent keeps only its ends.
	for _, f := range []*os.File{paramR, outW, stdoutW, stderrW} {
		f.Close()
	}
	if startErr != nil {
		return nil, logs, closeAll(startErr, paramW, outR, stdoutR, stderrR)
	}
	pgid := cmd.Process.Pid
	killGroup := func() { _ = syscall.Kill(-pgid, syscall.SIGKILL) }

	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); logs.read(stdoutR, "stdout") }()
	go func() { defer wg.Done(); logs.read(stderrR, "stderr") }()
	var out []byte
	go func() {
		defer wg.Done()
		out, _ = io.ReadAll(io.LimitReader(outR, maxResult+1))
		_, _ = io.Copy(io.Discard, outR)
	}()
	go func() {
		_, _ = paramW.Write(params)
		paramW.Close()
	}()

	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var result, exitErr error
	select {
	case exitErr = <-waitErr:
	case <-timer.C:
		killGroup()
		exitErr = <-waitErr
		result = errTimeout
	case <-ctx.Done():
		killGroup()
		exitErr = <-waitErr
		result = ctx.Err()
	}
	if result == nil && exitErr != nil {
		result = fmt.Errorf("%w: %w", errExit, exitErr)
	}
	// Whatever the action left running in its group goes too; then the
	// pipes reach EOF.
	killGroup()
	wg.Wait()
	for _, f := range []*os.File{outR, stdoutR, stderrR} {
		f.Close()
	}
	return out, logs, result
}

func closeAll(err error, files ...*os.File) error {
	for _, f := range files {
		f.Close()
	}
	return err
}

// logBuffer collects timestamped log lines from both streams, up to limit
// bytes.
type logBuffer struct {
	mu        sync.Mutex
	limit     int
	size      int
	lines     []string
	truncated bool
	memory    bool
}

func (b *logBuffer) read(r io.Reader, stream string) {
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			b.add(stream, strings.TrimRight(line, "\r\n"))
		}
		if err != nil {
			return
		}
	}
}

func (b *logBuffer) add(stream, text string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if strings.Contains(text, "JavaScript heap out of memory") || strings.Contains(text, "MemoryError") {
		b.memory = true
	}
	if b.truncated {
		return
	}
	line := time.Now().UTC().Format("2006-01-02T15:04:05.000000000Z") + " " + stream + ": " + text
	if b.size+len(line) > b.limit {
		b.truncated = true
		b.lines = append(b.lines, time.Now().UTC().Format("2006-01-02T15:04:05.000000000Z")+" stderr: "+
			fmt.Sprintf("Logs were truncated because the total bytes size exceeds the limit of %d bytes.", b.limit))
		return
	}
	b.size += len(line)
	b.lines = append(b.lines, line)
}

// lastLine returns " Last log line: ..." for an unexpected exit, or "".
func (b *logBuffer) lastLine() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.lines) == 0 {
		return ""
	}
	l := b.lines[len(b.lines)-1]
	if i := strings.Index(l, ": "); i >= 0 {
		l = l[i+2:]
	}
	return " Last log line: " + l
}

// writeCode writes the action's code into dir and returns the entry file
// and, for Node.js, whether it is inline code or a module.
func writeCode(dir, lang string, a Action) (entry, mode string, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", err
	}
	if !a.Binary {
		name, mode := "action.py", ""
		if lang == "nodejs" {
			name, mode = "action.js", "inline"
		}
		entry = filepath.Join(dir, name)
		return entry, mode, os.WriteFile(entry, []byte(a.Code), 0o600)
	}
	data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(a.Code))
	if err != nil {
		return "", "", fmt.Errorf("exec.code is not base64: %w", err)
	}
	if err := unzip(data, dir); err != nil {
		return "", "", err
	}
	if lang == "python" {
		entry = filepath.Join(dir, "__main__.py")
		if _, err := os.Stat(entry); err != nil {
			return "", "", errors.New("the zip has no __main__.py")
		}
		return entry, "", nil
	}
	entry = filepath.Join(dir, "index.js")
	if b, err := os.ReadFile(filepath.Join(dir, "package.json")); err == nil {
		var pkg struct {
			Main string `json:"main"`
		}
		if err := json.Unmarshal(b, &pkg); err != nil {
			return "", "", fmt.Errorf("package.json: %w", err)
		}
		if pkg.Main != "" {
			entry = filepath.Join(dir, filepath.FromSlash(pkg.Main))
		}
	}
	if !strings.HasPrefix(entry, dir+string(filepath.Separator)) {
		return "", "", errors.New("package.json's main is outside the zip")
	}
	if _, err := os.Stat(entry); err != nil {
		return "", "", fmt.Errorf("the zip has no %s", strings.TrimPrefix(entry, dir+"/"))
	}
	return entry, "module", nil
}

// unzip extracts a zip archive into dir, refusing entries that would land
// outside it and archives that unpack to more than maxUnzipped bytes.
func unzip(data []byte, dir string) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("exec.code is not a zip archive: %w", err)
	}
	var total int64
	for _, f := range zr.File {
		name := filepath.FromSlash(f.Name)
		target := filepath.Join(dir, name)
		if !strings.HasPrefix(target, dir+string(filepath.Separator)) || filepath.IsAbs(name) {
			return fmt.Errorf("zip entry %q is outside the archive's folder", f.Name)
		}
		if f.FileInfo().IsDir() {
			if err := os.MkdirAll(target, 0o700); err != nil {
				return err
			}
			continue
		}
		if !f.Mode().IsRegular() {
			return fmt.Errorf("zip entry %q is not a regular file", f.Name)
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
			return err
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("zip entry %q: %w", f.Name, err)
		}
		w, err := os.OpenFile(target, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			rc.Close()
			return err
		}
		n, err := io.Copy(w, io.LimitReader(rc, maxUnzipped-total+1))
		rc.Close()
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("zip entry %q: %w", f.Name, err)
		}
		if total += n; total > maxUnzipped {
			return fmt.Errorf("the zip unpacks to more than %d bytes", maxUnzipped)
		}
	}
	return nil
}
