package cloudfunctions

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// Plan-time checks of the Cloud Functions resources, reading the rules of
// internal/wire/cloudfunctions (facts.go), which ncplocal enforces too.
// Every message names the attribute and the rule.

var nameRE = regexp.MustCompile(wire.NamePattern)

// nameProblem says which part of the name rule s breaks, "" when none.
// Lengths and positions count characters, not bytes.
func nameProblem(s string) string {
	runes := []rune(s)
	if n := len(runes); n < wire.NameMinLength || n > wire.NameMaxLength {
		return fmt.Sprintf("it is %d characters long", n)
	}
	for i, r := range runes {
		if !isNameRune(r) {
			return fmt.Sprintf("it contains %q at position %d, which is not a letter, a digit, '-' or '_'", string(r), i+1)
		}
	}
	if runes[0] == '-' {
		return "it starts with '-'"
	}
	return ""
}

func isNameRune(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || r == '-' || r == '_'
}

// nameValidator checks the name of a package, action, sequence or trigger.
// allowNoPackage also accepts "-" (the package of an action in none).
type nameValidator struct{ allowNoPackage bool }

var _ validator.String = nameValidator{}

func (v nameValidator) Description(context.Context) string {
	if v.allowNoPackage {
		return "must be " + wire.NameRule + ", or `-` for no package"
	}
	return "must be " + wire.NameRule
}

func (v nameValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v nameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if v.allowNoPackage && s == wire.NoPackage {
		return
	}
	if p := nameProblem(s); p != "" || !nameRE.MatchString(s) {
		if p == "" {
			p = "it does not match " + wire.NamePattern
		}
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Cloud Functions name",
			fmt.Sprintf("Attribute %s: %q is not a valid Cloud Functions name: %s. It must be %s.", req.Path, s, p, v.Description(context.Background())))
	}
}

// descriptionValidator bounds a description in bytes, as NCP counts it.
type descriptionValidator struct{}

var _ validator.String = descriptionValidator{}

func (descriptionValidator) Description(context.Context) string {
	return fmt.Sprintf("must be at most %d bytes long (UTF-8)", wire.MaxDescriptionBytes)
}

func (v descriptionValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (descriptionValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if n := len(req.ConfigValue.ValueString()); n > wire.MaxDescriptionBytes {
		resp.Diagnostics.AddAttributeError(req.Path, "Description too long",
			fmt.Sprintf("Attribute %s is %d bytes long (UTF-8); NCP accepts at most %d bytes.", req.Path, n, wire.MaxDescriptionBytes))
	}
}

// runtimeValidator accepts the runtimes NCP takes for new actions
// (wire.SupportedKinds); a deprecated one gets its own message.
type runtimeValidator struct{}

var _ validator.String = runtimeValidator{}

func (runtimeValidator) Description(context.Context) string {
	return "must be one of " + quoteList(runtimes())
}

func (v runtimeValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (runtimeValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	kind := req.ConfigValue.ValueString()
	switch {
	case slices.Contains(runtimes(), kind):
	case wire.IsDeprecatedKind(kind):
		resp.Diagnostics.AddAttributeError(req.Path, "Deprecated runtime",
			fmt.Sprintf("Attribute %s: runtime %q was deprecated by NCP on 2025-09-18 and cannot be used for new actions. "+
				"Use one of %s.", req.Path, kind, quoteList(runtimes())))
	default:
		resp.Diagnostics.AddAttributeError(req.Path, "Unsupported runtime",
			fmt.Sprintf("Attribute %s: %q is not a Cloud Functions runtime. It must be one of %s.", req.Path, kind, quoteList(runtimes())))
	}
}

// runtimes are the runtimes an ncp_cloud_functions_action may use: the
// supported kinds but the custom image, which this provider does not
// deploy (it needs a container registry).
func runtimes() []string {
	return slices.DeleteFunc(slices.Clone(wire.SupportedKinds), func(k string) bool { return k == wire.KindCustomImage })
}

// memoryValidator accepts wire.MemorySizes.
type memoryValidator struct{}

var _ validator.Int64 = memoryValidator{}

func (memoryValidator) Description(context.Context) string {
	return "must be one of " + intList(wire.MemorySizes) + " (MB)"
}

func (v memoryValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v memoryValidator) ValidateInt64(ctx context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if !slices.Contains(wire.MemorySizes, int(req.ConfigValue.ValueInt64())) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid memory size",
			fmt.Sprintf("Attribute %s is %d; it %s.", req.Path, req.ConfigValue.ValueInt64(), v.Description(ctx)))
	}
}

