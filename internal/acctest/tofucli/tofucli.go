// Package tofucli runs the repository's OpenTofu CLI (bin/tofu) as a
// subprocess with the provider built from the working tree, loaded through
// dev_overrides: a real plugin process, the way users run it. Tests use it
// where terraform-plugin-testing's in-process provider cannot show the
// behaviour (one plugin process per provider block, backends), and the
// benchmarks use it to measure whole-process runs.
package tofucli

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// ModulePath is the module whose root holds bin/tofu and main.go.
const ModulePath = "github.com/ncplabs/terraform-provider-ncp"

// ProviderAddress is the address dev_overrides maps to the built provider;
// configurations name it as source "ncplabs/ncp".
const ProviderAddress = "registry.opentofu.org/ncplabs/ncp"

// Header starts a configuration that uses the provider.
const Header = `terraform {
  required_providers {
    ncp = {
      source = "ncplabs/ncp"
    }
  }
}
`

// RepoRoot returns the root of the module, found by walking up from the
// working directory (go test runs in the package directory) to the go.mod
// that declares ModulePath.
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if declaresModule(filepath.Join(dir, "go.mod")) {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatalf("no go.mod of module %s above the working directory", ModulePath)
		}
		dir = parent
	}
}

func declaresModule(goMod string) bool {
	f, err := os.Open(goMod)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) == 2 && fields[0] == "module" && fields[1] == ModulePath {
			return true
		}
	}
	return false
}

// The provider is built once per test binary.
var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

func buildProvider(root string) (string, error) {
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "tofucli-provider-")
		if buildErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(buildDir, "terraform-provider-ncp"), ".")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("building the provider: %v\n%s", err, out)
		}
	})
	return buildDir, buildErr
}

