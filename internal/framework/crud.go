package framework

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/fwmodel"
)

// The helpers below are the start every CRUD and Read method shares: check
// that the provider is configured (CheckConfigured), decode the request's
// plan, state or configuration into the method's model, and bound ctx by the
// operation's timeout. Each adds what went wrong to diags and reports false;
// the caller then returns. The Begin helpers return a context and its
// cancel, which the caller defers:
//
//	var plan fooResourceModel
//	ctx, cancel, ok := framework.BeginCreate(ctx, r.meta, req.Plan, &plan, &plan.Timeouts, &resp.Diagnostics)
//	if !ok {
//		return
//	}
//	defer cancel()
//
// t points at the model's timeouts block field: it is read once the model
// is decoded, so the timeout is the one the plan or state holds.

// ConfiguredPlan checks that meta is configured and decodes plan into
// model. For a Create or Update that has no timeout of its own.
func ConfiguredPlan[M any](ctx context.Context, meta *conns.Meta, plan tfsdk.Plan, model *M, diags *diag.Diagnostics) bool {
	if !CheckConfigured(meta, diags) {
		return false
	}
	diags.Append(plan.Get(ctx, model)...)
	return !diags.HasError()
}

// ConfiguredState checks that meta is configured and decodes state into
// model. For a Delete that has no timeout of its own.
func ConfiguredState[M any](ctx context.Context, meta *conns.Meta, state tfsdk.State, model *M, diags *diag.Diagnostics) bool {
	if !CheckConfigured(meta, diags) {
		return false
	}
	diags.Append(state.Get(ctx, model)...)
	return !diags.HasError()
}

// ConfiguredConfig checks that meta is configured and decodes config into
// model. For a data source's Read that has no timeout of its own.
func ConfiguredConfig[M any](ctx context.Context, meta *conns.Meta, config tfsdk.Config, model *M, diags *diag.Diagnostics) bool {
	if !CheckConfigured(meta, diags) {
		return false
	}
	diags.Append(config.Get(ctx, model)...)
	return !diags.HasError()
}

// ConfiguredPlanAndState checks that meta is configured and decodes plan
// into planModel and state into stateModel (both, so that every error is
// reported at once). For an Update that has no timeout of its own, or one
// that takes it only on some paths.
func ConfiguredPlanAndState[M any](ctx context.Context, meta *conns.Meta, plan tfsdk.Plan, state tfsdk.State,
	planModel, stateModel *M, diags *diag.Diagnostics,
) bool {
	if !CheckConfigured(meta, diags) {
		return false
	}
	diags.Append(plan.Get(ctx, planModel)...)
	diags.Append(state.Get(ctx, stateModel)...)
	return !diags.HasError()
}

// BeginCreate starts a Create: ConfiguredPlan, then ctx bounded by the
// block's create timeout (DefaultCreateTimeout unless set).
func BeginCreate[M any](ctx context.Context, meta *conns.Meta, plan tfsdk.Plan, model *M, t *timeouts.Value,
	diags *diag.Diagnostics,
) (context.Context, context.CancelFunc, bool) {
	if !ConfiguredPlan(ctx, meta, plan, model, diags) {
		return ctx, func() {}, false
	}
	return WithTimeout(ctx, t.Create, DefaultCreateTimeout, diags)
}

// BeginUpdate starts an Update: ConfiguredPlanAndState, then ctx bounded
// by the planned block's update timeout (DefaultUpdateTimeout unless set).
func BeginUpdate[M any](ctx context.Context, meta *conns.Meta, plan tfsdk.Plan, state tfsdk.State, planModel, stateModel *M,
	t *timeouts.Value, diags *diag.Diagnostics,
) (context.Context, context.CancelFunc, bool) {
	if !ConfiguredPlanAndState(ctx, meta, plan, state, planModel, stateModel, diags) {
		return ctx, func() {}, false
	}
	return WithTimeout(ctx, t.Update, DefaultUpdateTimeout, diags)
}

// BeginDelete starts a Delete: ConfiguredState, then ctx bounded by the
// block's delete timeout (DefaultDeleteTimeout unless set).
func BeginDelete[M any](ctx context.Context, meta *conns.Meta, state tfsdk.State, model *M, t *timeouts.Value,
	diags *diag.Diagnostics,
) (context.Context, context.CancelFunc, bool) {
	if !ConfiguredState(ctx, meta, state, model, diags) {
		return ctx, func() {}, false
	}
	return WithTimeout(ctx, t.Delete, DefaultDeleteTimeout, diags)
}

// BeginRead starts a resource's Read: checks meta, bounds ctx by
// WithReadTimeout and decodes state into model (fwmodel.GetState, the
// refresh path's fast decoder).
func BeginRead[M any](ctx context.Context, meta *conns.Meta, state tfsdk.State, model *M, diags *diag.Diagnostics,
) (context.Context, context.CancelFunc, bool) {
	if !CheckConfigured(meta, diags) {
		return ctx, func() {}, false
	}
	ctx, cancel := WithReadTimeout(ctx)
	diags.Append(fwmodel.GetState(ctx, state, model)...)
	if diags.HasError() {
		cancel()
		return ctx, func() {}, false
	}
	return ctx, cancel, true
}

// BeginDataSourceRead starts a data source's Read: checks meta, bounds ctx
// by WithReadTimeout and decodes config into model.
func BeginDataSourceRead[M any](ctx context.Context, meta *conns.Meta, config tfsdk.Config, model *M,
	diags *diag.Diagnostics,
) (context.Context, context.CancelFunc, bool) {
	if !CheckConfigured(meta, diags) {
		return ctx, func() {}, false
	}
	ctx, cancel := WithReadTimeout(ctx)
	diags.Append(config.Get(ctx, model)...)
	if diags.HasError() {
		cancel()
		return ctx, func() {}, false
	}
	return ctx, cancel, true
}
