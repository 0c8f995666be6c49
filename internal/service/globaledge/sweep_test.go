package globaledge_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/globaledge"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

// edgeConfig is the documented create body for profile and name.
func edgeConfig(t *testing.T, profileID int64, name string) *wire.EdgeConfig {
	t.Helper()
	var cfg wire.EdgeConfig
	body := `{"distributionConfig":{"protocolType":"HTTPS","regionType":"KOREA","serviceDomain":{"domainType":"NCP_DOMAIN_AUTO"},"edgeLogging":{"enabled":false}},
"originalCopyConfig":{"originalCopyLocation":{"type":"OBJECT_STORAGE","region":"KR","bucketName":"b"},"forwardHostHeader":{"type":"INCOMING_HOST_HEADER"},"originalCopyProtocol":{"type":"HTTP","port":80}},
"cachingConfig":{"defaultCaching":{"enabled":true,"ruleDefinitionType":"BYPASS_CACHE"},"bypassQueryString":{"enabled":false},"cacheKeyHostname":"INCOMING_HOST_HEADER","cacheKeyIgnoreQueryString":{"type":"ALL_ALLOWED"},"edgeAuth":{"enabled":false},"cachingRules":[]},
"managedRule":{},"headerPolicies":[],"optimizationConfig":{},"accessControl":{"type":"WHITELIST"}}`
	if err := json.Unmarshal([]byte(body), &cfg); err != nil {
		t.Fatal(err)
	}
	cfg.ProfileID, cfg.EdgeName = profileID, name
	return &cfg
}

// The sweepers delete the tf-acc- profiles with their edges and tf-acc-
// edges of other profiles (running ones are stopped first), nothing else.
func TestSweepers(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t)
	c := acctest.NewClient(t, srv, ncplocal.DefaultCredential)
	conn := geclient.New(c)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	left, err := conn.CreateProfile(ctx, "tf-acc-prof-left")
	if err != nil {
		t.Fatal(err)
	}
	kept, err := conn.CreateProfile(ctx, "keep-profile")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []struct {
		profile int64
		name    string
	}{{left, "any-edge"}, {kept, "tf-acc-edge-x"}, {kept, "keep-edge"}} {
		if _, err := conn.CreateEdge(ctx, edgeConfig(t, e.profile, e.name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := globaledge.SweepEdges(ctx, c, acctest.TestWaitConfig, acctest.NamePrefix); err != nil {
		t.Fatal(err)
	}
	if err := globaledge.SweepProfiles(ctx, c, acctest.TestWaitConfig, acctest.NamePrefix); err != nil {
		t.Fatal(err)
	}
	profiles, err := conn.ListProfiles(ctx)
	if err != nil || len(profiles) != 1 || profiles[0].ID != kept {
		t.Fatalf("profiles after the sweep: %+v, %v", profiles, err)
	}
	edges, err := conn.ListEdges(ctx, kept)
	if err != nil || len(edges) != 1 || edges[0].EdgeName != "keep-edge" {
		t.Fatalf("edges after the sweep: %+v, %v", edges, err)
	}
	if err := globaledge.SweepEdges(ctx, c, acctest.TestWaitConfig, ""); err == nil {
		t.Error("a sweep without a prefix ran")
	}
}