// timeoutValidator accepts wire.MinTimeoutMs..wire.MaxTimeoutMs.
type timeoutValidator struct{}

var _ validator.Int64 = timeoutValidator{}

func (timeoutValidator) Description(context.Context) string {
	return fmt.Sprintf("must be between %d and %d (milliseconds)", wire.MinTimeoutMs, wire.MaxTimeoutMs)
}

func (v timeoutValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v timeoutValidator) ValidateInt64(ctx context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if n := req.ConfigValue.ValueInt64(); n < wire.MinTimeoutMs || n > wire.MaxTimeoutMs {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid action timeout",
			fmt.Sprintf("Attribute %s is %d; it %s.", req.Path, n, v.Description(ctx)))
	}
}

// numberValidator accepts NCP object numbers (vpc_no, subnet_no).
type numberValidator struct{}

var numberRE = regexp.MustCompile(`^[1-9][0-9]{0,17}$`)

func (numberValidator) Description(context.Context) string {
	return "must be an NCP object number: decimal digits without a leading zero"
}

func (v numberValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v numberValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := req.ConfigValue.ValueString(); !numberRE.MatchString(s) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid number",
			fmt.Sprintf("Attribute %s: %q %s.", req.Path, s, v.Description(ctx)))
	}
}

// parseNumber converts a validated object number.
func parseNumber(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) }

// actionRefValidator checks a "package/action" reference: a sequence
// component or a trigger link.
type actionRefValidator struct{}

var _ validator.String = actionRefValidator{}

func (actionRefValidator) Description(context.Context) string {
	return "must be `<package>/<action>`, with `-` as the package of an action in no package"
}

func (v actionRefValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v actionRefValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if problem := actionRefProblem(s); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid action reference",
			fmt.Sprintf("Attribute %s: %q %s: %s.", req.Path, s, v.Description(ctx), problem))
	}
}

// actionRefProblem says what is wrong with a "package/action" reference.
func actionRefProblem(s string) string {
	pkg, action, ok := strings.Cut(s, "/")
	if !ok {
		return "it has no '/'"
	}
	if pkg != wire.NoPackage {
		if p := nameProblem(pkg); p != "" {
			return "the package name is invalid: " + p
		}
	}
	if p := nameProblem(action); p != "" {
		return "the action name is invalid: " + p
	}
	return ""
}

// splitRef splits a validated "package/action" reference.
func splitRef(s string) (pkg, action string) {
	pkg, action, _ = strings.Cut(s, "/")
	return pkg, action
}

// cronValidator checks a 5-field UNIX cron expression (minute hour
// day-of-month month day-of-week), which NCP evaluates in KST.
type cronValidator struct{}

var _ validator.String = cronValidator{}

func (cronValidator) Description(context.Context) string {
	return fmt.Sprintf("must be a %d-field UNIX cron expression (minute hour day-of-month month day-of-week), evaluated in KST (UTC+9)", wire.CronFields)
}

func (v cronValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v cronValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if problem := cronProblem(s); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid cron expression",
			fmt.Sprintf("Attribute %s: %q is not a valid cron expression: %s. It %s.", req.Path, s, problem, v.Description(ctx)))
	}
}

// cronField is the range and names of one cron field.
type cronField struct {
	name     string
	min, max int
	names    []string // names for min, min+1, ... (months, days of week)
}

