package vpc

import (
	"context"
	"slices"

	vpcclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// How the VPC API's objects plug into package reconcile.

// Prefixes of the names the provider generates (reconcile.GenerateName) when
// name is not set; the result follows the NCP name rule.
const (
	vpcNamePrefix    = "tf-vpc"
	subnetNamePrefix = "tf-subnet"
)

// numberImport is the import format of an object imported by its NCP
// number, e.g. numberImport("a VPC", "vpc_no").
func numberImport(what, numberAttr string) reconcile.ImportFormat {
	return reconcile.ImportFormat{
		What:  what,
		Is:    "its number (" + numberAttr + "), such as 12345",
		Valid: numberRE.MatchString,
	}
}

// deleteObject is the reconcile.Delete of VPC or subnet no, sent by send
// (ncp-api.md §5.4): an uncertain, not-found or "wrong status" answer is
// decided by status; gone or TERMTING means the deletion is under way; INIT
// or CREATING (a create that failed half way) is waited out with
// waitCreated, then the delete is sent again; RUN means nothing was done,
// and it is sent again, at most conn.Attempts() times in all. NCP's "please
// try again" (busy) is sent again until ctx ends.
func deleteObject[T any](conn *vpcclient.Client, cfg wait.Config, status func(context.Context) (T, string, error),
	waitCreated func(context.Context, *vpcclient.Client, wait.Config, string) (T, error), no string, send func(context.Context) error,
) reconcile.Delete {
	return reconcile.Delete{
		Attempts: conn.Attempts(),
		Send:     send,
		Status: func(ctx context.Context) (string, error) {
			_, st, err := status(ctx)
			return st, err
		},
		Recheck:  func(err error) bool { return reconcile.HasCode(err, wire.CodeInvalidStatus) },
		Deleting: []string{wire.StatusTermting},
		Creating: []string{wire.StatusInit, wire.StatusCreating},
		WaitCreated: func(ctx context.Context) error {
			_, err := waitCreated(ctx, conn, cfg, no)
			return err
		},
		Idle: []string{wire.StatusRun},
		Busy: busy(cfg),
	}
}

// busy is the VPC API's "please try again" answer (1001015, 3000;
// ncp-api.md §5.5): NCP gives it to a subnet create or delete while another
// subnet of the same VPC is being created or deleted, which the client
// core's few quick retries may not outlast (several resources of one VPC
// applied in parallel). It is sent again until the resource's timeout, first
// after about half a subnet transition, then further apart, like a wait.
func busy(cfg wait.Config) reconcile.Busy {
	return reconcile.Busy{
		Is: func(err error) bool {
			return slices.ContainsFunc(wire.RetryableCodes, func(code string) bool { return reconcile.HasCode(err, code) })
		},
		Retry: cfg.WithTypical(vpcclient.TypicalSubnetTransition),
	}
}
