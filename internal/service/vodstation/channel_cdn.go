package vodstation

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/globaledge"
)

// NCP deletes a channel but leaves the Global Edge edge it created with
// createCdn (ncp-api.md §2.4), and a Global Edge profile cannot be deleted
// while it holds edges (§3). Left alone, `terraform destroy` of a channel
// and its profile would fail on the profile, or, without the profile in the
// configuration, leave a running, billed edge nobody manages. The edge was
// created by the channel resource, so by default its destroy removes it too.

// deleteCdnAttribute is the opt-out of that cleanup.
const deleteCdnAttribute = "delete_cdn_on_destroy"

func deleteCdnOnDestroySchema() schema.BoolAttribute {
	return schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true),
		MarkdownDescription: "Whether destroying the channel also stops and deletes the Global Edge edge created for it " +
			"(`cdn_edge_id`), waiting until it is gone, within the `delete` timeout (default `true`). NCP itself leaves a " +
			"deleted channel's edge running, and a Global Edge profile holding edges cannot be deleted. Set `false` to keep " +
			"the edge: it then stays in Global Edge, no longer managed by Terraform. Changes in place, without an API call."}
}

// deleteChannelEdge removes the channel's edge when the state asks for it;
// the channel's destroy runs it once the channel is stopped, before the
// channel's own delete (deleteChannel says why). An edge already gone
// (deleted by hand, by an earlier run of the destroy, or never finished)
// counts as deleted.
func deleteChannelEdge(ctx context.Context, c *client.Client, cfg wait.Config, state *channelModel) error {
	if state.CdnEdgeID.IsNull() || state.CdnEdgeID.IsUnknown() || !state.DeleteCdnOnDestroy.ValueBool() {
		return nil
	}
	edgeID := state.CdnEdgeID.ValueInt64()
	tflog.Debug(ctx, "deleting the Global Edge edge of a VOD Station channel being deleted",
		map[string]any{"channel_id": state.ID.ValueString(), "edge_id": edgeID})
	if err := globaledge.StopAndDeleteEdge(ctx, geclient.New(c), cfg, edgeID); err != nil {
		return fmt.Errorf("deleting its Global Edge edge %d first (the channel is stopped, not deleted; run destroy again to retry, "+
			"or set %s = false to keep the edge): %w", edgeID, deleteCdnAttribute, err)
	}
	return nil
}

// defaultDeleteCdn fills in the attribute's default where the state has
// none (after import).
func defaultDeleteCdn(m *channelModel) {
	if m.DeleteCdnOnDestroy.IsNull() || m.DeleteCdnOnDestroy.IsUnknown() {
		m.DeleteCdnOnDestroy = types.BoolValue(true)
	}
}
