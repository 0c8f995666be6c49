package sweep_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	cfclient "github.com/ncplabs/terraform-provider-ncp/internal/client/cloudfunctions"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/sweep"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// TestSweepCloudFunctions: the Cloud Functions sweeper deletes the tf-acc-
// triggers and packages and keeps the others.
func TestSweepCloudFunctions(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t)
	conn := cfclient.New(acctest.NewClient(t, srv, ncplocal.DefaultCredential))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, p := range []string{"tf-acc-pkg-left", "keep-pkg"} {
		if _, err := conn.PutPackage(ctx, p, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, tr := range []string{"tf-acc-trigger-left", "keep-trigger"} {
		if _, err := conn.PutTrigger(ctx, tr, wire.TriggerTypeCron, &wire.TriggerRequest{CronOption: "0 3 * * *"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sweep.Sweepers(acctest.LookupEnv(acctest.Env(srv)))["ncp_cloud_functions"].F("KR"); err != nil {
		t.Fatal(err)
	}
	pkgs, err := conn.ListPackages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range pkgs.Packages {
		names = append(names, p.Name)
	}
	triggers, err := conn.ListTriggers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range triggers.Triggers {
		names = append(names, tr.Name)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"keep-pkg", "keep-trigger"}) {
		t.Errorf("left after the sweep: %v, want keep-pkg and keep-trigger", names)
	}
}
