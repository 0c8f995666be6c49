package globaledge

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
)

// SweepEdges deletes, through the resource's own delete (stop, wait,
// delete, wait), every edge named prefix… and every edge of a profile
// named prefix…; it deletes what it can and returns every failure.
func SweepEdges(ctx context.Context, c *client.Client, cfg wait.Config, prefix string) error {
	if prefix == "" {
		return errors.New("refusing to sweep without a name prefix")
	}
	conn := geclient.New(c)
	profiles, err := conn.ListProfiles(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range profiles {
		edges, err := conn.ListEdges(ctx, p.ID)
		if err != nil {
			errs = append(errs, fmt.Errorf("edges of profile %d: %w", p.ID, err))
			continue
		}
		for _, e := range edges {
			if !strings.HasPrefix(e.EdgeName, prefix) && !strings.HasPrefix(p.ProfileName, prefix) {
				continue
			}
			tflog.Info(ctx, "sweeping Global Edge edge", map[string]any{"edge_id": e.ID, "name": e.EdgeName})
			if err := deleteEdge(ctx, conn, cfg, e.ID); err != nil {
				errs = append(errs, fmt.Errorf("edge %d: %w", e.ID, err))
			}
		}
	}
	return errors.Join(errs...)
}

// SweepProfiles deletes every profile named prefix… (after SweepEdges).
func SweepProfiles(ctx context.Context, c *client.Client, cfg wait.Config, prefix string) error {
	if prefix == "" {
		return errors.New("refusing to sweep without a name prefix")
	}
	conn := geclient.New(c)
	profiles, err := conn.ListProfiles(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range profiles {
		if !strings.HasPrefix(p.ProfileName, prefix) {
			continue
		}
		tflog.Info(ctx, "sweeping Global Edge profile", map[string]any{"profile_id": p.ID, "name": p.ProfileName})
		if err := deleteProfile(ctx, conn, cfg, p.ID); err != nil {
			errs = append(errs, fmt.Errorf("profile %d: %w", p.ID, err))
		}
	}
	return errors.Join(errs...)
}
