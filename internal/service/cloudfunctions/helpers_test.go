package cloudfunctions_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	cfclient "github.com/ncplabs/terraform-provider-ncp/internal/client/cloudfunctions"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// Addresses of the resources in the test configurations.
const (
	packageAddress  = "ncp_cloud_functions_package.test"
	actionAddress   = "ncp_cloud_functions_action.test"
	sequenceAddress = "ncp_cloud_functions_sequence.test"
	triggerAddress  = "ncp_cloud_functions_trigger.test"
)

// cfName returns a random Cloud Functions name for a test.
func cfName(prefix string) string { return acctest.RandName(acctest.NamePrefix + prefix) }

// targetCF returns a Cloud Functions client of the test's target, signed
// with the provider's credential.
func targetCF(t *testing.T, g *acctest.Target) *cfclient.Client {
	t.Helper()
	return cfclient.New(g.Client(t))
}

// networkConfig is the VPC and subnet every action runs in.
func networkConfig(g *acctest.Target, name string) string {
	return fmt.Sprintf(`
resource "ncp_vpc" "test" {
  name            = %[1]q
  ipv4_cidr_block = "10.0.0.0/16"
}

resource "ncp_subnet" "test" {
  vpc_no         = ncp_vpc.test.vpc_no
  name           = %[1]q
  subnet         = "10.0.1.0/24"
  zone           = %[2]q
  network_acl_no = ncp_vpc.test.default_network_acl_no
  subnet_type    = "PRIVATE"
}
`, name, g.Zone(0))
}

// vpcBlock is the vpc block of an action in networkConfig.
const vpcBlock = `
  vpc {
    vpc_no    = ncp_vpc.test.vpc_no
    subnet_no = ncp_subnet.test.subnet_no
  }
`

// writeFile writes content to path, making its folder.
func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkPackageParameters checks the parameters NCP holds for package name.
func checkPackageParameters(conn *cfclient.Client, name string, want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		p, err := conn.GetPackage(context.Background(), name)
		if err != nil {
			return err
		}
		if got := p.Parameters.Strings(); !mapsEqual(got, want) {
			return fmt.Errorf("package %s holds %d parameters with keys %v, want keys %v (values not shown)", name, len(got), keys(got), keys(want))
		}
		return nil
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// checkAction runs fn on the action NCP holds for id ("pkg/name").
func checkAction(conn *cfclient.Client, id string, fn func(*wire.Action) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		pkg, name, _ := strings.Cut(id, "/")
		a, err := conn.GetAction(context.Background(), pkg, name)
		if err != nil {
			return err
		}
		return fn(a)
	}
}

// checkTriggerLinks checks the actions linked to trigger name.
func checkTriggerLinks(conn *cfclient.Client, name string, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		tr, err := conn.GetTrigger(context.Background(), name)
		if err != nil {
			return err
		}
		var got []string
		for _, a := range tr.Actions {
			got = append(got, a.FullName())
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			return fmt.Errorf("trigger %s links %v, want %v", name, got, want)
		}
		return nil
	}
}

// checkCFDestroy checks that no package, action, sequence or trigger of
// the state survived the destroy.
func checkCFDestroy(conn *cfclient.Client) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		ctx := context.Background()
		for _, rs := range s.RootModule().Resources {
			var err error
			switch rs.Type {
			case "ncp_cloud_functions_package":
				_, err = conn.GetPackage(ctx, rs.Primary.ID)
			case "ncp_cloud_functions_action", "ncp_cloud_functions_sequence":
				pkg, name, _ := strings.Cut(rs.Primary.ID, "/")
				_, err = conn.GetAction(ctx, pkg, name)
			case "ncp_cloud_functions_trigger":
				_, err = conn.GetTrigger(ctx, rs.Primary.ID)
			default:
				continue
			}
			if err == nil {
				return fmt.Errorf("%s %s still exists", rs.Type, rs.Primary.ID)
			}
			if !client.IsNotFound(err) {
				return fmt.Errorf("checking %s %s: %w", rs.Type, rs.Primary.ID, err)
			}
		}
		return nil
	}
}

// oob runs fn as a TestCheckFunc: a change made outside Terraform.
func oob(fn func(ctx context.Context) error) resource.TestCheckFunc {
	return func(*terraform.State) error { return fn(context.Background()) }
}

// vpcSlots bounds the tests of this package that hold a VPC at the same
// time on TargetNCP, where they share one account and NCP allows three VPCs
// per region (leaving one for the other packages' tests). On TargetLocal
// every test has its own ncplocal and so its own account.
var vpcSlots = make(chan struct{}, 2)

// vpcTest runs tc in parallel like g.ParallelTest, holding a VPC slot on
// TargetNCP from the moment the test runs in parallel until it ends.
func vpcTest(t *testing.T, g *acctest.Target, tc resource.TestCase) {
	t.Helper()
	if g.Local() {
		g.ParallelTest(t, tc)
		return
	}
	t.Parallel()
	vpcSlots <- struct{}{}
	defer func() { <-vpcSlots }()
	if tc.PreCheck == nil {
		tc.PreCheck = func() { acctest.PreCheck(t) }
	}
	if tc.ProtoV6ProviderFactories == nil {
		tc.ProtoV6ProviderFactories = g.ProviderFactories()
	}
	resource.Test(t, tc)
}
