package cloudfunctions

import (
	"context"
	"net/http"
	"net/url"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	cfclient "github.com/ncplabs/terraform-provider-ncp/internal/client/cloudfunctions"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// cfConn is what the resources call: one method per Cloud Functions
// operation they use, on the client core with cfclient.API.
type cfConn struct {
	c *client.Client
}

func newConn(meta *conns.Meta) *cfConn { return &cfConn{c: meta.Client} }

// newConnFor is newConn for a client core (tests, sweepers).
func newConnFor(c *client.Client) *cfConn { return &cfConn{c: c} }

// Attempts bounds reconciled creates (client.Client.Attempts).
func (c *cfConn) Attempts() int { return c.c.Attempts() }

// platform is the query of every call: API v2.1 on platform vpc.
func platform(extra ...string) url.Values {
	q := url.Values{wire.ParamPlatform: {wire.PlatformVPC}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return q
}

func (c *cfConn) do(ctx context.Context, op, method, path string, params []string, q url.Values, body any, sensitive []string, out any) error {
	_, err := c.c.DoJSON(ctx, &client.JSONRequest{
		API: cfclient.API, Operation: op, Method: method, Path: path, PathParams: params,
		Query: q, Body: body, Sensitive: sensitive,
	}, out)
	return err
}

func (c *cfConn) GetPackage(ctx context.Context, name string) (*wire.Package, error) {
	var out wire.Package
	if err := c.do(ctx, "getPackage", http.MethodGet, wire.PathPackage, []string{name}, platform(), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (c *cfConn) PutPackage(ctx context.Context, name string, in wire.PackageRequest, sensitive []string) (*wire.Package, error) {
	var out wire.Package
	if err := c.do(ctx, "putPackage", http.MethodPut, wire.PathPackage, []string{name}, platform(), in, sensitive, &out); err != nil {
		return nil, err
	}
	if out.Name == "" {
		out.Name = name
	}
	return &out, nil
}

func (c *cfConn) DeletePackage(ctx context.Context, name string) error {
	return c.do(ctx, "deletePackage", http.MethodDelete, wire.PathPackage, []string{name}, platform(), nil, nil, nil)
}

func (c *cfConn) GetAction(ctx context.Context, pkg, name string) (*wire.Action, error) {
	var out wire.Action
	if err := c.do(ctx, "getAction", http.MethodGet, wire.PathAction, []string{pkg, name}, platform(), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (c *cfConn) PutAction(ctx context.Context, pkg, name, typ string, in wire.ActionRequest, sensitive []string) (*wire.Action, error) {
	var out wire.Action
	if err := c.do(ctx, "putAction", http.MethodPut, wire.PathAction, []string{pkg, name}, platform(wire.ParamType, typ), in, sensitive, &out); err != nil {
		return nil, err
	}
	if out.Name == "" {
		out.Name = name
	}
	return &out, nil
}

func (c *cfConn) DeleteAction(ctx context.Context, pkg, name string) error {
	return c.do(ctx, "deleteAction", http.MethodDelete, wire.PathAction, []string{pkg, name}, platform(), nil, nil, nil)
}

func (c *cfConn) GetTrigger(ctx context.Context, name string) (*wire.Trigger, error) {
	var out wire.Trigger
	if err := c.do(ctx, "getTrigger", http.MethodGet, wire.PathTrigger, []string{name}, platform(), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (c *cfConn) PutTrigger(ctx context.Context, name, typ string, in wire.TriggerRequest, sensitive []string) (*wire.Trigger, error) {
	var out wire.Trigger
	if err := c.do(ctx, "putTrigger", http.MethodPut, wire.PathTrigger, []string{name}, platform(wire.ParamType, typ), in, sensitive, &out); err != nil {
		return nil, err
	}
	if out.Name == "" {
		out.Name = name
	}
	return &out, nil
}

func (c *cfConn) DeleteTrigger(ctx context.Context, name string) error {
	return c.do(ctx, "deleteTrigger", http.MethodDelete, wire.PathTrigger, []string{name}, platform(), nil, nil, nil)
}

// LinkAction links an action to a trigger. A POST, but linking twice is
// refused (80901), never doubled: it may be resent, and a refusal after an
// uncertain attempt means the link exists.
func (c *cfConn) LinkAction(ctx context.Context, trigger string, ref wire.ActionRef) error {
	_, err := c.c.DoJSON(ctx, &client.JSONRequest{
		API: cfclient.API, Operation: "linkAction", Method: http.MethodPost, Path: wire.PathTriggerLink,
		PathParams: []string{trigger}, Query: platform(), Body: ref, Idempotency: client.Idempotent,
	}, nil)
	return err
}

// UnlinkAction removes a link (DELETE with the same JSON body).
func (c *cfConn) UnlinkAction(ctx context.Context, trigger string, ref wire.ActionRef) error {
	return c.do(ctx, "unlinkAction", http.MethodDelete, wire.PathTriggerLink, []string{trigger}, platform(), ref, nil, nil)
}

// ActionActivations lists an action's activations, newest first [?].
func (c *cfConn) ActionActivations(ctx context.Context, pkg, name string, q url.Values) (*wire.ActivationList, error) {
	var out wire.ActivationList
	if err := c.do(ctx, "getActionActivations", http.MethodGet, wire.PathActionActivations, []string{pkg, name}, q, nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// TriggerActivations lists a trigger's activations.
func (c *cfConn) TriggerActivations(ctx context.Context, name string, q url.Values) (*wire.ActivationList, error) {
	var out wire.ActivationList
	if err := c.do(ctx, "getTriggerActivations", http.MethodGet, wire.PathTriggerActivations, []string{name}, q, nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
