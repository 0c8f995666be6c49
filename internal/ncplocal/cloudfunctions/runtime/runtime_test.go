package runtime

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// testRunner returns a runner, failing (never skipping) when python3 or
// node is missing.
func testRunner(t *testing.T) *Runner {
	t.Helper()
	r := FindRunner()
	if r.Python == "" || r.Node == "" {
		t.Fatalf("these tests need python3 and node on PATH: %s", InstallHint)
	}
	r.TempDir = t.TempDir()
	return r
}

func run(t *testing.T, r *Runner, a Action, params map[string]any) Activation {
	t.Helper()
	act, err := r.Run(context.Background(), a, Invocation{Params: params})
	if err != nil {
		t.Fatal(err)
	}
	return act
}

func logsContain(act Activation, stream, text string) bool {
	for _, l := range act.Logs {
		if strings.Contains(l, " "+stream+": ") && strings.Contains(l, text) {
			return true
		}
	}
	return false
}

var programs = map[string]map[string]string{
	"python:3.13": {
		"ok": `import json, sys
def main(args):
    print(json.dumps({"fake": "result"}))
    print("to stderr", file=sys.stderr)
    return {"greeting": "hello " + args["name"], "n": args["n"] + 1}
`,
		"raise": `def main(args):
    raise ValueError("boom")
`,
		"error": `def main(args):
    return {"error": "category not found"}
`,
		"syntax": `def main(args)
    return {}
`,
		"nomain": `def handler(args):
    return {}
`,
		"list": `def main(args):
    return [1, 2]
`,
		"loop": `def main(args):
    while True:
        pass
`,
	},
	"nodejs:22": {
		"ok": `function main(args) {
  console.log(JSON.stringify({fake: "result"}));
  console.error("to stderr");
  return {greeting: "hello " + args.name, n: args.n + 1};
}
`,
		"raise": `async function main(args) { throw new RangeError("boom"); }
`,
		"error": `function main(args) { return Promise.resolve({error: "category not found"}); }
`,
		"syntax": `function main(args) { return {; }
`,
		"nomain": `function handler(args) { return {}; }
`,
		"list": `function main(args) { return [1, 2]; }
`,
		"loop": `function main(args) { for (;;) {} }
`,
	},
}

func TestOutcomes(t *testing.T) {
	r := testRunner(t)
	for kind, progs := range programs {
		t.Run(kind, func(t *testing.T) {
			act := run(t, r, Action{Kind: kind, Code: progs["ok"]}, map[string]any{"name": "ncp", "n": 41})
			if act.Status != Success || act.Result["greeting"] != "hello ncp" || act.Result["n"] != float64(42) {
				t.Errorf("ok: %s %v logs %v", act.Status, act.Result, act.Logs)
			}
			if !logsContain(act, "stdout", `"fake"`) || !logsContain(act, "stderr", "to stderr") {
				t.Errorf("ok logs: %v", act.Logs)
			}
			if act.Duration <= 0 || act.End.Before(act.Start) {
				t.Errorf("times %v–%v", act.Start, act.End)
			}

			act = run(t, r, Action{Kind: kind, Code: progs["raise"]}, nil)
			if act.Status != ApplicationError || !strings.Contains(act.ErrorMessage(), "boom") || !logsContain(act, "stderr", "boom") {
				t.Errorf("raise: %s %q logs %v", act.Status, act.ErrorMessage(), act.Logs)
			}
			act = run(t, r, Action{Kind: kind, Code: progs["error"]}, nil)
			if act.Status != ApplicationError || act.ErrorMessage() != "category not found" {
				t.Errorf("error: %s %q", act.Status, act.ErrorMessage())
			}
			for _, name := range []string{"syntax", "nomain"} {
				act = run(t, r, Action{Kind: kind, Code: progs[name]}, nil)
				if act.Status != DeveloperError || !strings.HasPrefix(act.ErrorMessage(), "Initialization has failed due to: ") {
					t.Errorf("%s: %s %q", name, act.Status, act.ErrorMessage())
				}
			}
			act = run(t, r, Action{Kind: kind, Code: progs["list"]}, nil)
			if act.Status != DeveloperError || !strings.Contains(act.ErrorMessage(), "did not return a dictionary") {
				t.Errorf("list: %s %q", act.Status, act.ErrorMessage())
			}
			begin := time.Now()
			act = run(t, r, Action{Kind: kind, Code: progs["loop"], Timeout: 700 * time.Millisecond}, nil)
			if act.Status != DeveloperError || act.ErrorMessage() != "The action exceeded its time limits of 700 milliseconds." {
				t.Errorf("loop: %s %q", act.Status, act.ErrorMessage())
			}
			if took := time.Since(begin); took > 5*time.Second {
				t.Errorf("the timed-out action took %s to stop", took)
			}
			if act.Status.StatusCode() != 2 || Success.StatusCode() != 0 || ApplicationError.StatusCode() != 1 {
				t.Error("status codes")
			}
		})
	}
}

