package e2e_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/acctest/tofucli"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
)

// TestGitOpsWorkflow runs examples/gitops the way its CI workflow does
// (docs/guides/gitops.md), against ncplocal: the state in Object Storage
// through OpenTofu's s3 backend with its lock file, configured from the
// example's backend.hcl.example with the keys in the environment (CI
// secrets); a plan saved in one working copy (the change request's job)
// and applied from another (the merge's job); an apply that finds the
// lock held by a concurrent one refused with a clear message; and a saved
// plan that the state has outgrown refused as stale.
func TestGitOpsWorkflow(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t)
	const stateBucket = "tfstate-gitops"
	c := acctest.NewClient(t, srv, ncplocal.DefaultCredential)
	os3, err := objectstorage.New(c)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := os3.CreateBucket(ctx, stateBucket); err != nil {
		t.Fatal(err)
	}

	// The CI environment: provider and backend keys from secrets.
	env := acctest.Env(srv)
	env["AWS_ACCESS_KEY_ID"] = ncplocal.DefaultCredential.AccessKey
	env["AWS_SECRET_ACCESS_KEY"] = ncplocal.DefaultCredential.SecretKey
	// CI runs `tofu init`, which installs the provider; here it comes from
	// a filesystem mirror holding the provider built from the tree, as a
	// release would be installed (dev_overrides would make init fail).
	env["TF_CLI_CONFIG_FILE"] = providerMirror(t)
	h := tofucli.New(t, env)

	example := filepath.Join(tofucli.RepoRoot(t), "examples", "gitops")
	mainTF, err := os.ReadFile(filepath.Join(example, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	backend, err := os.ReadFile(filepath.Join(example, "backend.hcl.example"))
	if err != nil {
		t.Fatal(err)
	}
	// The example's backend settings, pointed at ncplocal.
	hcl := strings.NewReplacer(
		`"https://kr.object.ncloudstorage.com"`, `"`+srv.URL()+`"`,
		`"my-team-tfstate"`, `"`+stateBucket+`"`,
	).Replace(string(backend))
	if hcl == string(backend) || !strings.Contains(hcl, "use_lockfile = true") {
		t.Fatalf("backend.hcl.example no longer has the settings this test rewrites:\n%s", backend)
	}
	files := map[string]string{"main.tf": string(mainTF), "backend.hcl": hcl}
	change := filepath.Join(t.TempDir(), "change-request")
	merge := filepath.Join(t.TempDir(), "merge")
	for _, dir := range []string{change, merge} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, content := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		h.MustRun(t, dir, nil, "init", "-input=false", "-no-color", "-backend-config=backend.hcl")
	}

	// The change request's job saves a plan; the merge's job, in another
	// working copy, applies exactly that plan file.
	h.MustRun(t, change, nil, "plan", "-input=false", "-no-color", "-lock-timeout=10s", "-out=tfplan")
	plan, err := os.ReadFile(filepath.Join(change, "tfplan"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(merge, "tfplan"), plan, 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := h.MustRun(t, merge, nil, "apply", "-input=false", "-no-color", "-lock-timeout=10s", "tfplan")
	if !strings.Contains(out, "Apply complete! Resources: 3 added, 0 changed, 0 destroyed.") {
		t.Errorf("apply of the saved plan:\n%s", out)
	}
	// Both copies now see the same remote state: nothing left to do.
	h.MustRun(t, change, nil, "plan", "-input=false", "-no-color", "-detailed-exitcode")
	getObject(t, os3, stateBucket, "video-pipeline/terraform.tfstate", "gitops-vpc")

	// A plan saved before another apply changed the state is stale.
	h.MustRun(t, change, nil, "plan", "-input=false", "-no-color", "-var", `subnets={app="10.10.1.0/24",db="10.10.2.0/24"}`, "-out=stale.tfplan")
	h.MustRun(t, merge, nil, "apply", "-input=false", "-no-color", "-auto-approve", "-var", `subnets={app="10.10.1.0/24",web="10.10.3.0/24"}`)
	out, code := h.Run(t, change, "apply", "-input=false", "-no-color", "stale.tfplan")
	if code == 0 || !strings.Contains(out, "Saved plan is stale") {
		t.Errorf("apply of a stale plan exited %d, want it refused as stale:\n%s", code, out)
	}

	// Two applies at once: the one that finds the lock taken is refused
	// with the holder's details; the other completes. Slow transitions
	// keep the first apply (and its lock) running long enough.
	srv.SetAsyncDelay(3 * time.Second)
	var (
		wg        sync.WaitGroup
		firstOut  string
		firstCode int
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		firstOut, firstCode = h.Run(t, merge, "apply", "-input=false", "-no-color", "-auto-approve",
			"-var", `subnets={app="10.10.1.0/24",web="10.10.3.0/24",db="10.10.2.0/24"}`)
	}()
	lock := "video-pipeline/terraform.tfstate.tflock"
	deadline := time.Now().Add(60 * time.Second)
	for !exists(ctx, os3, stateBucket, lock) {
		if time.Now().After(deadline) {
			wg.Wait()
			t.Fatalf("the first apply never took the lock %s:\n%s", lock, firstOut)
		}
		time.Sleep(20 * time.Millisecond)
	}
	out, code = h.Run(t, change, "apply", "-input=false", "-no-color", "-auto-approve", "-lock-timeout=0s")
	if code == 0 || !acctest.ErrorPattern("Error acquiring the state lock", "PreconditionFailed", "Path: "+stateBucket+"/video-pipeline/terraform.tfstate", "Operation: OperationTypeApply").MatchString(out) {
		t.Errorf("the concurrent apply exited %d, want it refused by the lock with the holder's details:\n%s", code, out)
	}
	wg.Wait()
	if firstCode != 0 || !strings.Contains(firstOut, "1 added") {
		t.Errorf("the apply holding the lock exited %d:\n%s", firstCode, firstOut)
	}
	if exists(ctx, os3, stateBucket, lock) {
		t.Error("the lock file was left behind after the apply")
	}

	srv.SetAsyncDelay(acctest.DefaultAsyncDelay)
	h.MustRun(t, merge, nil, "destroy", "-input=false", "-no-color", "-auto-approve",
		"-var", `subnets={app="10.10.1.0/24",web="10.10.3.0/24",db="10.10.2.0/24"}`)
	if vpcs, buckets := inventoryNames(t, srv, ncplocal.DefaultCredential.AccountID); len(vpcs) != 0 || len(buckets) != 1 {
		t.Errorf("after destroy ncplocal holds VPCs %v and buckets %v, want only the state bucket", vpcs, buckets)
	}
}

// providerMirror writes a CLI configuration whose only provider source is a
// filesystem mirror holding the built provider as ncplabs/ncp 0.0.1.
func providerMirror(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	pkg := filepath.Join(dir, "mirror", "registry.opentofu.org", "ncplabs", "ncp", "0.0.1", runtime.GOOS+"_"+runtime.GOARCH)
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(tofucli.ProviderBinary(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pkg, "terraform-provider-ncp_v0.0.1"), bin, 0o755); err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(dir, "tofurc")
	conf := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path    = %q\n    include = [\"registry.opentofu.org/ncplabs/*\"]\n  }\n  direct {\n    exclude = [\"registry.opentofu.org/ncplabs/*\"]\n  }\n}\n", filepath.Join(dir, "mirror"))
	if err := os.WriteFile(rc, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return rc
}

func exists(ctx context.Context, os3 *objectstorage.Client, bucket, key string) bool {
	_, err := os3.S3().HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	return err == nil
}

func getObject(t *testing.T, os3 *objectstorage.Client, bucket, key, want string) {
	t.Helper()
	out, err := os3.S3().GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("%s/%s: %v", bucket, key, err)
	}
	defer out.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := out.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	if !strings.Contains(b.String(), want) {
		t.Errorf("%s/%s does not hold %q", bucket, key, want)
	}
}
