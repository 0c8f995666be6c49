package framework

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// Default timeouts of long-running operations. A resource uses them as the
// defaults of its terraform-plugin-framework-timeouts block, e.g.
// plan.Timeouts.Create(ctx, framework.DefaultCreateTimeout).
const (
	DefaultCreateTimeout = 20 * time.Minute
	DefaultReadTimeout   = 5 * time.Minute
	DefaultUpdateTimeout = 20 * time.Minute
	DefaultDeleteTimeout = 20 * time.Minute
)

// WithTimeout bounds ctx by the timeout of one operation as the resource's
// timeouts block gives it: timeout is the block's method for the operation
// (plan.Timeouts.Create, state.Timeouts.Delete, ...), def its default. It
// adds the block's diagnostics to diags and reports false when diags then
// holds an error; the caller returns. Otherwise the caller defers cancel:
//
//	ctx, cancel, ok := framework.WithTimeout(ctx, plan.Timeouts.Create, framework.DefaultCreateTimeout, &resp.Diagnostics)
//	if !ok {
//		return
//	}
//	defer cancel()
func WithTimeout(ctx context.Context, timeout func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	def time.Duration, diags *diag.Diagnostics,
) (context.Context, context.CancelFunc, bool) {
	d, tdiags := timeout(ctx, def)
	diags.Append(tdiags...)
	if diags.HasError() {
		return ctx, func() {}, false
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	return ctx, cancel, true
}

// WithReadTimeout bounds ctx by DefaultReadTimeout for one resource or data
// source Read, which has no timeouts block of its own: a refresh that hangs
// (a stalled connection, an endless retry) then fails instead of blocking
// the whole plan. The caller defers cancel:
//
//	ctx, cancel := framework.WithReadTimeout(ctx)
//	defer cancel()
func WithReadTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, DefaultReadTimeout)
}

// TimeoutsBlock is the `timeouts` block of a resource whose create and
// delete wait for NCP: createWaitsFor and deleteWaitsFor finish the
// sentences "How long to wait for ..." in the documentation, e.g. "the VPC
// to be created and become `RUN`".
func TimeoutsBlock(ctx context.Context, createWaitsFor, deleteWaitsFor string) schema.Block {
	return timeoutsBlock(ctx, createWaitsFor, "", deleteWaitsFor)
}

// TimeoutsBlockWithUpdate is TimeoutsBlock for a resource whose in-place
// update waits for NCP too (updateWaitsFor, e.g. "a network ACL change to
// be applied"); Update bounds its context with DefaultUpdateTimeout or the
// block's update value.
func TimeoutsBlockWithUpdate(ctx context.Context, createWaitsFor, updateWaitsFor, deleteWaitsFor string) schema.Block {
	return timeoutsBlock(ctx, createWaitsFor, updateWaitsFor, deleteWaitsFor)
}

// timeoutsBlock builds the block; an empty updateWaitsFor leaves update out.
func timeoutsBlock(ctx context.Context, createWaitsFor, updateWaitsFor, deleteWaitsFor string) schema.Block {
	describe := func(waitsFor string, def time.Duration) string {
		return fmt.Sprintf("How long to wait for %s, as a Go duration such as `30m`. Default: `%s`.", waitsFor, def)
	}
	opts := timeouts.Opts{
		Create:            true,
		Delete:            true,
		CreateDescription: describe(createWaitsFor, DefaultCreateTimeout),
		DeleteDescription: describe(deleteWaitsFor, DefaultDeleteTimeout),
	}
	if updateWaitsFor != "" {
		opts.Update = true
		opts.UpdateDescription = describe(updateWaitsFor, DefaultUpdateTimeout)
	}
	block := timeouts.Block(ctx, opts)
	if nested, ok := block.(schema.SingleNestedBlock); ok {
		nested.MarkdownDescription = "How long create and delete may wait for NCP before they fail. " +
			"A timed-out create leaves the resource tainted in state, so nothing is lost."
		if updateWaitsFor != "" {
			nested.MarkdownDescription = "How long create, update and delete may wait for NCP before they fail. " +
				"A timed-out create leaves the resource tainted in state, so nothing is lost."
		}
		return nested
	}
	return block
}
