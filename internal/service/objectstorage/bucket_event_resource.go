package objectstorage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/fwmodel"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

var (
	_ resource.Resource                = (*bucketEventResource)(nil)
	_ resource.ResourceWithConfigure   = (*bucketEventResource)(nil)
	_ resource.ResourceWithImportState = (*bucketEventResource)(nil)
)

// NewBucketEventResource returns the ncp_object_storage_bucket_event
// resource.
func NewBucketEventResource() resource.Resource { return &bucketEventResource{} }

// bucketEventResource is ncp_object_storage_bucket_event: one event rule
// of a bucket, kept in the bucket's S3 notification configuration.
type bucketEventResource struct {
	meta *conns.Meta
	conn *osclient.Client
}

// bucketEventModel is ncp_object_storage_bucket_event.
type bucketEventModel struct {
	ID         types.String   `tfsdk:"id"`
	BucketName types.String   `tfsdk:"bucket_name"`
	Name       types.String   `tfsdk:"name"`
	Events     types.List     `tfsdk:"events"`
	Prefix     types.String   `tfsdk:"prefix"`
	Suffix     types.String   `tfsdk:"suffix"`
	Target     types.String   `tfsdk:"target"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

// defaultEventTarget is the target of a rule that names none: Cloud
// Functions, the only target NCP's console offers [?] (the value NCP would
// store is not documented).
const defaultEventTarget = "cloudfunctions"

func (r *bucketEventResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_object_storage_bucket_event"
}

func (r *bucketEventResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	meta := framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
	if meta == nil {
		return
	}
	conn, err := osclient.New(meta.Client)
	if err != nil {
		resp.Diagnostics.AddError("Cannot build the Object Storage client", err.Error())
		return
	}
	r.meta, r.conn = meta, conn
}

// Schema describes ncp_object_storage_bucket_event.
func (r *bucketEventResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages one event rule (\"bucket event\") of an Object Storage bucket: which object events, " +
			"under which key prefix and suffix, are sent to Cloud Functions. An `ncp_cloud_functions_trigger` of type " +
			"`object_storage` names the rule to run actions on those events.\n\n" +
			"**How it works.** NCP documents no API for bucket event rules: **NCP's console is the documented way** to make " +
			"them (Object Storage > bucket > Bucket Events). This resource uses the S3 bucket-notification API instead " +
			"(`GetBucketNotificationConfiguration` / `PutBucketNotificationConfiguration` on the bucket, one " +
			"`CloudFunctionConfiguration` per rule, its `Id` being the rule name), which ncplocal implements; whether NCP " +
			"itself accepts it is not documented. The notification configuration is one document per bucket: the provider " +
			"reads it, changes its own rule and writes it back, one rule at a time per bucket, so several rules of one " +
			"bucket in one configuration are safe, while rules of the same bucket changed at the same moment by something " +
			"else may be lost.\n\n" +
			"**Rules made in the console.** To manage a rule made in NCP's console, import it by `<bucket>/<rule name>` " +
			"(see Import below) and write its events, prefix and suffix in the configuration; the first plan shows any " +
			"difference.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<bucket_name>/<name>`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			attrBucketName: schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Name of the bucket. Changing it replaces the rule.",
				Validators:          []validator.String{bucketNameValidator{}},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: fmt.Sprintf("Name of the rule, unique in the bucket, 1 to %d characters without `/`; "+
					"triggers name it as `event_rule_name`. Changing it replaces the rule.", wire.MaxEventRuleNameLength),
				Validators: []validator.String{
					stringvalidator.LengthBetween(1, wire.MaxEventRuleNameLength),
					ruleNameValidator{},
				},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"events": schema.ListAttribute{
				ElementType: types.StringType,
				Required:    true,
				MarkdownDescription: "The object events the rule reacts to, at least one, each once: " + eventList() +
					". An event ending in `*` covers its whole family. Changes in place.",
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.UniqueValues(),
					listvalidator.ValueStringsAre(stringvalidator.OneOf(wire.BucketEvents...)),
				},
			},
			"prefix": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("Only objects whose key starts with this prefix (e.g. `uploads/`), 1 to %d "+
					"bytes. Changes in place.", wire.MaxFilterValueLength),
				Validators: []validator.String{stringvalidator.LengthBetween(1, wire.MaxFilterValueLength), byteLengthAtMost(wire.MaxFilterValueLength)},
			},
			"suffix": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("Only objects whose key ends with this suffix (e.g. `.mp4`), 1 to %d bytes. "+
					"Changes in place.", wire.MaxFilterValueLength),
				Validators: []validator.String{stringvalidator.LengthBetween(1, wire.MaxFilterValueLength), byteLengthAtMost(wire.MaxFilterValueLength)},
			},
			"target": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(defaultEventTarget),
				MarkdownDescription: "Where the rule sends events (`CloudFunction` of the configuration). Default: `" +
					defaultEventTarget + "` (Cloud Functions, the target NCP's console offers). Changes in place.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
		Blocks: map[string]schema.Block{
			attrTimeouts: framework.TimeoutsBlockWithUpdate(ctx, "the rule to be created", "the rule to be updated", "the rule to be deleted"),
		},
	}
}

