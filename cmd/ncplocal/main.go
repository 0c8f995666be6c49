// Command ncplocal runs the local NAVER Cloud Platform emulator: the API
// Gateway services (VPC, VServer, ...) and S3-compatible Object Storage on
// one HTTP listener, with an admin API under /_ncplocal/.
//
// Usage:
//
//	ncplocal [-addr 127.0.0.1:4510] [-credentials AK:SK[:ACCOUNT],...]
//	         [-async-delay 2s] [-data-dir DIR] [-s3-host localhost]
//	         [-limit-vpcs N] [-log] [-version]
//
// Every flag falls back to an environment variable: NCPLOCAL_ADDR,
// NCPLOCAL_CREDENTIALS, NCPLOCAL_ASYNC_DELAY, NCPLOCAL_DATA_DIR,
// NCPLOCAL_S3_HOST, NCPLOCAL_LIMIT_VPCS and NCPLOCAL_LOG (1/true).
// -limit-vpcs raises NCP's limit of 3 VPCs per account and region, as NCP
// does for an account on request (a test suite running VPC tests in
// parallel in one account needs it); 0 keeps NCP's limit. Object Storage answers
// path-style requests on any host, and virtual-hosted-style ones whose Host
// is <bucket>.<s3-host>. When ready it prints one line,
// "ncplocal listening on http://HOST:PORT", to stdout. SIGINT or SIGTERM
// stop it cleanly. With a data dir every change is on disk before its
// request is answered, so a crash or kill -9 loses nothing that was
// acknowledged; a clean stop also folds the log into one checkpoint.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
)

// shutdownGrace bounds the wait for in-flight requests on shutdown.
const shutdownGrace = 10 * time.Second

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // the server could not start or stop cleanly
	exitUsage   = 2 // bad flags or environment
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// config is the parsed command line.
type config struct {
	addr        string
	credentials []ncplocal.Credential
	asyncDelay  time.Duration
	dataDir     string
	s3Host      string
	limitVpcs   int
	log         bool
	version     bool
}

// parseConfig reads flags from args, each falling back to its environment
// variable (read with getenv) and then to its default. An invalid value is
// an error naming the flag or the variable it came from. Usage text goes to
// output.
func parseConfig(args []string, getenv func(string) string, output io.Writer) (config, error) {
	fs := flag.NewFlagSet("ncplocal", flag.ContinueOnError)
	fs.SetOutput(output)
	dc := ncplocal.DefaultCredential
	var (
		addr    = fs.String("addr", ncplocal.DefaultAddr, "listen `address` (env NCPLOCAL_ADDR)")
		creds   = fs.String("credentials", dc.AccessKey+":"+dc.SecretKey+":"+dc.AccountID, "accepted keys as `AK:SK[:ACCOUNT],...` (env NCPLOCAL_CREDENTIALS)")
		delay   = fs.String("async-delay", "2s", "`duration` of asynchronous transitions such as INIT->RUN; 0s is immediate (env NCPLOCAL_ASYNC_DELAY)")
		dataDir = fs.String("data-dir", "", "`directory` to persist state in; empty keeps it in memory (env NCPLOCAL_DATA_DIR)")
		s3Host  = fs.String("s3-host", ncplocal.DefaultS3Host, "`host` name of Object Storage's virtual-hosted addressing: <bucket>.<host> names a bucket (env NCPLOCAL_S3_HOST)")
		limit   = fs.String("limit-vpcs", "0", "`number` of VPCs an account may have per region, raised as NCP raises it on request; 0 keeps NCP's limit of 3 (env NCPLOCAL_LIMIT_VPCS)")
		logs    = "false"
		version = fs.Bool("version", false, "print the version and exit")
	)
	// -log keeps its value as a string, so that a bad NCPLOCAL_LOG is
	// reported after parsing like the other values; IsBoolFlag makes a bare
	// -log mean true.
	fs.Var(boolString{&logs}, "log", "log every request to stderr (env NCPLOCAL_LOG=1)")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}

	// A flag given on the command line wins; otherwise a non-empty variable
	// replaces the default. (Defaults are not taken from the environment
	// before parsing, so that -h never prints secrets from it.)
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	envNames := map[string]string{}
	for flagName, v := range map[string]struct {
		env string
		p   *string
	}{
		"addr":        {"NCPLOCAL_ADDR", addr},
		"credentials": {"NCPLOCAL_CREDENTIALS", creds},
		"async-delay": {"NCPLOCAL_ASYNC_DELAY", delay},
		"data-dir":    {"NCPLOCAL_DATA_DIR", dataDir},
		"s3-host":     {"NCPLOCAL_S3_HOST", s3Host},
		"limit-vpcs":  {"NCPLOCAL_LIMIT_VPCS", limit},
		"log":         {"NCPLOCAL_LOG", &logs},
	} {
		envNames[flagName] = v.env
		if e := getenv(v.env); !set[flagName] && e != "" {
			*v.p = e
		}
	}
	// source names where a value came from, for error messages.
	source := func(flagName string) string {
		if set[flagName] {
			return "-" + flagName
		}
		return envNames[flagName]
	}

	c := config{addr: *addr, dataDir: *dataDir, s3Host: *s3Host, version: *version}
	if c.addr == "" {
		return config{}, fmt.Errorf("%s: must not be empty", source("addr"))
	}
	if !s3HostPattern.MatchString(c.s3Host) {
		return config{}, fmt.Errorf("%s: %q is not a host name such as localhost or s3.example.test", source("s3-host"), c.s3Host)
	}
	var err error
	if c.credentials, err = ncplocal.ParseCredentials(*creds); err != nil {
		return config{}, fmt.Errorf("%s: %w", source("credentials"), err)
	}
	if c.asyncDelay, err = time.ParseDuration(*delay); err != nil || c.asyncDelay < 0 {
		return config{}, fmt.Errorf("%s: %q is not a non-negative duration such as 2s or 500ms", source("async-delay"), *delay)
	}
	if c.limitVpcs, err = strconv.Atoi(*limit); err != nil || c.limitVpcs < 0 {
		return config{}, fmt.Errorf("%s: %q is not a non-negative number of VPCs (0 keeps NCP's limit)", source("limit-vpcs"), *limit)
	}
	if c.log, err = strconv.ParseBool(logs); err != nil {
		return config{}, fmt.Errorf("%s: %q is not a boolean (1, true, 0, false)", source("log"), logs)
	}
	return c, nil
}