var cronFieldSpecs = []cronField{
	{name: "minute", min: 0, max: 59},
	{name: "hour", min: 0, max: 23},
	{name: "day of month", min: 1, max: 31},
	{name: "month", min: 1, max: 12, names: []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
	// 7 is Sunday too, as in most crons.
	{name: "day of week", min: 0, max: 7, names: []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}},
}

// cronProblem says what is wrong with a cron expression, "" when nothing.
func cronProblem(s string) string {
	fields := strings.Fields(s)
	if len(fields) != wire.CronFields {
		return fmt.Sprintf("it has %d fields, not %d", len(fields), wire.CronFields)
	}
	for i, f := range fields {
		if p := cronFieldProblem(f, cronFieldSpecs[i]); p != "" {
			return fmt.Sprintf("field %d (%s) %q: %s", i+1, cronFieldSpecs[i].name, f, p)
		}
	}
	return ""
}

// cronFieldProblem checks one field: a comma-separated list of `*`,
// values and ranges, each optionally with a `/step`.
func cronFieldProblem(f string, spec cronField) string {
	for _, item := range strings.Split(f, ",") {
		base, step, hasStep := strings.Cut(item, "/")
		if hasStep {
			n, err := strconv.Atoi(step)
			if err != nil || n < 1 {
				return fmt.Sprintf("step %q is not a positive number", step)
			}
		}
		if base == "*" {
			continue
		}
		lo, hi, isRange := strings.Cut(base, "-")
		a, ok := cronValue(lo, spec)
		if !ok {
			return fmt.Sprintf("%q is not a value from %d to %d", lo, spec.min, spec.max)
		}
		if isRange {
			b, ok := cronValue(hi, spec)
			if !ok {
				return fmt.Sprintf("%q is not a value from %d to %d", hi, spec.min, spec.max)
			}
			if b < a {
				return fmt.Sprintf("range %s ends before it starts", base)
			}
		} else if hasStep {
			return fmt.Sprintf("a step needs * or a range, not %q", base)
		}
	}
	return ""
}

// cronValue parses a number or a name of the field.
func cronValue(s string, spec cronField) (int, bool) {
	if i := slices.Index(spec.names, strings.ToLower(s)); i >= 0 {
		return spec.min + i, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < spec.min || n > spec.max {
		return 0, false
	}
	return n, true
}

// parametersConfigValidator refuses a key that is both in parameters and
// in sensitive_parameters: they are merged into one map.
type parametersConfigValidator struct{}

var _ resource.ConfigValidator = parametersConfigValidator{}

func (parametersConfigValidator) Description(context.Context) string {
	return "parameters and sensitive_parameters must not share a key"
}

func (v parametersConfigValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (parametersConfigValidator) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	checkParameterKeys(ctx, req.Config, &resp.Diagnostics)
}

// checkParameterKeys reports keys in both maps, naming the key but never a
// value.
func checkParameterKeys(ctx context.Context, cfg tfsdk.Config, diags interface {
	AddAttributeError(path.Path, string, string)
},
) {
	var plain, sensitive types.Map
	if d := cfg.GetAttribute(ctx, path.Root(attrParameters), &plain); d.HasError() {
		return
	}
	if d := cfg.GetAttribute(ctx, path.Root(attrSensitiveParameters), &sensitive); d.HasError() {
		return
	}
	if plain.IsNull() || plain.IsUnknown() || sensitive.IsNull() || sensitive.IsUnknown() {
		return
	}
	var keys []string
	for k := range plain.Elements() {
		if _, ok := sensitive.Elements()[k]; ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		diags.AddAttributeError(path.Root(attrSensitiveParameters).AtMapKey(k), "Parameter set twice",
			fmt.Sprintf("Parameter %q is in both parameters and sensitive_parameters; NCP keeps one map of parameters, "+
				"so each key must be in only one of them.", k))
	}
}

// quoteList renders values as "`a`, `b` or `c`".
func quoteList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "`" + v + "`"
	}
	return joinOr(q)
}

// intList renders numbers as "128, 256, 512 or 1024".
func intList(values []int) string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = strconv.Itoa(v)
	}
	return joinOr(s)
}

func joinOr(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}
