package cloudfunctions

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/fwmodel"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

var (
	_ resource.Resource                     = (*triggerResource)(nil)
	_ resource.ResourceWithConfigure        = (*triggerResource)(nil)
	_ resource.ResourceWithImportState      = (*triggerResource)(nil)
	_ resource.ResourceWithConfigValidators = (*triggerResource)(nil)
)

// NewTriggerResource returns the ncp_cloud_functions_trigger resource.
func NewTriggerResource() resource.Resource { return &triggerResource{} }

// triggerResource is ncp_cloud_functions_trigger and its links.
type triggerResource struct {
	meta *conns.Meta
}

// Attribute names of ncp_cloud_functions_trigger.
const (
	attrCron          = "cron"
	attrObjectStorage = "object_storage"
)

// triggerTypes are the types ncp_cloud_functions_trigger manages.
var triggerTypes = []string{wire.TriggerTypeCron, wire.TriggerTypeObjectStorage}

// triggerResourceModel is ncp_cloud_functions_trigger.
type triggerResourceModel struct {
	ID            types.String   `tfsdk:"id"`
	Name          types.String   `tfsdk:"name"`
	Type          types.String   `tfsdk:"type"`
	Description   types.String   `tfsdk:"description"`
	Cron          types.String   `tfsdk:"cron"`
	ObjectStorage types.List     `tfsdk:"object_storage"`
	Parameters    types.Map      `tfsdk:"parameters"`
	Actions       types.Set      `tfsdk:"actions"`
	Timeouts      timeouts.Value `tfsdk:"timeouts"`
}

// objectStorageModel is one object_storage block.
type objectStorageModel struct {
	BucketName    types.String `tfsdk:"bucket_name"`
	EventRuleName types.String `tfsdk:"event_rule_name"`
}

var objectStorageType = types.ObjectType{AttrTypes: map[string]attr.Type{"bucket_name": types.StringType, "event_rule_name": types.StringType}}

func (r *triggerResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cloud_functions_trigger"
}

func (r *triggerResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.meta = framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
}

// Schema describes ncp_cloud_functions_trigger.
func (r *triggerResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a Cloud Functions trigger of type `cron` or `object_storage`, and the actions and " +
			"sequences it runs (its links).\n\n" +
			"The links are declared on the trigger as the set `actions`: adding an entry links that action, removing one " +
			"unlinks it, in place. A link made or removed outside Terraform shows as a change of `actions` at the next plan.\n\n" +
			"A `cron` trigger fires on a 5-field UNIX cron expression evaluated in **KST** (Korea Standard Time, UTC+9): " +
			"`0 9 * * *` fires at 09:00 KST, which is 00:00 UTC. An `object_storage` trigger fires on the events of a bucket " +
			"event rule (`ncp_object_storage_bucket_event`), which must exist first; NCP allows 10 triggers per bucket.",
		Attributes: map[string]schema.Attribute{
			attrID: idAttribute("The trigger name (same as `name`)."),
			attrName: schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Name of the trigger: " + wire.NameRule + ". Names are unique across the packages, " +
					"actions and triggers of the account. Changing it replaces the trigger.",
				Validators:    []validator.String{nameValidator{}},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			attrType: schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Type of the trigger: `cron` or `object_storage`. NCP cannot change it: changing it replaces the trigger.",
				Validators:          []validator.String{stringvalidator.OneOf(triggerTypes...)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			attrDescription: descriptionAttribute("trigger"),
			attrCron: schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "For `type = \"cron\"` (required there, refused otherwise): when the trigger fires, a " +
					"5-field UNIX cron expression (minute hour day-of-month month day-of-week; `*`, lists, ranges, `/` steps, " +
					"month and day names) evaluated in KST (UTC+9). Changes in place.",
				Validators: []validator.String{cronValidator{}},
			},
			attrParameters: parametersAttribute("trigger"),
			attrActions: schema.SetAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "The actions and sequences the trigger runs, each as `<package>/<action>` (`-/<action>` " +
					"for none), e.g. `ncp_cloud_functions_sequence.pipeline.id`. Links are added and removed in place.",
				Validators: []validator.Set{setvalidator.ValueStringsAre(actionRefValidator{})},
			},
		},
		Blocks: map[string]schema.Block{
			attrObjectStorage: schema.ListNestedBlock{
				MarkdownDescription: "For `type = \"object_storage\"` (at least one required there, refused otherwise): the " +
					"bucket event rules the trigger listens to. Changes in place.",
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"bucket_name": schema.StringAttribute{
							Required:            true,
							MarkdownDescription: "Name of the bucket, e.g. `ncp_object_storage_bucket.upload.bucket_name`.",
							Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
						},
						"event_rule_name": schema.StringAttribute{
							Required:            true,
							MarkdownDescription: "Name of the bucket's event rule, e.g. `ncp_object_storage_bucket_event.upload.name`.",
							Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
						},
					},
				},
				Validators: []validator.List{listvalidator.SizeAtMost(wire.MaxTriggersPerBucket)},
			},
			attrTimeouts: framework.TimeoutsBlockWithUpdate(ctx, "the trigger to be created and linked",
				"the trigger and its links to be updated", "the trigger to be deleted"),
		},
	}
}

