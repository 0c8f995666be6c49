package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
)

// env returns a getenv over m.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseConfigDefaults(t *testing.T) {
	t.Parallel()
	c, err := parseConfig(nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.addr != "127.0.0.1:4510" || c.asyncDelay != 2*time.Second || c.dataDir != "" || c.s3Host != "localhost" || c.limitVpcs != 0 || c.log || c.version {
		t.Errorf("defaults = %+v", c)
	}
	if len(c.credentials) != 1 || c.credentials[0] != ncplocal.DefaultCredential {
		t.Errorf("credentials = %+v", c.credentials)
	}
}

func TestParseConfigEnvAndFlags(t *testing.T) {
	t.Parallel()
	e := env(map[string]string{
		"NCPLOCAL_ADDR":        "0.0.0.0:9000",
		"NCPLOCAL_CREDENTIALS": "A:B:acct,C:D",
		"NCPLOCAL_ASYNC_DELAY": "500ms",
		"NCPLOCAL_DATA_DIR":    "/tmp/x",
		"NCPLOCAL_S3_HOST":     "s3.ncplocal.test",
		"NCPLOCAL_LOG":         "1",
		"NCPLOCAL_LIMIT_VPCS":  "40",
	})
	c, err := parseConfig(nil, e, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.addr != "0.0.0.0:9000" || c.asyncDelay != 500*time.Millisecond || c.dataDir != "/tmp/x" || c.s3Host != "s3.ncplocal.test" ||
		!c.log || len(c.credentials) != 2 || c.credentials[0].AccountID != "acct" || c.limitVpcs != 40 {
		t.Errorf("from env = %+v", c)
	}
	// Flags win over the environment.
	c, err = parseConfig([]string{"-addr", "127.0.0.1:1", "-async-delay=0s", "-log=false", "-credentials", "X:Y", "-data-dir", "", "-s3-host", "localhost:4510", "-limit-vpcs", "0"}, e, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.addr != "127.0.0.1:1" || c.asyncDelay != 0 || c.log || c.dataDir != "" || c.s3Host != "localhost:4510" || c.limitVpcs != 0 || len(c.credentials) != 1 || c.credentials[0].AccessKey != "X" {
		t.Errorf("from flags = %+v", c)
	}
	// A bare -log means true.
	if c, err := parseConfig([]string{"-log"}, env(nil), io.Discard); err != nil || !c.log {
		t.Errorf("-log: %+v %v", c, err)
	}
	// A bad variable does not matter when the flag overrides it.
	if _, err := parseConfig([]string{"-async-delay", "1s"}, env(map[string]string{"NCPLOCAL_ASYNC_DELAY": "soon"}), io.Discard); err != nil {
		t.Errorf("overridden bad env: %v", err)
	}
}

func TestParseConfigErrorsNameTheSource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"-async-delay", "soon"}, nil, "-async-delay"},
		{[]string{"-async-delay", "-1s"}, nil, "-async-delay"},
		{nil, map[string]string{"NCPLOCAL_ASYNC_DELAY": "x"}, "NCPLOCAL_ASYNC_DELAY"},
		{[]string{"-credentials", "nokey"}, nil, "-credentials"},
		{nil, map[string]string{"NCPLOCAL_CREDENTIALS": "a:b:c:d"}, "NCPLOCAL_CREDENTIALS"},
		{nil, map[string]string{"NCPLOCAL_LOG": "maybe"}, "NCPLOCAL_LOG"},
		{[]string{"-log=maybe"}, nil, "-log"},
		{[]string{"-addr", ""}, nil, "-addr"},
		{[]string{"-s3-host", "http://localhost"}, nil, "-s3-host"},
		{[]string{"-s3-host", ""}, nil, "-s3-host"},
		{nil, map[string]string{"NCPLOCAL_S3_HOST": "bad host"}, "NCPLOCAL_S3_HOST"},
		{[]string{"-limit-vpcs", "-1"}, nil, "-limit-vpcs"},
		{nil, map[string]string{"NCPLOCAL_LIMIT_VPCS": "many"}, "NCPLOCAL_LIMIT_VPCS"},
		{[]string{"-nope"}, nil, "-nope"},
		{[]string{"extra"}, nil, `"extra"`},
	}
	for _, tt := range tests {
		_, err := parseConfig(tt.args, env(tt.env), io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseConfig(%q, %v) error = %v, want it to name %s", tt.args, tt.env, err, tt.want)
		}
	}
	if _, err := parseConfig([]string{"-h"}, env(nil), io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
}

func TestRunExitCodes(t *testing.T) {
	t.Parallel()
	var out, errOut strings.Builder
	if code := run(context.Background(), []string{"-async-delay", "x"}, env(nil), &out, &errOut); code != exitUsage || !strings.Contains(errOut.String(), "-async-delay") {
		t.Errorf("bad flag: code %d, stderr %q", code, errOut.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"-version"}, env(nil), &out, io.Discard); code != exitOK || out.String() != "ncplocal "+ncplocal.Version+"\n" {
		t.Errorf("-version: code %d, stdout %q", code, out.String())
	}
	if code := run(context.Background(), []string{"-h"}, env(nil), io.Discard, io.Discard); code != exitOK {
		t.Errorf("-h: code %d", code)
	}
}

func TestRunServesUntilCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	logs := &lockedBuilder{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-data-dir", t.TempDir(), "-log"}, env(nil), pw, logs)
		_ = pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the ready line: %v (stderr %q)", err, logs.String())
	}
	const prefix = "ncplocal listening on "
	if !strings.HasPrefix(line, prefix+"http://127.0.0.1:") {
		t.Fatalf("ready line = %q", line)
	}
	url := strings.TrimSpace(strings.TrimPrefix(line, prefix))
	resp, err := http.Get(url + "/_ncplocal/health")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("health = %d", resp.StatusCode)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("exit code %d, stderr %q", code, logs.String())
	}
	if !strings.Contains(logs.String(), `GET "/_ncplocal/health" 200`) {
		t.Errorf("request log = %q", logs.String())
	}
}

func TestFormatRequest(t *testing.T) {
	t.Parallel()
	got := formatRequest(ncplocal.RequestInfo{Method: "POST", Path: "/vpc/v2/createVpc", Status: 0, Op: "vpc:createVpc", Account: "a", Fault: "reset", Duration: 1500 * time.Microsecond})
	if got != `POST "/vpc/v2/createVpc" --- op=vpc:createVpc account=a fault=reset 1.5ms` {
		t.Errorf("got %q", got)
	}
	// An object key with spaces, quotes and a newline stays one field.
	got = formatRequest(ncplocal.RequestInfo{Method: "PUT", Path: "/b/my \"key\" op=x\n", Status: 200, Op: "objectstorage:PutObject", Duration: time.Millisecond})
	if got != `PUT "/b/my \"key\" op=x\n" 200 op=objectstorage:PutObject 1ms` {
		t.Errorf("got %q", got)
	}
}
