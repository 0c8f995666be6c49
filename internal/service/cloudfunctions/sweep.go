package cloudfunctions

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	cfclient "github.com/ncplabs/terraform-provider-ncp/internal/client/cloudfunctions"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// SweepCloudFunctions deletes what acceptance tests left behind (run by
// internal/sweep): the triggers whose names start with prefix, then the
// sequences and actions whose own or package's name does, then those
// packages, through the resources' own deletes. It deletes what it can
// and returns every failure.
func SweepCloudFunctions(ctx context.Context, c *client.Client, _ wait.Config, prefix string) error {
	if prefix == "" {
		return errors.New("refusing to sweep without a name prefix")
	}
	conn := cfclient.New(c)
	var errs []error
	fail := func(what string, err error) { errs = append(errs, fmt.Errorf("%s: %w", what, err)) }

	triggers, err := conn.ListTriggers(ctx)
	if err != nil {
		return fmt.Errorf("listing triggers: %w", err)
	}
	for _, t := range triggers.Triggers {
		if !strings.HasPrefix(t.Name, prefix) {
			continue
		}
		tflog.Info(ctx, "sweeping Cloud Functions trigger", map[string]any{"trigger": t.Name})
		name := t.Name
		if err := deleteByName(ctx, conn.Attempts(), func(ctx context.Context) error { return conn.DeleteTrigger(ctx, name) },
			func(ctx context.Context) error { _, err := conn.GetTrigger(ctx, name); return err }); err != nil {
			fail("trigger "+name, err)
		}
	}

	packages, err := conn.ListPackages(ctx)
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("listing packages: %w", err))...)
	}
	pkgs := []string{wire.NoPackage}
	for _, p := range packages.Packages {
		pkgs = append(pkgs, p.Name)
	}
	for _, pkg := range pkgs {
		actions, err := conn.ListActions(ctx, pkg)
		if err != nil {
			fail("actions of package "+pkg, err)
			continue
		}
		// Sequences first: they name the actions.
		list := slices.Clone(actions.Actions)
		slices.SortStableFunc(list, func(a, b wire.ActionSummary) int {
			return boolRank(a.Kind != wire.KindSequence) - boolRank(b.Kind != wire.KindSequence)
		})
		for _, a := range list {
			if !strings.HasPrefix(pkg, prefix) && !strings.HasPrefix(a.Name, prefix) {
				continue
			}
			tflog.Info(ctx, "sweeping Cloud Functions action", map[string]any{"action": actionID(pkg, a.Name)})
			pkg, name := pkg, a.Name
			if err := deleteByName(ctx, conn.Attempts(), func(ctx context.Context) error { return conn.DeleteAction(ctx, pkg, name) },
				func(ctx context.Context) error { _, err := conn.GetAction(ctx, pkg, name); return err }); err != nil {
				fail("action "+actionID(pkg, name), err)
			}
		}
		if pkg == wire.NoPackage || !strings.HasPrefix(pkg, prefix) {
			continue
		}
		tflog.Info(ctx, "sweeping Cloud Functions package", map[string]any{"package": pkg})
		if err := deleteByName(ctx, conn.Attempts(), func(ctx context.Context) error { return conn.DeletePackage(ctx, pkg) },
			func(ctx context.Context) error { _, err := conn.GetPackage(ctx, pkg); return err }); err != nil {
			fail("package "+pkg, err)
		}
	}
	return errors.Join(errs...)
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
