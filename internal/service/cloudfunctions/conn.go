package cloudfunctions

import (
	"context"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	cfclient "github.com/ncplabs/terraform-provider-ncp/internal/client/cloudfunctions"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
)

// cfConn is the Cloud Functions client of a provider block.
type cfConn = cfclient.Client

func newConn(meta *conns.Meta) *cfConn { return cfclient.New(meta.Client) }

// statusPresent is the status of an object that exists (packages, actions
// and triggers have no status of their own [I]).
const statusPresent = "PRESENT"

// deleteByName sends a delete (not idempotent: after a dropped connection
// its outcome is unknown) and decides an uncertain outcome by looking the
// object up (reconcile.DeleteReconciled): gone is success, still there
// means nothing was done and the delete is sent again. Not found at once
// counts as deleted.
func deleteByName(ctx context.Context, attempts int, send func(context.Context) error, get func(context.Context) error) error {
	err := reconcile.DeleteReconciled(ctx, reconcile.Delete{
		Attempts: attempts,
		Send:     send,
		Status: func(ctx context.Context) (string, error) {
			switch err := get(ctx); {
			case client.IsNotFound(err):
				return wait.Gone, nil
			case err != nil:
				return "", err
			}
			return statusPresent, nil
		},
		Idle: []string{statusPresent},
	})
	return err
}
