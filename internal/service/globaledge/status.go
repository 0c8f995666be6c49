package globaledge

import (
	"context"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

// statusEdge returns the refresh function of an edge waiter: the edge's
// status (one call), wait.Gone when NCP no longer has it or shows it
// DELETED [?].
func statusEdge(conn *geclient.Client, id int64) func(context.Context) (string, string, error) {
	return func(ctx context.Context) (string, string, error) {
		st, err := conn.EdgeStatus(ctx, id)
		if client.IsNotFound(err) || (err == nil && st == wire.StatusDeleted) {
			return wait.Gone, wait.Gone, nil
		}
		if err != nil {
			return "", "", err
		}
		return st, st, nil
	}
}
