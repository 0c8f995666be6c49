package globaledge

import (
	"context"
	"fmt"

	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

// The waiters poll on cfg, the provider's schedule (conns.Meta.Wait),
// until ctx ends; Create, Update and Delete bound ctx with the resource's
// timeouts.

func edgeWait(cfg wait.Config) wait.Config { return cfg.WithTypical(geclient.TypicalEdgeTransition) }

// waitEdgeRunning waits until edge id is RUNNING (after a create, an edit
// or an activation).
func waitEdgeRunning(ctx context.Context, conn *geclient.Client, cfg wait.Config, id int64) error {
	_, err := wait.Until(ctx, edgeWait(cfg), fmt.Sprintf("Global Edge edge %d to become %s", id, wire.StatusRunning), statusEdge(conn, id),
		[]string{wire.StatusPublishing, wire.StatusActivating}, []string{wire.StatusRunning})
	return err
}

// waitEdgeSettled waits until edge id is in no transition and returns the
// status it settled in: RUNNING, STOPPED or gone.
func waitEdgeSettled(ctx context.Context, conn *geclient.Client, cfg wait.Config, id int64) (string, error) {
	return wait.Until(ctx, edgeWait(cfg), fmt.Sprintf("Global Edge edge %d to finish its transition", id), statusEdge(conn, id),
		[]string{wire.StatusPublishing, wire.StatusActivating, wire.StatusStopping},
		[]string{wire.StatusRunning, wire.StatusStopped, wire.StatusDeleting, wait.Gone})
}

// waitEdgeDeleted waits until edge id is gone.
func waitEdgeDeleted(ctx context.Context, conn *geclient.Client, cfg wait.Config, id int64) error {
	_, err := wait.Until(ctx, edgeWait(cfg), fmt.Sprintf("Global Edge edge %d to be deleted", id), statusEdge(conn, id),
		[]string{wire.StatusDeleting}, []string{wait.Gone})
	return err
}
