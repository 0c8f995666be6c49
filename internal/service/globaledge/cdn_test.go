package globaledge_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	ncplocalge "github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/globaledge"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

const cdnAddr = "ncp_global_edge_cdn.test"

var domainRE = regexp.MustCompile(`^[a-z0-9]+\.edge\.naverncp\.com$`)

// cdnConfig is a profile and one edge with the given extra body.
func cdnConfig(profile, name, region, body string) string {
	return acctest.ConfigCompose(fmt.Sprintf(`
resource "ncp_global_edge_profile" "test" {
  name = %q
}

resource "ncp_global_edge_cdn" "test" {
  profile_id  = ncp_global_edge_profile.test.id
  name        = %q
  region_type = %q

  origin {
    bucket_name = "tf-acc-origin"
  }
%s
}
`, profile, name, region, body))
}

// checkEdge checks through the provider's finder that the edge in state is
// RUNNING with the state's name and domain.
func checkEdge(t *testing.T, g *acctest.Target, check func(*wire.Edge) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[cdnAddr]
		if !ok {
			return fmt.Errorf("%s not in state", cdnAddr)
		}
		id, err := strconv(rs.Primary.ID)
		if err != nil {
			return err
		}
		e, st, err := globaledge.FindEdgeByID(context.Background(), geclient.New(g.Client(t)), id)
		if err != nil {
			return err
		}
		a := rs.Primary.Attributes
		if st != wire.StatusRunning || e.EdgeName != a["name"] || *e.DistributionConfig.ServiceDomain.DomainName != a["domain_name"] {
			return fmt.Errorf("NCP has edge %d %s named %q at %s; state %v", id, st, e.EdgeName, *e.DistributionConfig.ServiceDomain.DomainName, a)
		}
		if check != nil {
			return check(e)
		}
		return nil
	}
}

func TestAccGlobalEdgeCdn_basic(t *testing.T) {
	g := acctest.NewTarget(t)
	prof, name := acctest.RandName("tf-acc-prof"), acctest.RandName("tf-acc-edge")
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{{
			Config: cdnConfig(prof, name, "KOREA", ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(cdnAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(idRE)),
				statecheck.ExpectKnownValue(cdnAddr, tfjsonpath.New("status"), knownvalue.StringExact("RUNNING")),
				statecheck.ExpectKnownValue(cdnAddr, tfjsonpath.New("domain_name"), knownvalue.StringRegexp(domainRE)),
				statecheck.ExpectKnownValue(cdnAddr, tfjsonpath.New("protocol_type"), knownvalue.StringExact("HTTPS")),
				statecheck.ExpectKnownValue(cdnAddr, tfjsonpath.New("origin").AtMapKey("port"), knownvalue.Int64Exact(80)),
				statecheck.ExpectKnownValue(cdnAddr, tfjsonpath.New("origin").AtMapKey("region"), knownvalue.StringExact("KR")),
				statecheck.ExpectKnownValue(cdnAddr, tfjsonpath.New("caching"), knownvalue.Null()),
			},
			Check: resource.ComposeAggregateTestCheckFunc(checkInventory(t, g, 1, 1), checkEdge(t, g, func(e *wire.Edge) error {
				// Left-out blocks were sent with the documented defaults.
				if !e.CachingConfig.NegativeTTL || e.CachingConfig.DefaultCaching.CacheRevalidateConfig.Age != 7 || !e.ManagedRule.HTTP2 ||
					e.OptimizationConfig.HeaderMaxSize.TotalSize != "SIZE_32KB" || e.AccessControl.Type != "WHITELIST" {
					return fmt.Errorf("defaults: %+v", e)
				}
				return nil
			})),
			ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(cdnAddr, plancheck.ResourceActionCreate)),
		}},
	})
}