// ProviderBinary builds the provider (once per test binary) and returns the
// path of the executable, for tests that install it themselves (a
// filesystem mirror, where `tofu init` must run).
func ProviderBinary(tb testing.TB) string {
	tb.Helper()
	dir, err := buildProvider(RepoRoot(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return filepath.Join(dir, "terraform-provider-ncp")
}

// Main runs the tests and benchmarks of m, then removes the provider binary
// built for them, and exits; a package that uses the harness calls it from
// its TestMain:
//
//	func TestMain(m *testing.M) { tofucli.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// Harness runs bin/tofu with a fixed environment.
type Harness struct {
	Tofu string
	// NoLock makes Apply, Destroy and PlanEmpty pass -lock=false: no state
	// lock on the local backend, as the benchmarks run them.
	NoLock bool
	env    []string
}

// New builds the provider (once per test binary), writes a CLI
// configuration whose dev_overrides point at it, and returns a harness whose
// subprocesses see only env on top of a cleaned copy of this process's
// environment (see Env). It fails tb when bin/tofu is missing.
func New(tb testing.TB, env map[string]string) *Harness {
	tb.Helper()
	root := RepoRoot(tb)
	tofu := filepath.Join(root, "bin", "tofu")
	if fi, err := os.Stat(tofu); err != nil || fi.IsDir() {
		tb.Fatalf("%s not found: run `make tools` first (make test and make bench do it for you)", tofu)
	}
	pluginDir, err := buildProvider(root)
	if err != nil {
		tb.Fatal(err)
	}
	cliConfig := filepath.Join(tb.TempDir(), "tofurc")
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", ProviderAddress, pluginDir)
	if err := os.WriteFile(cliConfig, []byte(rc), 0o644); err != nil {
		tb.Fatal(err)
	}
	set := map[string]string{
		"TF_CLI_CONFIG_FILE": cliConfig,
		"TF_IN_AUTOMATION":   "1",
		"CHECKPOINT_DISABLE": "1",
		"HOME":               tb.TempDir(), // no ~/.ncloud/configure, no ~/.terraform.d
	}
	for k, v := range env {
		set[k] = v
	}
	return &Harness{Tofu: tofu, env: Env(set)}
}

// NewServed returns a harness that runs cli (bin/tofu, or the Terraform
// binary of the acceptance tests) with a provider the test serves itself:
// env must hold its TF_REATTACH_PROVIDERS (acctest.ServeProvider) and the
// CLI configuration to use (TF_CLI_CONFIG_FILE). Nothing is built. As with
// New, the subprocesses see env on top of a cleaned copy of this process's
// environment.
func NewServed(tb testing.TB, cli string, env map[string]string) *Harness {
	tb.Helper()
	set := map[string]string{
		"TF_IN_AUTOMATION":   "1",
		"CHECKPOINT_DISABLE": "1",
		"HOME":               tb.TempDir(),
	}
	for k, v := range env {
		set[k] = v
	}
	return &Harness{Tofu: cli, env: Env(set)}
}

// Env returns this process's environment without anything that could change
// how OpenTofu or the provider behave (TF_*, NCLOUD_*, NCP_*, AWS_*,
// CHECKPOINT_*, HOME), plus set.
func Env(set map[string]string) []string {
	var env []string
	for _, kv := range os.Environ() {
		key, _, _ := strings.Cut(kv, "=")
		if _, ok := set[key]; ok || key == "HOME" {
			continue
		}
		if strings.HasPrefix(key, "TF_") || strings.HasPrefix(key, "NCLOUD_") || strings.HasPrefix(key, "NCP_") ||
			strings.HasPrefix(key, "AWS_") || strings.HasPrefix(key, "CHECKPOINT_") {
			continue
		}
		env = append(env, kv)
	}
	for k, v := range set {
		env = append(env, k+"="+v)
	}
	return env
}

// Workspace writes files (name -> content) into a new directory and returns
// it.
func (h *Harness) Workspace(tb testing.TB, files map[string]string) string {
	tb.Helper()
	dir := tb.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// Run runs bin/tofu with args in dir and returns its combined output and
// exit code; it fails tb only when the command cannot be started.
func (h *Harness) Run(tb testing.TB, dir string, args ...string) (string, int) {
	tb.Helper()
	cmd := exec.Command(h.Tofu, args...)
	cmd.Dir = dir
	cmd.Env = h.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); ok { //nolint:errorlint // Run returns *exec.ExitError unwrapped
		return out.String(), exit.ExitCode()
	}
	if err != nil {
		tb.Fatalf("running tofu %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), 0
}

// MustRun runs bin/tofu and fails tb unless the exit code is one of ok
// (default: 0). It returns the output and the exit code.
func (h *Harness) MustRun(tb testing.TB, dir string, ok []int, args ...string) (string, int) {
	tb.Helper()
	if len(ok) == 0 {
		ok = []int{0}
	}
	out, code := h.Run(tb, dir, args...)
	for _, c := range ok {
		if c == code {
			return out, code
		}
	}
	tb.Fatalf("tofu %s in %s exited %d:\n%s", strings.Join(args, " "), dir, code, out)
	return out, code
}

// args returns the arguments of `tofu <command>` that change state or
// read it: -input=false, -lock=false when h.NoLock, then extra.
func (h *Harness) args(command string, extra ...string) []string {
	args := []string{command, "-input=false"}
	if h.NoLock {
		args = append(args, "-lock=false")
	}
	return append(args, extra...)
}

// Apply runs `tofu apply -auto-approve` and fails tb unless it succeeds.
func (h *Harness) Apply(tb testing.TB, dir string) string {
	tb.Helper()
	out, _ := h.MustRun(tb, dir, nil, h.args("apply", "-auto-approve", "-no-color")...)
	return out
}

// Destroy runs `tofu destroy -auto-approve` and fails tb unless it succeeds.
func (h *Harness) Destroy(tb testing.TB, dir string) string {
	tb.Helper()
	out, _ := h.MustRun(tb, dir, nil, h.args("destroy", "-auto-approve", "-no-color")...)
	return out
}

// PlanEmpty runs `tofu plan -detailed-exitcode` (refresh included unless
// extra says -refresh=false) and fails tb unless the plan is empty: a
// non-empty plan exits 2. It returns how long the subprocess took.
func (h *Harness) PlanEmpty(tb testing.TB, dir string, extra ...string) time.Duration {
	tb.Helper()
	args := h.args("plan", append([]string{"-detailed-exitcode", "-no-color"}, extra...)...)
	start := time.Now()
	h.MustRun(tb, dir, nil, args...)
	return time.Since(start)
}
