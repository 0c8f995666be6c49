package e2e_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/acctest/tofucli"
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
)

// TestS3StateBackend keeps OpenTofu's state in ncplocal's Object Storage
// through OpenTofu's own s3 backend, with its S3-native lock file (a
// conditional PutObject with If-None-Match: *), as a user storing state in
// NCP Object Storage would.
func TestS3StateBackend(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t)
	c, err := client.New(client.Config{
		AccessKey: ncplocal.DefaultCredential.AccessKey,
		SecretKey: ncplocal.DefaultCredential.SecretKey,
		Region:    "KR",
		Endpoints: client.Endpoints{ObjectStorage: srv.URL()},
		// Path style, as every S3 client must use against a local endpoint.
		ObjectStoragePathStyle: true,
		ObjectStorageRegion:    "kr-standard",
	})
	if err != nil {
		t.Fatal(err)
	}
	os3, err := objectstorage.New(c)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := os3.CreateBucket(ctx, "tfstate"); err != nil {
		t.Fatal(err)
	}

	h := tofucli.New(t, nil)
	config := fmt.Sprintf(`
terraform {
  backend "s3" {
    bucket                      = "tfstate"
    key                         = "pipeline/terraform.tfstate"
    region                      = "kr-standard"
    endpoints                   = { s3 = %[1]q }
    access_key                  = %[2]q
    secret_key                  = %[3]q
    use_path_style              = true
    use_lockfile                = true
    skip_credentials_validation = true
    skip_region_validation      = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
  }
}

resource "terraform_data" "marker" {
  input = "kept in ncplocal"
}
`, srv.URL(), ncplocal.DefaultCredential.AccessKey, ncplocal.DefaultCredential.SecretKey)
	dir := h.Workspace(t, map[string]string{"main.tf": config})

	h.MustRun(t, dir, nil, "init", "-input=false", "-no-color")
	h.Apply(t, dir)
	h.PlanEmpty(t, dir)

	out, err := os3.S3().GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("tfstate"), Key: aws.String("pipeline/terraform.tfstate")})
	if err != nil {
		t.Fatalf("state object not in ncplocal: %v", err)
	}
	state, err := io.ReadAll(out.Body)
	out.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(state), "kept in ncplocal") {
		t.Errorf("state object does not hold the resource:\n%s", state)
	}
	// The lock file is released after every command.
	if _, err := os3.S3().HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("tfstate"), Key: aws.String("pipeline/terraform.tfstate.tflock")}); err == nil {
		t.Error("the lock file pipeline/terraform.tfstate.tflock was left behind")
	}

	// A lock held by someone else stops the next command.
	if _, err := os3.S3().PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String("tfstate"), Key: aws.String("pipeline/terraform.tfstate.tflock"),
		Body: strings.NewReader(`{"ID":"held-by-test","Operation":"test","Who":"e2e"}`),
	}); err != nil {
		t.Fatal(err)
	}
	locked, code := h.Run(t, dir, "plan", "-input=false", "-no-color", "-lock-timeout=0s")
	if code == 0 || !acctest.ErrorPattern("Error acquiring the state lock", "held-by-test").MatchString(locked) {
		t.Errorf("plan with a held lock exited %d, want a failure that names the lock and its holder held-by-test:\n%s", code, locked)
	}
}