// fullBody sets every block.
const fullBody = `
  protocol_type = "ALL"

  logging {
    bucket_name   = "tf-acc-logs"
    bucket_prefix = "edge/"
  }

  caching {
    rule              = "CACHING"
    age_type          = "HOURS"
    age               = 12
    negative_ttl      = false
    query_string_mode = "ALLOW_SPECIFIC_STRING"
    query_strings     = ["v"]

    edge_auth {
      type      = "SIGNED_URL"
      token_key = "s3cr3t-token-key"
    }
  }

  caching_rule {
    name       = "static"
    type       = "FILE_EXTENSION"
    conditions = ["jpg", "png"]
    definition = "CACHING"
    revalidate = "ALWAYS"
    age_type   = "DAYS"
    age        = 30
  }

  managed_rules {
    cors = true
  }

  header_policy {
    target = "RESPONSE"
    action = "ADD"
    name   = "X-Served-By"
    value  = "ncp"
  }

  optimization {
    http_compression = false
  }

  access_control {
    type        = "BLACKLIST"
    ip_policies = ["10.0.0.0/8"]
  }
`

func TestAccGlobalEdgeCdn_updateImport(t *testing.T) {
	g := acctest.NewTarget(t)
	prof, name1, name2 := acctest.RandName("tf-acc-prof"), acctest.RandName("tf-acc-edge"), acctest.RandName("tf-acc-edge")
	full := cdnConfig(prof, name2, "KOREA", fullBody)
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			{
				Config:           cdnConfig(prof, name1, "KOREA", ""),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(),
			},
			{
				// Every block and the name change in place.
				Config: full,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(cdnAddr, tfjsonpath.New("name"), knownvalue.StringExact(name2)),
					statecheck.ExpectKnownValue(cdnAddr, tfjsonpath.New("status"), knownvalue.StringExact("RUNNING")),
					statecheck.ExpectKnownValue(cdnAddr, tfjsonpath.New("caching").AtMapKey("age"), knownvalue.Int64Exact(12)),
				},
				Check: checkEdge(t, g, func(e *wire.Edge) error {
					c := e.CachingConfig
					if e.DistributionConfig.ProtocolType != "ALL" || !e.DistributionConfig.EdgeLogging.Enabled || c.NegativeTTL ||
						c.DefaultCaching.CacheRevalidateConfig.AgeType != "HOURS" || c.EdgeAuth.TokenKey != "s3cr3t-token-key" ||
						len(c.CachingRules) != 1 || c.CachingRules[0].CacheRevalidateConfig.Age != 30 || !e.ManagedRule.Cors ||
						len(e.HeaderPolicies) != 1 || e.OptimizationConfig.HTTPCompression || e.AccessControl.IPPolicies[0] != "10.0.0.0/8" {
						return fmt.Errorf("edited edge: %+v", e)
					}
					return nil
				}),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(cdnAddr, plancheck.ResourceActionUpdate)),
			},
			acctest.ImportStep(full, cdnAddr, ""),
			acctest.ImportBlockStep(full, cdnAddr, "", plancheck.ExpectResourceAction(cdnAddr, plancheck.ResourceActionNoop)),
			{
				// The region cannot be edited: the edge is replaced.
				Config:           cdnConfig(prof, name2, "GLOBAL", fullBody),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(cdnAddr, plancheck.ResourceActionDestroyBeforeCreate)),
				Check:            resource.ComposeAggregateTestCheckFunc(checkEdge(t, g, nil), checkInventory(t, g, 1, 1)),
			},
			{
				// Blocks removed go back to the defaults, in place.
				Config:           cdnConfig(prof, name2, "GLOBAL", ""),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(cdnAddr, plancheck.ResourceActionUpdate)),
				Check: checkEdge(t, g, func(e *wire.Edge) error {
					if e.DistributionConfig.EdgeLogging.Enabled || e.CachingConfig.EdgeAuth.Enabled || len(e.HeaderPolicies) != 0 {
						return fmt.Errorf("not reset: %+v", e)
					}
					return nil
				}),
			},
		},
	})
}

