package framework_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
)

func TestConfigureMeta(t *testing.T) {
	t.Parallel()
	var diags diag.Diagnostics
	if m := framework.ConfigureMeta(nil, &diags); m != nil || diags.HasError() {
		t.Errorf("nil provider data: %v, %v; want nil without error", m, diags)
	}
	want := &conns.Meta{Region: "KR"}
	if m := framework.ConfigureMeta(want, &diags); m != want || diags.HasError() {
		t.Errorf("*conns.Meta: %v, %v", m, diags)
	}
	if m := framework.ConfigureMeta("oops", &diags); m != nil || diags.ErrorsCount() != 1 {
		t.Fatalf("wrong type: %v, %v; want nil and one error", m, diags)
	}
	if d := diags.Errors()[0].Detail(); !strings.Contains(d, "got: string") || !strings.Contains(d, "Please report this issue to the provider developers.") {
		t.Errorf("detail = %q", d)
	}
}

func TestCheckConfigured(t *testing.T) {
	t.Parallel()
	var diags diag.Diagnostics
	if !framework.CheckConfigured(&conns.Meta{}, &diags) || diags.HasError() {
		t.Errorf("configured meta rejected: %v", diags)
	}
	if framework.CheckConfigured(nil, &diags) || diags.ErrorsCount() != 1 {
		t.Errorf("nil meta accepted: %v", diags)
	}
}