// ConfigValidators ties cron and object_storage to the type.
func (r *triggerResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{triggerTypeValidator{}}
}

// triggerTypeValidator requires cron for cron triggers and object_storage
// for object_storage ones, and refuses them for the other type.
type triggerTypeValidator struct{}

func (triggerTypeValidator) Description(context.Context) string {
	return "cron goes with type cron, object_storage with type object_storage"
}

func (v triggerTypeValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (triggerTypeValidator) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var typ, cron types.String
	var os types.List
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrType), &typ)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrCron), &cron)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrObjectStorage), &os)...)
	if resp.Diagnostics.HasError() || typ.IsUnknown() || typ.IsNull() {
		return
	}
	hasOS := !os.IsNull() && (os.IsUnknown() || len(os.Elements()) > 0)
	switch typ.ValueString() {
	case wire.TriggerTypeCron:
		if cron.IsNull() {
			resp.Diagnostics.AddAttributeError(path.Root(attrCron), "Missing cron expression",
				"Attribute cron is required for a trigger of type cron.")
		}
		if hasOS {
			resp.Diagnostics.AddAttributeError(path.Root(attrObjectStorage), "object_storage on a cron trigger",
				"Block object_storage is only for triggers of type object_storage.")
		}
	case wire.TriggerTypeObjectStorage:
		if !hasOS {
			resp.Diagnostics.AddAttributeError(path.Root(attrObjectStorage), "Missing object_storage",
				"A trigger of type object_storage needs at least one object_storage block (bucket_name and event_rule_name).")
		}
		if !cron.IsNull() {
			resp.Diagnostics.AddAttributeError(path.Root(attrCron), "cron on an object_storage trigger",
				"Attribute cron is only for triggers of type cron.")
		}
	}
}

// triggerKind names triggers in messages and import hints.
var triggerKind = reconcile.Kind{Name: "Cloud Functions trigger", ResourceType: "ncp_cloud_functions_trigger", Key: "name", QuoteID: true}

// request builds the PUT body of the trigger itself (links apart).
func (m *triggerResourceModel) request(ctx context.Context, diags *diag.Diagnostics) wire.TriggerRequest {
	in := wire.TriggerRequest{Description: m.Description.ValueString()}
	if p := stringMap(ctx, m.Parameters, diags); len(p) > 0 {
		in.Parameters = wire.StringParameters(p)
	}
	switch m.Type.ValueString() {
	case wire.TriggerTypeCron:
		in.CronOption = m.Cron.ValueString()
	case wire.TriggerTypeObjectStorage:
		var links []objectStorageModel
		diags.Append(m.ObjectStorage.ElementsAs(ctx, &links, false)...)
		for _, l := range links {
			in.ObjectStorageLink = append(in.ObjectStorageLink, wire.ObjectStorageLink{
				BucketName: l.BucketName.ValueString(), EventRuleName: l.EventRuleName.ValueString(),
			})
		}
	}
	return in
}

// links returns the planned links, sorted.
func (m *triggerResourceModel) links(ctx context.Context, diags *diag.Diagnostics) []string {
	var out []string
	if !m.Actions.IsNull() && !m.Actions.IsUnknown() {
		diags.Append(m.Actions.ElementsAs(ctx, &out, false)...)
	}
	slices.Sort(out)
	return out
}