// s3HostPattern is a DNS host name, optionally with a port.
var s3HostPattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,5})?$`)

// boolString is a flag.Value over a string that behaves as a boolean flag.
type boolString struct{ p *string }

func (b boolString) String() string {
	if b.p == nil {
		return ""
	}
	return *b.p
}
func (b boolString) Set(s string) error { *b.p = s; return nil }
func (b boolString) IsBoolFlag() bool   { return true }

// run is the whole program; it returns the exit code. It serves until ctx
// is done.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := parseConfig(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "ncplocal: %v\nRun 'ncplocal -h' for usage.\n", err)
		return exitUsage
	}
	if cfg.version {
		fmt.Fprintln(stdout, "ncplocal", ncplocal.Version)
		return exitOK
	}

	opts := ncplocal.Options{
		Addr:        cfg.addr,
		Credentials: cfg.credentials,
		AsyncDelay:  cfg.asyncDelay,
		DataDir:     cfg.dataDir,
		S3Host:      cfg.s3Host,

		VpcsPerRegion: cfg.limitVpcs,
	}
	if cfg.log {
		logger := log.New(stderr, "ncplocal: ", log.LstdFlags|log.Lmicroseconds)
		opts.RequestLog = func(i ncplocal.RequestInfo) { logger.Print(formatRequest(i)) }
	}
	srv, err := ncplocal.New(opts)
	if err != nil {
		fmt.Fprintf(stderr, "ncplocal: %v\n", err)
		return exitFailure
	}
	if err := srv.Start(); err != nil {
		fmt.Fprintf(stderr, "ncplocal: %v\n", err)
		_ = srv.Close()
		return exitFailure
	}
	fmt.Fprintf(stdout, "ncplocal listening on %s\n", srv.URL())

	<-ctx.Done()
	code := exitOK
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		fmt.Fprintf(stderr, "ncplocal: shutdown: %v\n", err)
	}
	if err := srv.Close(); err != nil {
		fmt.Fprintf(stderr, "ncplocal: %v\n", err)
		code = exitFailure
	}
	return code
}

// formatRequest renders one request log line.
func formatRequest(i ncplocal.RequestInfo) string {
	var b strings.Builder
	status := strconv.Itoa(i.Status)
	if i.Status == 0 {
		status = "---"
	}
	// The path is quoted: an object key may hold spaces and any other
	// character, and the line must still split unambiguously.
	fmt.Fprintf(&b, "%s %s %s", i.Method, strconv.Quote(i.Path), status)
	if i.Op != "" {
		fmt.Fprintf(&b, " op=%s", i.Op)
	}
	if i.Account != "" {
		fmt.Fprintf(&b, " account=%s", i.Account)
	}
	if i.Fault != "" {
		fmt.Fprintf(&b, " fault=%s", i.Fault)
	}
	fmt.Fprintf(&b, " %s", i.Duration.Round(time.Microsecond))
	return b.String()
}