func TestNCPErrorDetail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want []string
		not  []string
	}{
		{
			name: "legacy error",
			err: fmt.Errorf("creating: %w", &client.Error{Service: "vpc", Operation: "createVpc", HTTPStatus: 400,
				Code: "1000036", Message: "vpcName is invalid", RequestID: "req-9", Kind: client.KindValidation}),
			want: []string{"NCP returned error 1000036: vpcName is invalid", "Call: vpc createVpc", "HTTP status: 400", "Request ID: req-9"},
			not:  []string{"Check the provider's access_key"},
		},
		{
			name: "gateway auth error",
			err: &client.Error{Service: "vserver", Operation: "getZoneList", HTTPStatus: 401, Code: "200",
				Message: "Authentication Failed", Details: "Invalid authentication information.", Kind: client.KindAuth},
			want: []string{"NCP returned error 200: Authentication Failed", "Details: Invalid authentication information.", "access_key and secret_key"},
		},
		{
			name: "throttled",
			err:  &client.Error{HTTPStatus: 429, Code: "410", Message: "Throttle Limited", Kind: client.KindThrottled},
			want: []string{"error 410: Throttle Limited", "max_retries"},
		},
		{
			name: "ambiguous transport failure",
			err:  &client.Error{Service: "vpc", Operation: "createVpc", Kind: client.KindAmbiguous, Err: errors.New("connection reset by peer")},
			want: []string{"The request to NCP failed: connection reset by peer", "may or may not have been carried out"},
			not:  []string{"HTTP status", "Request ID"},
		},
		{
			name: "code and cause",
			err:  &client.Error{Code: "7", Err: errors.New("unexpected EOF")},
			want: []string{"NCP returned error 7", "Cause: unexpected EOF"},
		},
		{
			name: "plain error",
			err:  errors.New("something else"),
			want: []string{"something else"},
			not:  []string{"NCP returned"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var diags diag.Diagnostics
			framework.AddNCPError(&diags, "Error doing it", tt.err)
			if diags.ErrorsCount() != 1 || diags[0].Summary() != "Error doing it" {
				t.Fatalf("diagnostics = %v", diags)
			}
			d := diags[0].Detail()
			for _, w := range tt.want {
				if !strings.Contains(d, w) {
					t.Errorf("detail %q lacks %q", d, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(d, n) {
					t.Errorf("detail %q contains %q", d, n)
				}
			}
		})
	}
}

func TestAddNotFoundWarning(t *testing.T) {
	t.Parallel()
	var diags diag.Diagnostics
	framework.AddNotFoundWarning(&diags, "ncp_vpc", "12345")
	if diags.HasError() || diags.WarningsCount() != 1 {
		t.Fatalf("diagnostics = %v, want one warning", diags)
	}
	if d := diags[0].Detail(); !strings.Contains(d, `ncp_vpc "12345"`) || !strings.Contains(d, "removed from the Terraform state") {
		t.Errorf("detail = %q", d)
	}
}

func TestConversions(t *testing.T) {
	t.Parallel()
	if v := framework.StringValueOrNull(""); !v.IsNull() {
		t.Errorf(`StringValueOrNull("") = %v, want null`, v)
	}
	if v := framework.StringValueOrNull("x"); v.ValueString() != "x" || v.IsNull() {
		t.Errorf(`StringValueOrNull("x") = %v`, v)
	}
	for _, v := range []types.String{types.StringNull(), types.StringUnknown(), types.StringValue("")} {
		if got := framework.StringOr(v, "KR"); got != "KR" {
			t.Errorf("StringOr(%v) = %q, want the fallback", v, got)
		}
	}
	if got := framework.StringOr(types.StringValue("SGN"), "KR"); got != "SGN" {
		t.Errorf("StringOr(SGN) = %q", got)
	}
	empty := framework.StringList(nil)
	if empty.IsNull() || empty.IsUnknown() || len(empty.Elements()) != 0 {
		t.Errorf("StringList(nil) = %v, want a known empty list", empty)
	}
	l := framework.StringList([]string{"KR-1", "KR-2"})
	var got []string
	if diags := l.ElementsAs(context.Background(), &got, false); diags.HasError() || strings.Join(got, ",") != "KR-1,KR-2" {
		t.Errorf("StringList = %v (%v)", got, diags)
	}
}

func TestAddNCPErrorJoined(t *testing.T) {
	t.Parallel()
	first := &client.Error{Service: "vpc", Operation: "createVpc", Kind: client.KindAmbiguous, Err: errors.New("connection reset")}
	second := &client.Error{Service: "vpc", Operation: "createVpc", HTTPStatus: 400, Code: "1000101", Message: "duplicate name"}
	var diags diag.Diagnostics
	framework.AddNCPError(&diags, "Error creating VPC", errors.Join(first, second))
	if diags.ErrorsCount() != 1 {
		t.Fatalf("want one error diagnostic, got %v", diags)
	}
	detail := diags[0].Detail()
	for _, want := range []string{"Attempt 1 of 2:", "connection reset", "Attempt 2 of 2:", "NCP returned error 1000101: duplicate name"} {
		if !strings.Contains(detail, want) {
			t.Errorf("detail lacks %q:\n%s", want, detail)
		}
	}
}

func TestWithTimeout(t *testing.T) {
	t.Parallel()
	var diags diag.Diagnostics
	ctx, cancel, ok := framework.WithTimeout(context.Background(), func(_ context.Context, def time.Duration) (time.Duration, diag.Diagnostics) {
		return def, nil
	}, time.Hour, &diags)
	if !ok || diags.HasError() {
		t.Fatalf("ok = %v, diagnostics = %v", ok, diags)
	}
	defer cancel()
	if deadline, set := ctx.Deadline(); !set || time.Until(deadline) > time.Hour || time.Until(deadline) < 59*time.Minute {
		t.Errorf("deadline %v (set %v), want about an hour from now", deadline, set)
	}

	_, cancel, ok = framework.WithTimeout(context.Background(), func(context.Context, time.Duration) (time.Duration, diag.Diagnostics) {
		var d diag.Diagnostics
		d.AddError("bad timeout", "not a duration")
		return 0, d
	}, time.Hour, &diags)
	cancel()
	if ok || diags.ErrorsCount() != 1 {
		t.Errorf("ok = %v, diagnostics = %v; want false and the block's error", ok, diags)
	}
}

func TestWithReadTimeout(t *testing.T) {
	t.Parallel()
	ctx, cancel := framework.WithReadTimeout(context.Background())
	defer cancel()
	deadline, set := ctx.Deadline()
	if left := time.Until(deadline); !set || left > framework.DefaultReadTimeout || left < framework.DefaultReadTimeout-time.Minute {
		t.Errorf("deadline %v (set %v), want about %s from now", deadline, set, framework.DefaultReadTimeout)
	}
	cancel()
	if ctx.Err() == nil {
		t.Error("cancel did not end the context")
	}
}
