// Command ncpdemo is the small helper `make demo` uses beside OpenTofu
// (scripts/demo.sh): it uploads a video with an ordinary S3 client and
// follows the pipeline the upload starts.
//
// Usage:
//
//	ncpdemo upload -bucket BUCKET [-key KEY] FILE
//	ncpdemo watch -trigger NAME -object KEY [-since UNIX_MS] [-timeout 10m]
//	              [-cdn-url URL -encrypted-bucket NAME -output-path PATH -category NAME]
//
// With the channel's values (the example's outputs), watch ends by printing
// the HLS play URL of the encoded renditions.
// Both read the endpoint and the keys from the environment, as the
// provider does: NCP_ENDPOINT_URL (ncplocal's URL; every service is
// there), NCLOUD_ACCESS_KEY, NCLOUD_SECRET_KEY and NCLOUD_REGION (default
// KR). watch prints one line per change of the trigger's activations and
// of the encoding jobs, and exits 0 once every job is COMPLETE, 1 when the
// pipeline failed or the timeout passed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/demo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `usage:
  ncpdemo upload -bucket BUCKET [-key KEY] FILE
  ncpdemo watch -trigger NAME -object KEY [-since UNIX_MS] [-timeout 10m]
                [-cdn-url URL -encrypted-bucket NAME -output-path PATH -category NAME]
environment: NCP_ENDPOINT_URL, NCLOUD_ACCESS_KEY, NCLOUD_SECRET_KEY, NCLOUD_REGION`

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	cfg := demo.Config{
		Endpoint:  getenv("NCP_ENDPOINT_URL"),
		AccessKey: getenv("NCLOUD_ACCESS_KEY"),
		SecretKey: getenv("NCLOUD_SECRET_KEY"),
		Region:    getenv("NCLOUD_REGION"),
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "ncpdemo %s: %v\n", args[0], err)
		return 1
	}
	fs := flag.NewFlagSet("ncpdemo "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	switch args[0] {
	case "upload":
		bucket := fs.String("bucket", "", "the bucket to upload to")
		key := fs.String("key", "", "the object key (default: the file's name)")
		if err := fs.Parse(args[1:]); err != nil {
			return 2
		}
		if fs.NArg() != 1 || *bucket == "" {
			fmt.Fprintln(stderr, usage)
			return 2
		}
		if cfg.Endpoint == "" {
			return fail(errors.New("NCP_ENDPOINT_URL is not set"))
		}
		c, err := demo.NewClient(cfg)
		if err != nil {
			return fail(err)
		}
		k, err := demo.Upload(ctx, c, *bucket, *key, fs.Arg(0))
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "uploaded %s to %s/%s\n", fs.Arg(0), *bucket, k)
		return 0
	case "watch":
		trigger := fs.String("trigger", "", "the Object Storage trigger's name")
		object := fs.String("object", "", "the uploaded object's key")
		since := fs.String("since", "", "Unix time in ms when the upload started (default: 5 minutes ago)")
		timeout := fs.Duration("timeout", 10*time.Minute, "how long to wait for the encoding to end")
		var pb demo.Playback
		fs.StringVar(&pb.BaseURL, "cdn-url", "", "base URL of the channel's CDN (https://<cdn domain>)")
		fs.StringVar(&pb.EncryptedBucket, "encrypted-bucket", "", "the channel's encrypted bucket name")
		fs.StringVar(&pb.OutputPath, "output-path", "", "the category's output file path")
		fs.StringVar(&pb.Category, "category", "", "the category's name")
		if err := fs.Parse(args[1:]); err != nil {
			return 2
		}
		if fs.NArg() != 0 || *trigger == "" || *object == "" {
			fmt.Fprintln(stderr, usage)
			return 2
		}
		start := time.Now().Add(-5 * time.Minute)
		if *since != "" {
			n, err := strconv.ParseInt(*since, 10, 64)
			if err != nil {
				return fail(fmt.Errorf("-since %q is not a Unix time in milliseconds", *since))
			}
			start = time.UnixMilli(n)
		}
		if cfg.Endpoint == "" {
			return fail(errors.New("NCP_ENDPOINT_URL is not set"))
		}
		c, err := demo.NewClient(cfg)
		if err != nil {
			return fail(err)
		}
		wctx, cancel := context.WithTimeout(ctx, *timeout)
		defer cancel()
		res, err := demo.Watch(wctx, c, demo.WatchOptions{Trigger: *trigger, Object: *object, Since: start, Out: stdout})
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "encoded: %d renditions of %s\n", len(res.Jobs), *object)
		for _, j := range res.Jobs {
			if j.Link != "" {
				fmt.Fprintf(stdout, "  %s  %s\n", j.Option, j.Link)
			} else {
				fmt.Fprintf(stdout, "  %s\n", j.Option)
			}
		}
		if pb.BaseURL != "" {
			u, err := demo.PlayURL(pb, *object, res.Jobs)
			if err != nil {
				return fail(err)
			}
			fmt.Fprintf(stdout, "play URL: %s\n", u)
		}
		return 0
	default:
		fmt.Fprintf(stderr, "ncpdemo: unknown command %q\n%s\n", args[0], usage)
		return 2
	}
}