func TestAccGlobalEdgeCdn_disappears(t *testing.T) {
	g := acctest.NewTarget(t)
	cfg := cdnConfig(acctest.RandName("tf-acc-prof"), acctest.RandName("tf-acc-edge"), "KOREA", "")
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: acctest.DisappearsSteps(cfg, cdnAddr, func(s *terraform.State) error {
			id, err := strconv(s.RootModule().Resources[cdnAddr].Primary.ID)
			if err != nil {
				return err
			}
			return globaledge.DeleteEdge(context.Background(), geclient.New(g.Client(t)), acctest.TestWaitConfig, id)
		}, checkEdge(t, g, nil)),
	})
}

func TestAccGlobalEdgeCdn_badInput(t *testing.T) {
	g := acctest.NewTarget(t)
	prof, name := acctest.RandName("tf-acc-prof"), acctest.RandName("tf-acc-edge")
	plan := func(region, body string, want ...string) resource.TestStep {
		return resource.TestStep{Config: cdnConfig(prof, name, region, body), PlanOnly: true, ExpectError: acctest.ErrorPattern(want...)}
	}
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			plan("MARS", "", "region_type", "value must be one of"),
			plan("KOREA", `protocol_type = "FTP"`, "protocol_type", "value must be one of"),
			plan("KOREA", `domain_type = "CUSTOM_DOMAIN"`, "Attribute domain_name is required when domain_type is CUSTOM_DOMAIN"),
			plan("KOREA", `domain_name = "x.example.com"`, "domain_name must not be set with domain_type NCP_DOMAIN_AUTO"),
			plan("KOREA", `caching {
    age = -1
  }`, "caching.age", "at least 0"),
			plan("KOREA", `caching {
    query_string_mode = "ALLOW_SPECIFIC_STRING"
  }`, "caching.query_strings must list at least one"),
			plan("KOREA", `header_policy {
    target = "RESPONSE"
    action = "ADD"
    name   = "X"
  }`, "header_policy[0].value is required unless action is REMOVE"),
			plan("KOREA", `caching_rule {
    name       = "r"
    type       = "SUFFIX"
    conditions = ["a"]
    definition = "CACHING"
  }`, "caching_rule[0].type", "value must be one of"),
			{
				Config: acctest.ConfigCompose(fmt.Sprintf(`
resource "ncp_global_edge_cdn" "test" {
  profile_id  = "1"
  name        = %q
  region_type = "KOREA"
  origin {
    type = "CUSTOM"
    port = 70000
  }
}
`, name)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`origin.port|origin\.custom_location`),
			},
			{
				Config: acctest.ConfigCompose(fmt.Sprintf(`
resource "ncp_global_edge_cdn" "test" {
  profile_id  = "1"
  name        = %q
  region_type = "KOREA"
}
`, name)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`origin`),
			},
			{
				// An unknown profile is NCP's 0040, naming the field.
				Config: acctest.ConfigCompose(fmt.Sprintf(`
resource "ncp_global_edge_cdn" "test" {
  profile_id  = "999999"
  name        = %q
  region_type = "KOREA"
  origin {
    bucket_name = "b"
  }
}
`, name)),
				ExpectError: acctest.ErrorPattern("0040", "profileId"),
			},
		},
	})
}

// checkInventory checks that ncplocal holds profiles profiles and edges
// edges, every edge RUNNING: nothing duplicated, nothing orphaned.
func checkInventory(t *testing.T, g *acctest.Target, profiles, edges int) resource.TestCheckFunc {
	return g.LocalCheck(t, "the emulator's inventory", func(*terraform.State) error {
		var inv ncplocalge.Inventory
		if _, err := acctest.DecodeInventory(g.Server(t, "inventory"), ncplocal.DefaultCredential.AccountID, ncplocalge.ServiceName, &inv); err != nil {
			return err
		}
		if len(inv.Profiles) != profiles || len(inv.Edges) != edges {
			return fmt.Errorf("ncplocal holds %d profiles and %d edges, want %d and %d", len(inv.Profiles), len(inv.Edges), profiles, edges)
		}
		for _, e := range inv.Edges {
			if e.StatusType != wire.StatusRunning {
				return fmt.Errorf("edge %d is %s", e.ID, e.StatusType)
			}
		}
		return nil
	})
}
