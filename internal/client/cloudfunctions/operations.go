package cloudfunctions

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/journal"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// Client calls the Cloud Functions API v2.1 (platform=vpc) through one
// provider block's client core: one method per operation, nothing else.
// It is cheap to build and safe for concurrent use.
//
// PUTs (create or update by name) may be resent: the object ends the same.
// Deletes, link, unlink, invoke and fire are sent as not idempotent: after
// a dropped connection or a 502/503/504 the error is ambiguous
// (client.IsAmbiguous) and the caller looks the object up.
//
// Parameters may hold secrets: every method that sends parameters takes
// the values never to show in logs and errors (sensitive).
type Client struct {
	core *client.Client
}

// New returns a Cloud Functions client on top of c.
func New(c *client.Client) *Client { return &Client{core: c} }

// Attempts is how many times one operation may be tried in all (see
// client.Client.Attempts).
func (c *Client) Attempts() int { return c.core.Attempts() }

// Journal is the provider block's create journal (client.Client.Journal).
func (c *Client) Journal() *journal.Journal { return c.core.Journal() }

func platformQuery(extra ...string) url.Values {
	q := url.Values{wire.ParamPlatform: {wire.PlatformVPC}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return q
}

func (c *Client) do(ctx context.Context, req *client.JSONRequest, out any) (*client.JSONResponse, error) {
	req.API = API
	if req.Query == nil {
		req.Query = platformQuery()
	}
	return c.core.DoJSON(ctx, req, out)
}

// errEmpty is returned (as an ambiguous or unexpected error) when a
// success answer lacks the object.
var errEmpty = errors.New("the answer holds no content")

func (c *Client) unexpected(op string, resp *client.JSONResponse, idempotent bool) error {
	kind := client.KindServer
	if !idempotent {
		kind = client.KindAmbiguous
	}
	e := &client.Error{Service: ServiceName, Operation: op, Message: errEmpty.Error(), Kind: kind}
	if resp != nil {
		e.HTTPStatus, e.RequestID = resp.StatusCode, resp.RequestID
	}
	return e
}

// ---------------------------------------------------------------- packages

// ListPackages lists the account's packages (GET /packages).
func (c *Client) ListPackages(ctx context.Context) (*wire.PackageList, error) {
	var out wire.PackageList
	if _, err := c.do(ctx, &client.JSONRequest{Operation: "listPackages", Path: wire.PathPackages}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetPackage reads a package; a missing one is client.IsNotFound.
func (c *Client) GetPackage(ctx context.Context, name string) (*wire.Package, error) {
	var out wire.Package
	resp, err := c.do(ctx, &client.JSONRequest{Operation: "getPackage", Path: wire.PathPackage, PathParams: []string{name}}, &out)
	if err != nil {
		return nil, err
	}
	if out.Name == "" {
		return nil, c.unexpected("getPackage", resp, true)
	}
	return &out, nil
}

// PutPackage creates or updates a package. in may be nil ({} is sent).
func (c *Client) PutPackage(ctx context.Context, name string, in *wire.PackageRequest, sensitive ...string) (*wire.Package, error) {
	if in == nil {
		in = &wire.PackageRequest{}
	}
	var out wire.Package
	resp, err := c.do(ctx, &client.JSONRequest{Operation: "putPackage", Method: http.MethodPut, Path: wire.PathPackage,
		PathParams: []string{name}, Body: in, Sensitive: sensitive}, &out)
	if err != nil {
		return nil, err
	}
	if out.Name == "" {
		return nil, c.unexpected("putPackage", resp, true)
	}
	return &out, nil
}

// DeletePackage deletes a package; one that still holds actions is refused
// (80109 PACKAGE_NOT_EMPTY, client.IsConflict).
func (c *Client) DeletePackage(ctx context.Context, name string) error {
	_, err := c.do(ctx, &client.JSONRequest{Operation: "deletePackage", Method: http.MethodDelete, Path: wire.PathPackage,
		PathParams: []string{name}, Idempotency: client.NotIdempotent}, nil)
	return err
}

// ----------------------------------------------------------------- actions

// ListActions lists the actions of a package (wire.NoPackage for those
// in none).
func (c *Client) ListActions(ctx context.Context, pkg string) (*wire.ActionList, error) {
	var out wire.ActionList
	if _, err := c.do(ctx, &client.JSONRequest{Operation: "listActions", Path: wire.PathActions, PathParams: []string{pkg}}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetAction reads an action (sequences included).
func (c *Client) GetAction(ctx context.Context, pkg, name string) (*wire.Action, error) {
	var out wire.Action
	resp, err := c.do(ctx, &client.JSONRequest{Operation: "getAction", Path: wire.PathAction, PathParams: []string{pkg, name}}, &out)
	if err != nil {
		return nil, err
	}
	if out.Name == "" {
		return nil, c.unexpected("getAction", resp, true)
	}
	return &out, nil
}

// PutAction creates or updates an action of type actionType
// (wire.ActionTypeBasic, ...; "" sends none, which NCP takes as basic). The
// type of an existing action cannot change.
func (c *Client) PutAction(ctx context.Context, pkg, name, actionType string, in *wire.ActionRequest, sensitive ...string) (*wire.Action, error) {
	if in == nil {
		in = &wire.ActionRequest{}
	}
	q := platformQuery()
	if actionType != "" {
		q.Set(wire.ParamType, actionType)
	}
	var out wire.Action
	resp, err := c.do(ctx, &client.JSONRequest{Operation: "putAction", Method: http.MethodPut, Path: wire.PathAction,
		PathParams: []string{pkg, name}, Query: q, Body: in, Sensitive: sensitive}, &out)
	if err != nil {
		return nil, err
	}
	if out.Name == "" {
		return nil, c.unexpected("putAction", resp, true)
	}
	return &out, nil
}

// DeleteAction deletes an action.
func (c *Client) DeleteAction(ctx context.Context, pkg, name string) error {
	_, err := c.do(ctx, &client.JSONRequest{Operation: "deleteAction", Method: http.MethodDelete, Path: wire.PathAction,
		PathParams: []string{pkg, name}, Idempotency: client.NotIdempotent}, nil)
	return err
}

// InvokeAction runs an action with runtime parameters and waits up to
// timeout (0..wire.MaxInvokeTimeoutMs ms; a negative value sends none).
// An activation still running then answers with its id alone.
func (c *Client) InvokeAction(ctx context.Context, pkg, name string, timeout time.Duration, params wire.Parameters, sensitive ...string) (*wire.InvokeResult, error) {
	q := platformQuery()
	if timeout >= 0 {
		q.Set(wire.ParamTimeout, strconv.FormatInt(timeout.Milliseconds(), 10))
	}
	if params == nil {
		params = wire.Parameters{}
	}
	var out wire.InvokeResult
	resp, err := c.do(ctx, &client.JSONRequest{Operation: "invokeAction", Method: http.MethodPost, Path: wire.PathAction,
		PathParams: []string{pkg, name}, Query: q, Body: params, Sensitive: sensitive}, &out)
	if err != nil {
		return nil, err
	}
	if out.ActivationID == "" {
		return nil, c.unexpected("invokeAction", resp, false)
	}
	return &out, nil
}

// ActivationQuery pages and windows an activation list: PageNo from 1,
// PageSize, and Start/End (zero: NCP's default window, the last month).
// Zero PageNo and PageSize send none (NCP's defaults 1 and 20).
type ActivationQuery struct {
	PageNo, PageSize int
	Start, End       time.Time
}

func (q ActivationQuery) values() url.Values {
	v := platformQuery()
	if q.PageNo > 0 {
		v.Set(wire.ParamPageNo, strconv.Itoa(q.PageNo))
	}
	if q.PageSize > 0 {
		v.Set(wire.ParamPageSize, strconv.Itoa(q.PageSize))
	}
	if !q.Start.IsZero() {
		v.Set(wire.ParamStart, strconv.FormatInt(q.Start.UnixMilli(), 10))
	}
	if !q.End.IsZero() {
		v.Set(wire.ParamEnd, strconv.FormatInt(q.End.UnixMilli(), 10))
	}
	return v
}

// ListActionActivations lists an action's activations, newest first.
func (c *Client) ListActionActivations(ctx context.Context, pkg, name string, q ActivationQuery) (*wire.ActivationList, error) {
	var out wire.ActivationList
	if _, err := c.do(ctx, &client.JSONRequest{Operation: "listActionActivations", Path: wire.PathActionActivations,
		PathParams: []string{pkg, name}, Query: q.values()}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetActionActivation reads one activation of an action. Right after an
// invocation NCP may answer 80322 for a while (client.IsNotFound).
func (c *Client) GetActionActivation(ctx context.Context, pkg, name, id string) (*wire.Activation, error) {
	var out wire.Activation
	resp, err := c.do(ctx, &client.JSONRequest{Operation: "getActionActivation", Path: wire.PathActionActivation,
		PathParams: []string{pkg, name, id}}, &out)
	if err != nil {
		return nil, err
	}
	if out.ActivationID == "" {
		return nil, c.unexpected("getActionActivation", resp, true)
	}
	return &out, nil
}

// ListActivations lists every activation of the account, newest first.
func (c *Client) ListActivations(ctx context.Context, q ActivationQuery) (*wire.ActivationList, error) {
	var out wire.ActivationList
	if _, err := c.do(ctx, &client.JSONRequest{Operation: "listActivations", Path: wire.PathActivations, Query: q.values()}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ---------------------------------------------------------------- triggers

// ListTriggers lists the account's triggers.
func (c *Client) ListTriggers(ctx context.Context) (*wire.TriggerList, error) {
	var out wire.TriggerList
	if _, err := c.do(ctx, &client.JSONRequest{Operation: "listTriggers", Path: wire.PathTriggers}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetTrigger reads a trigger with its linked actions.
func (c *Client) GetTrigger(ctx context.Context, name string) (*wire.Trigger, error) {
	var out wire.Trigger
	resp, err := c.do(ctx, &client.JSONRequest{Operation: "getTrigger", Path: wire.PathTrigger, PathParams: []string{name}}, &out)
	if err != nil {
		return nil, err
	}
	if out.Name == "" {
		return nil, c.unexpected("getTrigger", resp, true)
	}
	return &out, nil
}

// PutTrigger creates or updates a trigger of type triggerType (required;
// immutable) with the flat v2.1 body.
func (c *Client) PutTrigger(ctx context.Context, name, triggerType string, in *wire.TriggerRequest, sensitive ...string) (*wire.Trigger, error) {
	if in == nil {
		in = &wire.TriggerRequest{}
	}
	var out wire.Trigger
	resp, err := c.do(ctx, &client.JSONRequest{Operation: "putTrigger", Method: http.MethodPut, Path: wire.PathTrigger,
		PathParams: []string{name}, Query: platformQuery(wire.ParamType, triggerType), Body: in, Sensitive: sensitive}, &out)
	if err != nil {
		return nil, err
	}
	if out.Name == "" {
		return nil, c.unexpected("putTrigger", resp, true)
	}
	return &out, nil
}

// DeleteTrigger deletes a trigger (and its links).
func (c *Client) DeleteTrigger(ctx context.Context, name string) error {
	_, err := c.do(ctx, &client.JSONRequest{Operation: "deleteTrigger", Method: http.MethodDelete, Path: wire.PathTrigger,
		PathParams: []string{name}, Idempotency: client.NotIdempotent}, nil)
	return err
}

// FireTrigger fires a trigger with runtime parameters; one without linked
// actions is refused (80512 TRIGGER_INVOKE_FAIL).
func (c *Client) FireTrigger(ctx context.Context, name string, params wire.Parameters, sensitive ...string) (*wire.FireResult, error) {
	if params == nil {
		params = wire.Parameters{}
	}
	var out wire.FireResult
	resp, err := c.do(ctx, &client.JSONRequest{Operation: "fireTrigger", Method: http.MethodPost, Path: wire.PathTrigger,
		PathParams: []string{name}, Body: params, Sensitive: sensitive}, &out)
	if err != nil {
		return nil, err
	}
	if out.ActivationID == "" {
		return nil, c.unexpected("fireTrigger", resp, false)
	}
	return &out, nil
}

// LinkAction links an action (or sequence) to a trigger; an existing link
// is 80901 DUPLICATED_RULE (client.IsConflict).
func (c *Client) LinkAction(ctx context.Context, trigger string, ref wire.ActionRef) (*wire.LinkResult, error) {
	if ref.Package == "" {
		ref.Package = wire.NoPackage
	}
	var out wire.LinkResult
	if _, err := c.do(ctx, &client.JSONRequest{Operation: "linkAction", Method: http.MethodPost, Path: wire.PathTriggerLink,
		PathParams: []string{trigger}, Body: ref}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UnlinkAction removes a link: a DELETE with the same JSON body as the
// link [C].
func (c *Client) UnlinkAction(ctx context.Context, trigger string, ref wire.ActionRef) error {
	if ref.Package == "" {
		ref.Package = wire.NoPackage
	}
	_, err := c.do(ctx, &client.JSONRequest{Operation: "unlinkAction", Method: http.MethodDelete, Path: wire.PathTriggerLink,
		PathParams: []string{trigger}, Body: ref, Idempotency: client.NotIdempotent}, nil)
	return err
}

// ListTriggerActivations lists a trigger's activations, newest first.
func (c *Client) ListTriggerActivations(ctx context.Context, trigger string, q ActivationQuery) (*wire.ActivationList, error) {
	var out wire.ActivationList
	if _, err := c.do(ctx, &client.JSONRequest{Operation: "listTriggerActivations", Path: wire.PathTriggerActivations,
		PathParams: []string{trigger}, Query: q.values()}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetTriggerActivation reads one activation of a trigger (80518 while it
// is not recorded yet).
func (c *Client) GetTriggerActivation(ctx context.Context, trigger, id string) (*wire.Activation, error) {
	var out wire.Activation
	resp, err := c.do(ctx, &client.JSONRequest{Operation: "getTriggerActivation", Path: wire.PathTriggerActivation,
		PathParams: []string{trigger, id}}, &out)
	if err != nil {
		return nil, err
	}
	if out.ActivationID == "" {
		return nil, c.unexpected("getTriggerActivation", resp, true)
	}
	return &out, nil
}