// setTrigger copies what NCP answers, the links included.
func (m *triggerResourceModel) setTrigger(t *wire.Trigger) {
	m.ID = types.StringValue(t.Name)
	m.Name = types.StringValue(t.Name)
	m.Type = types.StringValue(t.TypeName())
	m.Description = framework.StringValueOrNull(t.Description)
	m.Parameters = mapValue(t.Parameters.Strings(), m.Parameters)
	m.Cron = types.StringNull()
	for _, kv := range t.ExecOption {
		if kv.Key == wire.TriggerTypeCron {
			m.Cron = types.StringValue(kv.Value)
		}
	}
	if t.TypeName() == wire.TriggerTypeObjectStorage || len(t.ObjectStorageLink) > 0 {
		elems := make([]attr.Value, 0, len(t.ObjectStorageLink))
		for _, l := range t.ObjectStorageLink {
			elems = append(elems, types.ObjectValueMust(objectStorageType.AttrTypes, map[string]attr.Value{
				"bucket_name": types.StringValue(l.BucketName), "event_rule_name": types.StringValue(l.EventRuleName),
			}))
		}
		m.ObjectStorage = types.ListValueMust(objectStorageType, elems)
	} else {
		m.ObjectStorage = types.ListValueMust(objectStorageType, []attr.Value{})
	}
	refs := make([]attr.Value, 0, len(t.Actions))
	for _, a := range t.Actions {
		refs = append(refs, types.StringValue(a.FullName()))
	}
	if len(refs) == 0 && m.Actions.IsNull() {
		m.Actions = types.SetNull(types.StringType)
	} else {
		m.Actions = types.SetValueMust(types.StringType, refs)
	}
}

// refOf turns "package/action" into a link body.
func refOf(s string) wire.ActionRef {
	pkg, action := splitRef(s)
	return wire.ActionRef{Package: pkg, Action: action}
}

// link links action ref to trigger. A link answered "already linked"
// (80901) is made: after an uncertain attempt that is this link; on the
// first attempt it was made outside Terraform and is kept, as the plan
// asked for it.
func link(ctx context.Context, conn *cfConn, trigger, ref string) error {
	var errs []error
	for attempt := 1; attempt <= max(conn.Attempts(), 1); attempt++ {
		_, err := conn.LinkAction(ctx, trigger, refOf(ref))
		if err == nil || reconcile.HasCode(err, wire.CodeDuplicatedRule) {
			return nil
		}
		errs = append(errs, err)
		if !client.IsAmbiguous(err) {
			break
		}
		tflog.Warn(ctx, "linking may have been carried out; sending it again", map[string]any{"trigger": trigger, "action": ref})
	}
	return errors.Join(errs...)
}

// unlink removes the link of action ref; a link that does not exist (any
// more) counts as removed.
func unlink(ctx context.Context, conn *cfConn, trigger, ref string) error {
	var errs []error
	for attempt := 1; attempt <= max(conn.Attempts(), 1); attempt++ {
		err := conn.UnlinkAction(ctx, trigger, refOf(ref))
		if err == nil || client.IsNotFound(err) {
			return nil
		}
		errs = append(errs, err)
		if !client.IsAmbiguous(err) {
			break
		}
	}
	return errors.Join(errs...)
}

// applyLinks links what want has and have lacks and unlinks the reverse,
// recording in done the links as they are after each call, so that a
// failure half way leaves the state true.
func applyLinks(ctx context.Context, conn *cfConn, trigger string, have, want []string, done func([]string)) error {
	current := slices.Clone(have)
	for _, ref := range have {
		if slices.Contains(want, ref) {
			continue
		}
		if err := unlink(ctx, conn, trigger, ref); err != nil {
			return fmt.Errorf("unlinking %s: %w", ref, err)
		}
		current = slices.DeleteFunc(current, func(s string) bool { return s == ref })
		done(current)
	}
	for _, ref := range want {
		if slices.Contains(current, ref) {
			continue
		}
		if err := link(ctx, conn, trigger, ref); err != nil {
			return fmt.Errorf("linking %s: %w", ref, err)
		}
		current = append(current, ref)
		done(current)
	}
	return nil
}

// withLinks returns m with actions set to refs (null when none and the
// configuration has none).
func (m triggerResourceModel) withLinks(refs []string, like types.Set) triggerResourceModel {
	if len(refs) == 0 && like.IsNull() {
		m.Actions = types.SetNull(types.StringType)
		return m
	}
	elems := make([]attr.Value, len(refs))
	for i, r := range refs {
		elems[i] = types.StringValue(r)
	}
	m.Actions = types.SetValueMust(types.StringType, elems)
	return m
}

