package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// InstallHint names the step that installs the external programs this
// package runs.
const InstallHint = "run scripts/install-media-tools.sh (as root on Debian: installs ffmpeg, ffprobe and chromium)"

// Tools are the paths of the ffmpeg and ffprobe executables.
type Tools struct {
	FFmpeg  string
	FFprobe string
}

// FindTools looks ffmpeg and ffprobe up on PATH. The error names the missing
// program and how to install it.
func FindTools() (Tools, error) {
	var t Tools
	var errs []error
	var err error
	if t.FFmpeg, err = exec.LookPath("ffmpeg"); err != nil {
		errs = append(errs, fmt.Errorf("ffmpeg not found on PATH: %s", InstallHint))
	}
	if t.FFprobe, err = exec.LookPath("ffprobe"); err != nil {
		errs = append(errs, fmt.Errorf("ffprobe not found on PATH: %s", InstallHint))
	}
	return t, errors.Join(errs...)
}

// maxStderr bounds how much of a tool's standard error is kept for error
// messages: the tail, where ffmpeg says what went wrong.
const maxStderr = 4 << 10

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	max int
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	return strings.TrimSpace(string(bytes.ToValidUTF8(b.buf, []byte("?"))))
}

// runTool runs a program to completion and returns its standard output. A
// failure carries the tail of standard error; a cancelled ctx kills the
// program and returns ctx's error.
func runTool(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	var stdout bytes.Buffer
	stderr := &tailBuffer{max: maxStderr}
	cmd.Stdout = &stdout
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, toolError(name, err, stderr.String())
	}
	return stdout.Bytes(), nil
}

func toolError(name string, err error, stderr string) error {
	prog := name
	if i := strings.LastIndexByte(prog, '/'); i >= 0 {
		prog = prog[i+1:]
	}
	if stderr == "" {
		return fmt.Errorf("%s: %w", prog, err)
	}
	return fmt.Errorf("%s: %w: %s", prog, err, stderr)
}
