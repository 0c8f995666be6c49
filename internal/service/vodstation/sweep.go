package vodstation

import (
	"context"
	"errors"
	"strings"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	vodclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/globaledge"
)

// Sweepers: they delete the VOD Station objects acceptance tests left
// behind, those named prefix... (tf-acc-), through the resources' own
// delete code; a failure does not stop the others.

// SweepChannels stops and deletes the channels named prefix..., with the
// Global Edge edges NCP would leave behind for them (deleted once the
// channel is stopped, before the channel itself), as the resource's
// destroy does (delete_cdn_on_destroy): those edges are named after the
// channel, not prefix..., so the edge sweeper would miss them in a profile
// of another name.
func SweepChannels(ctx context.Context, c *client.Client, cfg wait.Config, prefix string) error {
	conn := vodclient.New(c)
	all, err := conn.AllChannels(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, ch := range all {
		if !strings.HasPrefix(ch.Name, prefix) {
			continue
		}
		tflog.Info(ctx, "sweeping VOD Station channel", map[string]any{"id": ch.ID, "name": ch.Name})
		var edge func(context.Context) error
		if ch.CdnEdgeID != nil {
			edgeID := *ch.CdnEdgeID
			edge = func(ctx context.Context) error {
				return globaledge.StopAndDeleteEdge(ctx, geclient.New(c), cfg, edgeID)
			}
		}
		errs = append(errs, deleteChannel(ctx, conn, cfg, ch.ID, edge))
	}
	return errors.Join(errs...)
}

// SweepCategories deletes the categories named prefix....
func SweepCategories(ctx context.Context, c *client.Client, _ wait.Config, prefix string) error {
	conn := vodclient.New(c)
	all, err := conn.AllCategories(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, cat := range all {
		if strings.HasPrefix(cat.Name, prefix) {
			tflog.Info(ctx, "sweeping VOD Station category", map[string]any{"id": cat.ID, "name": cat.Name})
			if err := conn.DeleteCategory(ctx, cat.ID); err != nil && !client.IsNotFound(err) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// SweepEncodingOptions deletes the custom encoding options named prefix....
func SweepEncodingOptions(ctx context.Context, c *client.Client, _ wait.Config, prefix string) error {
	conn := vodclient.New(c)
	all, err := conn.ListEncodingOptions(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, o := range all {
		if strings.HasPrefix(o.Name, prefix) && !isSystemOption(o.ID) {
			tflog.Info(ctx, "sweeping VOD Station encoding option", map[string]any{"id": o.ID, "name": o.Name})
			if err := conn.DeleteEncodingOption(ctx, o.ID); err != nil && !client.IsNotFound(err) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