// eventList renders wire.BucketEvents for the documentation.
func eventList() string {
	q := make([]string, len(wire.BucketEvents))
	for i, e := range wire.BucketEvents {
		q[i] = "`" + e + "`"
	}
	return strings.Join(q, ", ")
}

// ruleNameValidator refuses a '/' in a rule name: the import ID is
// "<bucket>/<name>".
type ruleNameValidator struct{}

func (ruleNameValidator) Description(context.Context) string { return "must not contain '/'" }

func (v ruleNameValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (ruleNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !req.ConfigValue.IsNull() && !req.ConfigValue.IsUnknown() && strings.Contains(req.ConfigValue.ValueString(), "/") {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid rule name",
			fmt.Sprintf("Attribute %s: %q must not contain '/'.", req.Path, req.ConfigValue.ValueString()))
	}
}

// byteLengthValidator bounds a string in bytes (S3 counts filter values
// in bytes).
type byteLengthValidator int

func byteLengthAtMost(n int) validator.String { return byteLengthValidator(n) }

func (v byteLengthValidator) Description(context.Context) string {
	return fmt.Sprintf("must be at most %d bytes long (UTF-8)", int(v))
}

func (v byteLengthValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v byteLengthValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if n := len(req.ConfigValue.ValueString()); n > int(v) {
		resp.Diagnostics.AddAttributeError(req.Path, "Value too long",
			fmt.Sprintf("Attribute %s is %d bytes long (UTF-8); it must be at most %d bytes.", req.Path, n, int(v)))
	}
}

// bucketLocks serializes the read-modify-write of one bucket's rules
// within this provider process (all its provider blocks): the
// notification configuration is one document.
var bucketLocks sync.Map // endpoint + "\x00" + bucket -> *sync.Mutex

