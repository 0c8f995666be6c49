package globaledge

import (
	"context"

	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
)

// StopAndDeleteEdge drives edge id to gone exactly as ncp_global_edge_cdn's
// destroy does (stop, wait until STOPPED, delete, wait until gone; an edge
// already gone counts as deleted). ncp_vod_channel uses it for the edge NCP
// creates with a channel and leaves behind when the channel is deleted.
func StopAndDeleteEdge(ctx context.Context, conn *geclient.Client, cfg wait.Config, id int64) error {
	return deleteEdge(ctx, conn, cfg, id)
}
