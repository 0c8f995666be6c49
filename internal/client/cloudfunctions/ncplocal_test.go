package cloudfunctions_test

import (
	"context"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/cloudfunctions"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// The client against ncplocal: what a PUT sends comes back on GET, and
// the errors have the kinds callers test for.
func TestAgainstNcplocal(t *testing.T) {
	t.Parallel()
	srv := ncplocal.StartTest(t, ncplocal.Options{})
	core, err := client.New(client.Config{AccessKey: ncplocal.DefaultCredential.AccessKey, SecretKey: ncplocal.DefaultCredential.SecretKey,
		Region: "KR", Endpoints: client.Endpoints{CloudFunctions: srv.URL()}, MaxRetries: 2, RetryMinDelay: time.Millisecond, RetryMaxDelay: 2 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	c := cloudfunctions.New(core)
	ctx := context.Background()
	const secret = "db-password-value"
	if _, err := c.PutPackage(ctx, "pkg", &wire.PackageRequest{Description: "d", Parameters: wire.Parameters{"DB": secret}}, secret); err != nil {
		t.Fatal(err)
	}
	p, err := c.GetPackage(ctx, "pkg")
	if err != nil || p.Parameters["DB"] != secret || p.Description != "d" {
		t.Errorf("package %+v, %v", p, err)
	}
	seq := &wire.ActionRequest{Exec: &wire.Exec{Kind: wire.KindSequence, Components: []string{"pkg/missing"}}}
	if _, err := c.PutAction(ctx, "pkg", "seq", wire.ActionTypeSequence, seq); !client.IsValidation(err) {
		t.Errorf("a sequence of a missing action: %v", err)
	}
	if _, err := c.PutTrigger(ctx, "nightly", wire.TriggerTypeCron, &wire.TriggerRequest{CronOption: "0 20 * * 1-5"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.FireTrigger(ctx, "nightly", nil); !client.IsValidation(err) {
		t.Errorf("fire without links: %v", err)
	}
	if err := c.DeleteTrigger(ctx, "nightly"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetTrigger(ctx, "nightly"); !client.IsNotFound(err) {
		t.Errorf("deleted trigger: %v", err)
	}
	if err := c.DeletePackage(ctx, "pkg"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetPackage(ctx, "pkg"); !client.IsNotFound(err) {
		t.Errorf("deleted package: %v", err)
	}
}