func (r *triggerResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan triggerResourceModel
	ctx, cancel, ok := framework.BeginCreate(ctx, r.meta, req.Plan, &plan, &plan.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	conn := newConn(r.meta)
	name, typ := plan.Name.ValueString(), plan.Type.ValueString()
	in := plan.request(ctx, &resp.Diagnostics)
	want := plan.links(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	_, err := reconcile.CreateReconciled(ctx, reconcile.Create[*wire.Trigger]{
		Kind:     triggerKind,
		Attempts: conn.Attempts(),
		Journal:  conn.Journal(),
		Key:      name,
		Send:     func(ctx context.Context) (*wire.Trigger, error) { return conn.PutTrigger(ctx, name, typ, &in) },
		Lookup:   func(ctx context.Context) ([]*wire.Trigger, error) { return lookupTrigger(ctx, conn, name) },
		ID:       func(t *wire.Trigger) string { return t.Name },
	})
	if err != nil {
		reconcile.AddCreateError(&resp.Diagnostics, fmt.Sprintf("Error creating Cloud Functions trigger %q", name), err)
		return
	}
	plan.ID = types.StringValue(name)
	// The trigger exists: record it before linking, so that a failed link
	// leaves it in state with the links made so far.
	save := func(refs []string) {
		resp.Diagnostics.Append(resp.State.Set(ctx, plan.withLinks(refs, plan.Actions))...)
	}
	save(nil)
	if err := applyLinks(ctx, conn, name, nil, want, save); err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error linking Cloud Functions trigger %q", name), err)
		return
	}
	save(want)
}

func (r *triggerResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state triggerResourceModel
	ctx, cancel, ok := framework.BeginRead(ctx, r.meta, req.State, &state, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	name := state.ID.ValueString()
	t, err := newConn(r.meta).GetTrigger(ctx, name)
	if client.IsNotFound(err) {
		framework.AddNotFoundWarning(&resp.Diagnostics, triggerKind.Name, name)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading Cloud Functions trigger %q", name), err)
		return
	}
	if !slices.Contains(triggerTypes, t.TypeName()) {
		resp.Diagnostics.AddError(fmt.Sprintf("Cloud Functions trigger %q is of type %q", name, t.TypeName()),
			"ncp_cloud_functions_trigger manages triggers of type cron and object_storage only.")
		return
	}
	state.setTrigger(t)
	resp.Diagnostics.Append(fwmodel.SetState(ctx, &resp.State, &state)...)
}

func (r *triggerResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state triggerResourceModel
	ctx, cancel, ok := framework.BeginUpdate(ctx, r.meta, req.Plan, req.State, &plan, &state, &plan.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	conn := newConn(r.meta)
	name := state.ID.ValueString()
	plan.ID = state.ID
	in, old := plan.request(ctx, &resp.Diagnostics), state.request(ctx, &resp.Diagnostics)
	have, want := state.links(ctx, &resp.Diagnostics), plan.links(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if !triggerRequestsEqual(in, old) || !plan.Parameters.Equal(state.Parameters) {
		if _, err := conn.PutTrigger(ctx, name, plan.Type.ValueString(), &in); err != nil {
			framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error updating Cloud Functions trigger %q", name), err)
			return
		}
	}
	// Whatever fails below, the trigger itself is as planned; the links are
	// recorded as they are.
	save := func(refs []string) {
		resp.Diagnostics.Append(resp.State.Set(ctx, plan.withLinks(refs, plan.Actions))...)
	}
	save(have)
	if err := applyLinks(ctx, conn, name, have, want, save); err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error changing the links of Cloud Functions trigger %q", name), err)
		return
	}
	save(want)
}

// triggerRequestsEqual reports whether two trigger bodies are the same.
func triggerRequestsEqual(a, b wire.TriggerRequest) bool {
	return a.Description == b.Description && a.CronOption == b.CronOption &&
		slices.Equal(a.ObjectStorageLink, b.ObjectStorageLink) && len(a.Parameters) == len(b.Parameters)
}

func (r *triggerResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state triggerResourceModel
	ctx, cancel, ok := framework.BeginDelete(ctx, r.meta, req.State, &state, &state.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	name := state.ID.ValueString()
	conn := newConn(r.meta)
	err := deleteByName(ctx, conn.Attempts(), func(ctx context.Context) error { return conn.DeleteTrigger(ctx, name) },
		func(ctx context.Context) error { _, err := conn.GetTrigger(ctx, name); return err })
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error deleting Cloud Functions trigger %q", name), err)
	}
}

// triggerImport is the import format of a trigger: its name.
var triggerImport = reconcile.ImportFormat{
	What:  "a Cloud Functions trigger",
	Is:    "its name, such as my-trigger",
	Valid: func(s string) bool { return nameProblem(s) == "" },
}

// ImportState imports a trigger, with its links, by name.
func (r *triggerResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	reconcile.ImportByID(ctx, triggerImport, req, resp, attrName)
}

// lookupTrigger is the look-up of reconcile.Create.
func lookupTrigger(ctx context.Context, conn *cfConn, name string) ([]*wire.Trigger, error) {
	t, err := conn.GetTrigger(ctx, name)
	if client.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []*wire.Trigger{t}, nil
}