func (r *bucketEventResource) lock(bucket string) func() {
	key := r.meta.Client.Config().Endpoints.ObjectStorage + "\x00" + bucket
	m, _ := bucketLocks.LoadOrStore(key, &sync.Mutex{})
	mu, _ := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// rule returns the model's rule.
func (m *bucketEventModel) rule(ctx context.Context) (wire.EventRule, error) {
	var events []string
	if d := m.Events.ElementsAs(ctx, &events, false); d.HasError() {
		return wire.EventRule{}, fmt.Errorf("reading events: %v", d)
	}
	return wire.EventRule{
		Name: m.Name.ValueString(), Events: events,
		Prefix: m.Prefix.ValueString(), Suffix: m.Suffix.ValueString(), Target: m.Target.ValueString(),
	}, nil
}

// setRule copies a rule NCP answers.
func (m *bucketEventModel) setRule(bucket string, rule wire.EventRule) {
	m.ID = types.StringValue(bucket + "/" + rule.Name)
	m.BucketName = types.StringValue(bucket)
	m.Name = types.StringValue(rule.Name)
	m.Events = framework.StringList(rule.Events)
	m.Prefix = framework.StringValueOrNull(rule.Prefix)
	m.Suffix = framework.StringValueOrNull(rule.Suffix)
	m.Target = types.StringValue(rule.Target)
}

// eventRuleKind names rules in messages and import hints.
var eventRuleKind = reconcile.Kind{Name: "bucket event rule", ResourceType: "ncp_object_storage_bucket_event", Key: "name", QuoteID: true}

// changeRules reads bucket's rules, lets edit change them, and writes them
// back when edit reports a change, all under the bucket's lock.
func (r *bucketEventResource) changeRules(ctx context.Context, bucket string, edit func([]wire.EventRule) ([]wire.EventRule, bool, error)) error {
	defer r.lock(bucket)()
	rules, err := r.conn.GetBucketEventRules(ctx, bucket)
	if err != nil {
		return err
	}
	rules, changed, err := edit(rules)
	if err != nil || !changed {
		return err
	}
	return r.conn.PutBucketEventRules(ctx, bucket, rules)
}

func ruleIndex(rules []wire.EventRule, name string) int {
	return slices.IndexFunc(rules, func(x wire.EventRule) bool { return x.Name == name })
}

func (r *bucketEventResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan bucketEventModel
	ctx, cancel, ok := framework.BeginCreate(ctx, r.meta, req.Plan, &plan, &plan.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	bucket := plan.BucketName.ValueString()
	rule, err := plan.rule(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Invalid bucket event rule", err.Error())
		return
	}
	id := bucket + "/" + rule.Name
	err = r.changeRules(ctx, bucket, func(rules []wire.EventRule) ([]wire.EventRule, bool, error) {
		if ruleIndex(rules, rule.Name) >= 0 {
			return nil, false, &reconcile.ExistsError{Kind: eventRuleKind, ID: id, Desc: fmt.Sprintf("on bucket %q", bucket)}
		}
		return append(rules, rule), true, nil
	})
	if err != nil {
		reconcile.AddCreateError(&resp.Diagnostics, fmt.Sprintf("Error creating bucket event rule %q", id), err)
		return
	}
	plan.ID = types.StringValue(id)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *bucketEventResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state bucketEventModel
	ctx, cancel, ok := framework.BeginRead(ctx, r.meta, req.State, &state, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := state.ID.ValueString()
	bucket, name, _ := strings.Cut(id, "/")
	rules, err := r.conn.GetBucketEventRules(ctx, bucket)
	i := -1
	if err == nil {
		i = ruleIndex(rules, name)
	}
	if client.IsNotFound(err) || (err == nil && i < 0) {
		framework.AddNotFoundWarning(&resp.Diagnostics, eventRuleKind.Name, id)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading bucket event rule %q", id), err)
		return
	}
	state.setRule(bucket, rules[i])
	resp.Diagnostics.Append(fwmodel.SetState(ctx, &resp.State, &state)...)
}

func (r *bucketEventResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state bucketEventModel
	ctx, cancel, ok := framework.BeginUpdate(ctx, r.meta, req.Plan, req.State, &plan, &state, &plan.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	bucket := state.BucketName.ValueString()
	rule, err := plan.rule(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Invalid bucket event rule", err.Error())
		return
	}
	err = r.changeRules(ctx, bucket, func(rules []wire.EventRule) ([]wire.EventRule, bool, error) {
		if i := ruleIndex(rules, rule.Name); i >= 0 {
			rules[i] = rule
		} else {
			// Deleted since the refresh: write it again.
			rules = append(rules, rule)
		}
		return rules, true, nil
	})
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error updating bucket event rule %q", state.ID.ValueString()), err)
		return
	}
	plan.ID = state.ID
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *bucketEventResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state bucketEventModel
	ctx, cancel, ok := framework.BeginDelete(ctx, r.meta, req.State, &state, &state.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := state.ID.ValueString()
	bucket, name, _ := strings.Cut(id, "/")
	err := r.changeRules(ctx, bucket, func(rules []wire.EventRule) ([]wire.EventRule, bool, error) {
		i := ruleIndex(rules, name)
		if i < 0 {
			return nil, false, nil
		}
		return slices.Delete(rules, i, i+1), true, nil
	})
	if err != nil && !client.IsNotFound(err) {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error deleting bucket event rule %q", id), err)
	}
}

// bucketEventImport is the import format of a rule: "<bucket>/<name>".
var bucketEventImport = reconcile.ImportFormat{
	What: "a bucket event rule",
	Is:   "`<bucket_name>/<rule name>`, such as my-bucket/on-upload",
	Valid: func(s string) bool {
		bucket, name, ok := strings.Cut(s, "/")
		return ok && bucketNameProblem(bucket) == "" && name != "" && !strings.Contains(name, "/")
	},
}

// ImportState imports a rule, made by this provider or in NCP's console,
// by "<bucket>/<name>".
func (r *bucketEventResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	reconcile.ImportByID(ctx, bucketEventImport, req, resp)
	if resp.Diagnostics.HasError() {
		return
	}
	bucket, name, _ := strings.Cut(req.ID, "/")
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrBucketName), bucket)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), name)...)
}
