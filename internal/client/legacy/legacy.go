// Package legacy is the client side of NCP's legacy "Ncloud API" (VPC at
// /vpc/v2, VServer at /vserver/v2; ncp-api.md §5.1), shared by the vpc and
// vserver clients: every action is a POST to PathPrefix+action with an
// application/x-www-form-urlencoded body carrying responseFormatType=json
// (and the regionCode), and its answer is unwrapped from
// {"<action>Response": {...}}.
package legacy

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
)

// API is one legacy service.
type API struct {
	// Service names the service in logs and errors, e.g. "vpc".
	Service string
	// PathPrefix is where its actions live, e.g. "/vpc/v2/".
	PathPrefix string
	// RetryableCodes are return codes meaning "nothing was done, try
	// again"; they are retried whatever the action.
	RetryableCodes []string
	// ErrorKinds classifies return codes (NCP answers every business
	// error with HTTP 400, so the status alone says little).
	ErrorKinds map[string]client.Kind
}

// Call is one action.
type Call struct {
	Action string
	// Region is the regionCode sent with the action; "" leaves it out.
	Region string
	// Params are the action's parameters (see wire.EncodeParams: empty
	// values are left out, lists are numbered with wire.AddList).
	Params url.Values
	// Idempotent marks a read: the client core may resend it after a
	// dropped connection or a 502/503/504. Creates and deletes are not.
	Idempotent bool
}

// Do sends call through core and decodes its answer into out. An answer
// that cannot be decoded is an error of KindAmbiguous when the action is
// not idempotent (see Unexpected).
func (a *API) Do(ctx context.Context, core *client.Client, call Call, out any) (*client.Response, error) {
	resp, err := core.Do(ctx, &client.Request{
		Service:        a.Service,
		Operation:      call.Action,
		Method:         http.MethodPost,
		BaseURL:        core.Config().Endpoints.Ncloud,
		Path:           a.PathPrefix + call.Action,
		Body:           wire.EncodeParams(call.Region, call.Params),
		ContentType:    wire.ContentTypeForm,
		Idempotent:     call.Idempotent,
		RetryableCodes: a.RetryableCodes,
		ErrorKinds:     a.ErrorKinds,
	})
	if err != nil {
		return nil, err
	}
	if err := wire.DecodeJSON(resp.Body, call.Action, out); err != nil {
		return nil, a.Unexpected(call.Action, resp, !call.Idempotent, err)
	}
	return resp, nil
}

// Pages reads every page of a list action: pageNo 1, 2, ... with the
// largest pageSize, until totalRows items were read or a page comes back
// short. extract returns a decoded page's items and its totalRows. The
// pages are reads, so call is sent as idempotent whatever it says.
func Pages[R, T any](ctx context.Context, a *API, core *client.Client, call Call, extract func(*R) ([]T, int)) ([]T, error) {
	var all []T
	for page := 1; ; page++ {
		p := make(url.Values, len(call.Params)+2)
		for k, vs := range call.Params {
			p[k] = append([]string(nil), vs...)
		}
		p.Set(wire.ParamPageNo, strconv.Itoa(page))
		p.Set(wire.ParamPageSize, strconv.Itoa(wire.MaxPageSize))
		var out R
		if _, err := a.Do(ctx, core, Call{Action: call.Action, Region: call.Region, Params: p, Idempotent: true}, &out); err != nil {
			return nil, err
		}
		got, total := extract(&out)
		all = append(all, got...)
		if len(got) < wire.MaxPageSize || len(all) >= total {
			return all, nil
		}
	}
}

// Unexpected is the error of a 2xx answer that cannot be used. NCP
// answered success, so a non-idempotent action (create, delete) was very
// likely carried out: with ambiguous set the error is KindAmbiguous, and
// the caller reconciles by looking the object up instead of acting again.
func (a *API) Unexpected(action string, resp *client.Response, ambiguous bool, err error) *client.Error {
	e := &client.Error{Service: a.Service, Operation: action, Message: "unexpected response body", Err: err}
	if resp != nil {
		e.HTTPStatus, e.RequestID = resp.StatusCode, resp.RequestID
	}
	if ambiguous {
		e.Kind = client.KindAmbiguous
	}
	return e
}
