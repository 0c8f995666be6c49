package reconcile_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
)

var numbers = regexp.MustCompile(`^[1-9][0-9]*$`)

// importSchema is the schema of the imports below.
var importSchema = schema.Schema{Attributes: map[string]schema.Attribute{
	"id":        schema.StringAttribute{Computed: true},
	"widget_no": schema.StringAttribute{Computed: true},
	"other":     schema.StringAttribute{Optional: true},
}}

func runImport(t *testing.T, f reconcile.ImportFormat, id string, attrs ...string) (tfsdk.State, *resource.ImportStateResponse) {
	t.Helper()
	ctx := context.Background()
	typ := importSchema.Type().TerraformType(ctx)
	resp := &resource.ImportStateResponse{State: tfsdk.State{Schema: importSchema, Raw: tftypes.NewValue(typ, nil)}}
	reconcile.ImportByID(ctx, f, resource.ImportStateRequest{ID: id}, resp, attrs...)
	return resp.State, resp
}

func stateString(t *testing.T, s tfsdk.State, name string) string {
	t.Helper()
	var v types.String
	if d := s.GetAttribute(context.Background(), path.Root(name), &v); d.HasError() {
		t.Fatal(d)
	}
	if v.IsNull() {
		return "<null>"
	}
	return v.ValueString()
}

func TestImportByID(t *testing.T) {
	t.Parallel()
	byNumber := reconcile.ImportFormat{What: "a widget", Is: "its number (widget_no), such as 12345", Valid: numbers.MatchString}
	state, resp := runImport(t, byNumber, "42", "widget_no")
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	if id, no, other := stateString(t, state, "id"), stateString(t, state, "widget_no"), stateString(t, state, "other"); id != "42" || no != "42" || other != "<null>" {
		t.Errorf("imported id %s, widget_no %s, other %s; want 42, 42, <null>", id, no, other)
	}

	for _, bad := range []string{"", "w-1", "012"} {
		_, resp := runImport(t, byNumber, bad, "widget_no")
		want := fmt.Sprintf("The import ID of a widget is its number (widget_no), such as 12345; got %q.", bad)
		if resp.Diagnostics.ErrorsCount() != 1 || resp.Diagnostics[0].Detail() != want {
			t.Errorf("import %q: diagnostics %v, want %q", bad, resp.Diagnostics, want)
		}
	}

	// Any non-empty ID, when the format takes any.
	byName := reconcile.ImportFormat{What: "a named widget", Is: "its name"}
	if state, resp := runImport(t, byName, "My Widget"); resp.Diagnostics.HasError() || stateString(t, state, "id") != "My Widget" {
		t.Errorf("import by name: %v", resp.Diagnostics)
	}
	if _, resp := runImport(t, byName, ""); !resp.Diagnostics.HasError() {
		t.Error("an empty ID was imported")
	}
}

func TestGenerateName(t *testing.T) {
	t.Parallel()
	re := regexp.MustCompile(`^tf-widget-[a-z0-9]{8}$`)
	seen := map[string]bool{}
	for range 200 {
		n := reconcile.GenerateName("tf-widget")
		if !re.MatchString(n) {
			t.Fatalf("generated name %q does not match %s", n, re)
		}
		if seen[n] {
			t.Fatalf("generated name %q twice", n)
		}
		seen[n] = true
	}
}

func TestAssertSingle(t *testing.T) {
	t.Parallel()
	got, err := reconcile.AssertSingle([]string{"a"}, "svc", "getWidgetDetail", "widget 1")
	if err != nil || *got != "a" {
		t.Errorf("one element: %v, %v", got, err)
	}
	_, err = reconcile.AssertSingle([]string{}, "svc", "getWidgetDetail", "widget 1")
	if !client.IsNotFound(err) || !strings.Contains(err.Error(), "widget 1 does not exist") {
		t.Errorf("no element: %v, want a not-found error", err)
	}
	_, err = reconcile.AssertSingle([]string{"a", "b"}, "svc", "getWidgetDetail", "widget 1")
	if err == nil || client.IsNotFound(err) || !strings.Contains(err.Error(), "NCP answered 2 objects for widget 1, expected one") {
		t.Errorf("two elements: %v, want an unexpected answer", err)
	}
}

func TestHasCode(t *testing.T) {
	t.Parallel()
	e := &client.Error{Code: "1000101"}
	if !reconcile.HasCode(fmt.Errorf("wrapped: %w", e), "1000101") || reconcile.HasCode(e, "1000102") ||
		reconcile.HasCode(fmt.Errorf("plain"), "1000101") || reconcile.HasCode(nil, "") {
		t.Error("HasCode answered wrong")
	}
}