func TestCustomMainAndEnv(t *testing.T) {
	r := testRunner(t)
	t.Setenv("NCPLOCAL_TEST_SECRET", "must-not-leak")
	env := map[string]string{"NCPLOCAL_URL": "http://127.0.0.1:4510"}
	py := `import os
def handle(args):
    return {"url": os.environ.get("NCPLOCAL_URL"), "secret": os.environ.get("NCPLOCAL_TEST_SECRET", "")}
`
	js := `function handle(args) { return {url: process.env.NCPLOCAL_URL, secret: process.env.NCPLOCAL_TEST_SECRET || ""}; }`
	for kind, code := range map[string]string{"python:3.13": py, "nodejs:22": js} {
		act, err := r.Run(context.Background(), Action{Kind: kind, Code: code, Main: "handle"}, Invocation{Env: env})
		if err != nil {
			t.Fatal(err)
		}
		if act.Status != Success || act.Result["url"] != "http://127.0.0.1:4510" || act.Result["secret"] != "" {
			t.Errorf("%s: %s %v", kind, act.Status, act.Result)
		}
	}
}

func TestTimeoutKillsProcessTree(t *testing.T) {
	r := testRunner(t)
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	code := `import os, subprocess
def main(args):
    child = subprocess.Popen(["sleep", "300"])
    with open(os.environ["PID_FILE"], "w") as f:
        f.write(str(child.pid))
    while True:
        pass
`
	act, err := r.Run(context.Background(), Action{Kind: "python:3.13", Code: code, Timeout: time.Second}, Invocation{Env: map[string]string{"PID_FILE": pidFile}})
	if err != nil {
		t.Fatal(err)
	}
	if act.Status != DeveloperError || !strings.Contains(act.ErrorMessage(), "time limits") {
		t.Fatalf("%s %q %v", act.Status, act.ErrorMessage(), act.Logs)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(string(b))
	deadline := time.Now().Add(5 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("the action's child %d outlived the activation", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// alive reports whether pid runs (a zombie left for init counts as gone).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	fields := strings.Fields(string(b))
	return len(fields) > 2 && fields[2] != "Z"
}

func TestMemoryLimit(t *testing.T) {
	r := testRunner(t)
	py := `def main(args):
    blocks = []
    while True:
        blocks.append(bytearray(16 << 20))
`
	js := `function main(args) { const a = []; for (;;) { a.push(new Array(1 << 20).fill({x: 1})); } }`
	for kind, code := range map[string]string{"python:3.13": py, "nodejs:22": js} {
		act := run(t, r, Action{Kind: kind, Code: code, MemoryMB: 128, Timeout: 20 * time.Second}, nil)
		if act.Status != DeveloperError || act.ErrorMessage() != "The action exhausted its memory and was aborted." {
			t.Errorf("%s: %s %q", kind, act.Status, act.ErrorMessage())
		}
	}
	// The same limit leaves room for an ordinary action.
	act := run(t, r, Action{Kind: "python:3.13", Code: "import json, hashlib, urllib.request\ndef main(a):\n    return {'ok': True}\n", MemoryMB: 128}, nil)
	if act.Status != Success {
		t.Errorf("an ordinary action under 128 MB: %s %q %v", act.Status, act.ErrorMessage(), act.Logs)
	}
	// Without prlimit(1), the shell's ulimit sets the same limit.
	if r.Prlimit == "" {
		t.Fatal("prlimit not found: install util-linux (scripts/install-media-tools.sh)")
	}
	noPrlimit := *r
	noPrlimit.Prlimit = ""
	act = run(t, &noPrlimit, Action{Kind: "python:3.13", Code: py, MemoryMB: 128, Timeout: 20 * time.Second}, nil)
	if act.Status != DeveloperError || act.ErrorMessage() != "The action exhausted its memory and was aborted." {
		t.Errorf("ulimit: %s %q", act.Status, act.ErrorMessage())
	}
	for name, runner := range map[string]*Runner{"prlimit": r, "ulimit": &noPrlimit} {
		act = run(t, runner, Action{Kind: "python:3.13", Code: "import resource\ndef main(a):\n    return {'as': resource.getrlimit(resource.RLIMIT_AS)[0]}\n", MemoryMB: 256}, nil)
		if act.Status != Success || act.Result["as"] != float64(256<<20) {
			t.Errorf("%s: RLIMIT_AS %v (%s %q)", name, act.Result["as"], act.Status, act.ErrorMessage())
		}
	}
}

func zipOf(t *testing.T, files map[string]string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

func TestZipActions(t *testing.T) {
	r := testRunner(t)
	py := zipOf(t, map[string]string{
		"__main__.py": "from helper import greet\ndef main(args):\n    return {'msg': greet(args['who'])}\n",
		"helper.py":   "def greet(who):\n    return 'hi ' + who\n",
	})
	js := zipOf(t, map[string]string{
		"package.json":  `{"name": "a", "main": "lib/entry.js"}`,
		"lib/entry.js":  "const u = require('./util');\nexports.main = (args) => ({msg: u.greet(args.who)});\n",
		"lib/util.js":   "exports.greet = (w) => 'hi ' + w;\n",
		"unused/x.json": "{}",
	})
	for kind, code := range map[string]string{"python:3.13": py, "nodejs:22": js} {
		act := run(t, r, Action{Kind: kind, Code: code, Binary: true}, map[string]any{"who": "zip"})
		if act.Status != Success || act.Result["msg"] != "hi zip" {
			t.Errorf("%s zip: %s %v %v", kind, act.Status, act.Result, act.Logs)
		}
	}
	for name, code := range map[string]string{
		"zip slip":    zipOf(t, map[string]string{"../evil.py": "x", "__main__.py": "def main(a):\n    return {}\n"}),
		"no entry":    zipOf(t, map[string]string{"other.py": "x"}),
		"not base64":  "%%%",
		"not a zip":   base64.StdEncoding.EncodeToString([]byte("plain text")),
		"bad package": zipOf(t, map[string]string{"package.json": "{", "index.js": ""}),
	} {
		kind := "python:3.13"
		if name == "bad package" {
			kind = "nodejs:22"
		}
		act := run(t, r, Action{Kind: kind, Code: code, Binary: true}, nil)
		if act.Status != DeveloperError || !strings.HasPrefix(act.ErrorMessage(), "Initialization has failed") {
			t.Errorf("%s: %s %q", name, act.Status, act.ErrorMessage())
		}
	}
}

func TestUnsupportedKindAndMissingInterpreter(t *testing.T) {
	r := testRunner(t)
	for _, kind := range []string{"java:21", "go:1.19", "swift:3.1.1", "blackbox", ""} {
		act := run(t, r, Action{Kind: kind, Code: "x"}, nil)
		if act.Status != DeveloperError || !strings.Contains(act.ErrorMessage(), ErrUnsupportedKind.Error()) {
			t.Errorf("%q: %s %q", kind, act.Status, act.ErrorMessage())
		}
	}
	noNode := *r
	noNode.Node = ""
	act := run(t, &noNode, Action{Kind: "nodejs:22", Code: "function main(){return {}}"}, nil)
	if act.Status != InternalError || !strings.Contains(act.ErrorMessage(), "nodejs") {
		t.Errorf("no node: %s %q", act.Status, act.ErrorMessage())
	}
}

func TestLogsAreBounded(t *testing.T) {
	r := testRunner(t)
	r.LogLimit = 4096
	act := run(t, r, Action{Kind: "python:3.13", Code: "def main(a):\n    for i in range(10000):\n        print('line', i)\n    return {'done': True}\n"}, nil)
	if act.Status != Success {
		t.Fatalf("%s %q", act.Status, act.ErrorMessage())
	}
	size := 0
	for _, l := range act.Logs {
		size += len(l)
	}
	last := act.Logs[len(act.Logs)-1]
	if size > 4096+200 || !strings.Contains(last, "Logs were truncated") {
		t.Errorf("%d bytes of logs, last line %q", size, last)
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000000000Z", strings.Fields(act.Logs[0])[0]); err != nil {
		t.Errorf("log line without a timestamp: %q", act.Logs[0])
	}
}

func TestCancel(t *testing.T) {
	r := testRunner(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := r.Run(ctx, Action{Kind: "nodejs:22", Code: "function main(){ for(;;){} }", Timeout: time.Minute}, Invocation{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want the context's", err)
	}
}

func TestSequence(t *testing.T) {
	r := testRunner(t)
	find := Step{Name: "pkg/find-category", Params: map[string]any{"CATEGORY_NAME": "default", "API_URI": "/api/v2/category"},
		Action: Action{Kind: "python:3.13", Code: `def main(args):
    return {"category_id": 7, "file_name": args["object_name"], "category": args["CATEGORY_NAME"]}
`}}
	add := Step{Name: "pkg/add-files", Params: map[string]any{"API_URI": "/api/v2/category/{category_id}/add-files", "category": "overridden"},
		Action: Action{Kind: "nodejs:22", Code: `function main(args) {
  if (!args.file_name) return {error: "file_name missing"};
  return {uri: args.API_URI.replace("{category_id}", args.category_id), file: args.file_name, category: args.category};
}`}}
	seq, err := r.Sequence(context.Background(), []Step{find, add}, map[string]any{"object_name": "movie.mp4", "CATEGORY_NAME": "videos"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if seq.Status != Success || len(seq.Steps) != 2 {
		t.Fatalf("%s, %d steps: %v", seq.Status, len(seq.Steps), seq.Result)
	}
	// The event's CATEGORY_NAME beats the step's default; the first
	// result's category beats the second step's default.
	if seq.Result["uri"] != "/api/v2/category/7/add-files" || seq.Result["file"] != "movie.mp4" || seq.Result["category"] != "videos" {
		t.Errorf("result %v", seq.Result)
	}
	if seq.Steps[0].Name != "pkg/find-category" || seq.Steps[0].Activation.Result["category_id"] != float64(7) {
		t.Errorf("first step %+v", seq.Steps[0])
	}

	fail := Step{Name: "pkg/fail", Action: Action{Kind: "python:3.13", Code: "def main(a):\n    raise KeyError('object_name')\n"}}
	seq, err = r.Sequence(context.Background(), []Step{fail, add}, map[string]any{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(seq.Steps) != 1 || seq.Status != ApplicationError || !strings.Contains(seq.Steps[0].Activation.ErrorMessage(), "KeyError") {
		t.Errorf("a failing first step: %d steps, %s %v", len(seq.Steps), seq.Status, seq.Result)
	}
	seq, err = r.Sequence(context.Background(), nil, map[string]any{"a": 1}, nil)
	if err != nil || seq.Status != Success || seq.Result["a"] != 1 {
		t.Errorf("empty sequence: %+v %v", seq, err)
	}
}
