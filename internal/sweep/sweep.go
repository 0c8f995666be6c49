// Package sweep deletes what acceptance tests left behind in an NCP account:
// every object whose name starts with acctest.NamePrefix ("tf-acc-"), in
// dependency order, as terraform-provider-aws's sweepers do. It is run as
//
//	go test ./internal/sweep -sweep=KR        (or: make sweep SWEEP=KR)
//
// with the provider's environment (NCLOUD_ACCESS_KEY, NCLOUD_SECRET_KEY,
// NCLOUD_SITE, NCP_ENDPOINT_URL, or the ncloud CLI file); -sweep lists the
// regions, -sweep-run picks sweepers by name, -sweep-allow-failures goes on
// after a failure. Without -sweep the package runs its own tests.
package sweep

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/provider"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/cloudfunctions"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/vpc"
)

// Timeout bounds one sweeper in one region.
const Timeout = 30 * time.Minute

// Sweepers returns the sweepers by name, reading the environment through
// lookup: a subnet goes before the network ACL it uses, both before their
// VPC; buckets stand alone.
func Sweepers(lookup func(string) (string, bool)) map[string]*resource.Sweeper {
	run := func(sweep func(context.Context, *client.Client, wait.Config, string) error) resource.SweeperFunc {
		return func(region string) error {
			ctx, cancel := context.WithTimeout(context.Background(), Timeout)
			defer cancel()
			cfg, err := provider.ClientConfig(ctx, provider.WithEnv(inRegion(lookup, region)))
			if err != nil {
				return fmt.Errorf("configuring the client for region %s: %w", region, err)
			}
			c, err := client.New(cfg)
			if err != nil {
				return err
			}
			return sweep(ctx, c, wait.DefaultConfig(), acctest.NamePrefix)
		}
	}
	return map[string]*resource.Sweeper{
		"ncp_subnet": {Name: "ncp_subnet", F: run(vpc.SweepSubnets)},
		"ncp_network_acl": {Name: "ncp_network_acl", Dependencies: []string{"ncp_subnet"},
			F: run(func(ctx context.Context, c *client.Client, _ wait.Config, prefix string) error {
				return vpc.SweepNetworkAcls(ctx, c, prefix)
			})},
		"ncp_vpc":                   {Name: "ncp_vpc", Dependencies: []string{"ncp_subnet", "ncp_network_acl"}, F: run(vpc.SweepVpcs)},
		"ncp_object_storage_bucket": {Name: "ncp_object_storage_bucket", F: run(objectstorage.SweepBuckets)},
		"ncp_vod_channel":           {Name: "ncp_vod_channel", F: run(vodstation.SweepChannels)},
		"ncp_vod_category":          {Name: "ncp_vod_category", F: run(vodstation.SweepCategories)},
		"ncp_vod_encoding_option":   {Name: "ncp_vod_encoding_option", Dependencies: []string{"ncp_vod_category"}, F: run(vodstation.SweepEncodingOptions)},
		"ncp_global_edge_cdn":       {Name: "ncp_global_edge_cdn", Dependencies: []string{"ncp_vod_channel"}, F: run(globaledge.SweepEdges)},
		"ncp_global_edge_profile":   {Name: "ncp_global_edge_profile", Dependencies: []string{"ncp_global_edge_cdn"}, F: run(globaledge.SweepProfiles)},
		// Actions run in subnets and triggers name bucket event rules: they go first.
		"ncp_cloud_functions": {Name: "ncp_cloud_functions", F: run(cloudfunctions.SweepCloudFunctions)},
	}
}

// inRegion is lookup with NCLOUD_REGION set to region.
func inRegion(lookup func(string) (string, bool), region string) func(string) (string, bool) {
	return func(key string) (string, bool) {
		if key == provider.EnvRegion {
			return region, true
		}
		return lookup(key)
	}
}

// Order returns the names of sweepers in an order that runs every
// sweeper's dependencies before it (the order the sweeper runner of
// terraform-plugin-testing follows); an unknown dependency or a cycle is an
// error.
func Order(sweepers map[string]*resource.Sweeper) ([]string, error) {
	var (
		order []string
		state = map[string]int{} // 1 visiting, 2 done
		visit func(name string, path []string) error
	)
	visit = func(name string, path []string) error {
		s, ok := sweepers[name]
		switch {
		case !ok:
			return fmt.Errorf("sweeper %q (needed by %v) does not exist", name, path)
		case state[name] == 2:
			return nil
		case state[name] == 1:
			return fmt.Errorf("sweepers depend on each other in a cycle: %v", append(path, name))
		}
		state[name] = 1
		for _, d := range s.Dependencies {
			if err := visit(d, append(path, name)); err != nil {
				return err
			}
		}
		state[name] = 2
		order = append(order, name)
		return nil
	}
	names := make([]string, 0, len(sweepers))
	for n := range sweepers {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if err := visit(n, nil); err != nil {
			return nil, err
		}
	}
	return order, nil
}
