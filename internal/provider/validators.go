package provider

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
)

// checkEndpointURL reports why s is not usable as a service endpoint: it
// must be an absolute http or https URL with a host and nothing after it
// but an optional "/" (no path, query, fragment or user info).
func checkEndpointURL(s string) error {
	if strings.TrimSpace(s) != s {
		return errors.New("it has leading or trailing spaces")
	}
	u, err := url.Parse(s)
	if err != nil {
		return errors.New("it is not a URL")
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return errors.New(`it must start with "http://" or "https://"`)
	case u.Opaque != "" || u.Hostname() == "":
		return errors.New("it has no host")
	case u.User != nil:
		return errors.New("it must not contain user information")
	case u.Path != "" && u.Path != "/":
		return fmt.Errorf("it must not have a path (%q)", u.Path)
	case u.RawQuery != "" || u.ForceQuery:
		return errors.New("it must not have a query string")
	case u.Fragment != "" || strings.Contains(s, "#"):
		return errors.New("it must not have a fragment")
	}
	return nil
}

// normalizeEndpoint drops the trailing "/" a valid endpoint may carry.
func normalizeEndpoint(s string) string { return strings.TrimSuffix(s, "/") }

// endpointHint is appended to endpoint errors.
const endpointHint = "Use an absolute http or https URL without a path or query, " +
	"for example https://ncloud.apigw.ntruss.com or http://127.0.0.1:4510."

// endpointValidator checks an endpoint URL attribute (see checkEndpointURL).
// Null, unknown and empty values are not checked: empty means "not set".
type endpointValidator struct{}

func (endpointValidator) Description(context.Context) string {
	return "must be an absolute http or https URL without a path or query"
}

func (v endpointValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (endpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.ConfigValue.ValueString() == "" {
		return
	}
	if err := checkEndpointURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid endpoint URL",
			fmt.Sprintf("The %s endpoint %q is not valid: %s. %s", req.Path, req.ConfigValue.ValueString(), err, endpointHint))
	}
}

// allRegions returns every region of every site, sorted.
func allRegions() []string {
	seen := map[string]bool{}
	var out []string
	for _, regions := range client.SiteRegions {
		for _, r := range regions {
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	sort.Strings(out)
	return out
}

// siteNames returns the site names in documentation order.
func siteNames() []string { return []string{client.SitePublic, client.SiteGov, client.SiteFin} }

// oneOfValidator accepts one of a fixed list of strings and names them all
// when the value is something else. Null and unknown values are not
// checked; an empty value means "not set" unless refuseEmpty is set.
type oneOfValidator struct {
	what        string // "site", "region"
	valid       []string
	refuseEmpty bool
}

func (v oneOfValidator) Description(context.Context) string {
	return fmt.Sprintf("must be one of: %s", strings.Join(v.valid, ", "))
}

func (v oneOfValidator) MarkdownDescription(context.Context) string {
	return fmt.Sprintf("must be one of: `%s`", strings.Join(v.valid, "`, `"))
}

func (v oneOfValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || (req.ConfigValue.ValueString() == "" && !v.refuseEmpty) {
		return
	}
	s := req.ConfigValue.ValueString()
	for _, ok := range v.valid {
		if s == ok {
			return
		}
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.what,
		fmt.Sprintf("Unknown %s %q in attribute %s: it %s.", v.what, s, req.Path, v.Description(ctx)))
}
