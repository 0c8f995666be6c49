package globaledge

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/journal"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

// Typical durations of an edge's asynchronous transitions (PUBLISHING,
// STOPPING, ACTIVATING), which waiters pass to wait.Config.WithTypical [?]:
// NCP documents none; deploying to a CDN takes minutes on NCP, but the first
// poll is timed for ncplocal's default async delay, and the waiter's
// schedule stretches on its own when a transition lasts longer.
const TypicalEdgeTransition = 2 * time.Second

// Client calls the Global Edge API through one provider block's client
// core: one method per operation, nothing else (no waiting, no
// reconciliation). Reads and PUTs are idempotent; creates, stop, activate,
// delete and purge are not, so after a dropped connection the core returns
// an error for which client.IsAmbiguous is true.
type Client struct {
	core *client.Client
}

// New returns a Global Edge client on top of c.
func New(c *client.Client) *Client { return &Client{core: c} }

// Attempts is how many times one operation may be tried in all.
func (c *Client) Attempts() int { return c.core.Attempts() }

// Journal is the provider block's create journal (client.Client.Journal).
func (c *Client) Journal() *journal.Journal { return c.core.Journal() }

func id(n int64) string { return strconv.FormatInt(n, 10) }

func (c *Client) do(ctx context.Context, req *client.JSONRequest, out any) error {
	req.API = API
	_, err := c.core.DoJSON(ctx, req, out)
	return err
}

// ambiguous is the error of a success answer that lacks what it should
// carry: NCP very likely did the work.
func ambiguous(op, what string) error {
	return &client.Error{Service: ServiceName, Operation: op, Kind: client.KindAmbiguous,
		Message: "unexpected response body", Err: errors.New(what)}
}

// ListProfiles returns every profile of the account (GET /profiles). There
// is no single-profile GET [C-3p].
func (c *Client) ListProfiles(ctx context.Context) ([]wire.Profile, error) {
	var out []wire.Profile
	err := c.do(ctx, &client.JSONRequest{Operation: "getProfileList", Path: wire.PathProfiles}, &out)
	return out, err
}

// ValidateProfileName asks whether name can be used for a new profile
// (GET /profiles/validation?name=) [C-3p]; NCP's answer shape is not
// documented [?]: a boolean result, true when the name is free.
func (c *Client) ValidateProfileName(ctx context.Context, name string) (bool, error) {
	var ok bool
	err := c.do(ctx, &client.JSONRequest{Operation: "validateProfileName", Path: wire.PathProfileValidation,
		Query: url.Values{"name": {name}}}, &ok)
	return ok, err
}

// CreateProfile creates a profile (POST /profile) and returns its ID.
func (c *Client) CreateProfile(ctx context.Context, name string) (int64, error) {
	var out wire.ProfileCreated
	err := c.do(ctx, &client.JSONRequest{Operation: "createProfile", Method: http.MethodPost, Path: wire.PathProfileCreate,
		Body: wire.ProfileRequest{Name: name}}, &out)
	if err == nil && out.ProfileID == 0 {
		return 0, ambiguous("createProfile", "the answer carries no profileId")
	}
	return out.ProfileID, err
}

// RenameProfile renames profile profileID (PUT /profiles/{profileId}).
func (c *Client) RenameProfile(ctx context.Context, profileID int64, name string) error {
	return c.do(ctx, &client.JSONRequest{Operation: "updateProfile", Method: http.MethodPut, Path: wire.PathProfile,
		PathParams: []string{id(profileID)}, Body: wire.ProfileRequest{Name: name}}, nil)
}

// DeleteProfile deletes profile profileID (DELETE /profiles/{profileId});
// NCP refuses while it has edges.
func (c *Client) DeleteProfile(ctx context.Context, profileID int64) error {
	return c.do(ctx, &client.JSONRequest{Operation: "deleteProfile", Method: http.MethodDelete, Path: wire.PathProfile,
		PathParams: []string{id(profileID)}, Idempotency: client.NotIdempotent}, nil)
}

// ListEdges returns the edges of profile profileID
// (GET /profiles/{profileId}/cdn-edges).
func (c *Client) ListEdges(ctx context.Context, profileID int64) ([]wire.EdgeListItem, error) {
	var out []wire.EdgeListItem
	err := c.do(ctx, &client.JSONRequest{Operation: "getEdgeList", Path: wire.PathProfileEdges,
		PathParams: []string{id(profileID)}}, &out)
	return out, err
}

// CreateEdge creates an edge (POST /cdn-edge) and returns its ID.
func (c *Client) CreateEdge(ctx context.Context, in *wire.EdgeConfig) (int64, error) {
	var out wire.EdgeCreated
	err := c.do(ctx, &client.JSONRequest{Operation: "createEdge", Method: http.MethodPost, Path: wire.PathEdgeCreate,
		Body: in, Sensitive: sensitive(in)}, &out)
	if err == nil && out.EdgeID == 0 {
		return 0, ambiguous("createEdge", "the answer carries no edgeId")
	}
	return out.EdgeID, err
}

// GetEdge returns the configuration of edge edgeID (GET /cdn-edge/{edgeId}).
func (c *Client) GetEdge(ctx context.Context, edgeID int64) (*wire.Edge, error) {
	var out wire.Edge
	err := c.do(ctx, &client.JSONRequest{Operation: "getEdge", Path: wire.PathEdge, PathParams: []string{id(edgeID)}}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// EditEdge replaces the configuration of edge edgeID
// (PUT /cdn-edges/{edgeId}); a running edge goes back through PUBLISHING.
func (c *Client) EditEdge(ctx context.Context, edgeID int64, in *wire.EdgeConfig) error {
	return c.do(ctx, &client.JSONRequest{Operation: "updateEdge", Method: http.MethodPut, Path: wire.PathEdgePlural,
		PathParams: []string{id(edgeID)}, Body: in, Sensitive: sensitive(in), Idempotency: client.NotIdempotent}, nil)
}

// EdgeStatus returns the status of edge edgeID
// (GET /cdn-edges/{edgeId}/status).
func (c *Client) EdgeStatus(ctx context.Context, edgeID int64) (string, error) {
	var out string
	err := c.do(ctx, &client.JSONRequest{Operation: "getEdgeStatus", Path: wire.PathEdgeStatus, PathParams: []string{id(edgeID)}}, &out)
	return out, err
}

// StopEdges stops edges (POST /cdn-edges/stop).
func (c *Client) StopEdges(ctx context.Context, edgeIDs ...int64) error {
	return c.do(ctx, &client.JSONRequest{Operation: "stopEdges", Method: http.MethodPost, Path: wire.PathEdgesStop,
		Body: wire.EdgeIDs{Edges: edgeIDs}}, nil)
}

// ActivateEdges activates stopped edges (POST /cdn-edges/activate).
func (c *Client) ActivateEdges(ctx context.Context, edgeIDs ...int64) error {
	return c.do(ctx, &client.JSONRequest{Operation: "activateEdges", Method: http.MethodPost, Path: wire.PathEdgeActivate,
		Body: wire.EdgeIDs{Edges: edgeIDs}}, nil)
}

// DeleteEdges deletes stopped edges (DELETE /cdn-edges with a JSON body).
func (c *Client) DeleteEdges(ctx context.Context, edgeIDs ...int64) error {
	return c.do(ctx, &client.JSONRequest{Operation: "deleteEdges", Method: http.MethodDelete, Path: wire.PathEdges,
		Body: wire.EdgeIDs{Edges: edgeIDs}, Idempotency: client.NotIdempotent}, nil)
}

// Purge asks edge in.EdgeID to drop cached objects (POST /purge) and
// returns the request's ID.
func (c *Client) Purge(ctx context.Context, in wire.PurgeRequest) (int64, error) {
	var out wire.PurgeCreated
	err := c.do(ctx, &client.JSONRequest{Operation: "purge", Method: http.MethodPost, Path: wire.PathPurge, Body: in}, &out)
	return out.PurgeRequestID, err
}

// PurgeStatus returns a purge request (GET /purge/{purgeRequestId}).
func (c *Client) PurgeStatus(ctx context.Context, purgeRequestID int64) (*wire.PurgeStatus, error) {
	var out wire.PurgeStatus
	err := c.do(ctx, &client.JSONRequest{Operation: "getPurgeStatus", Path: wire.PathPurgeStatus, PathParams: []string{id(purgeRequestID)}}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// sensitive lists the secrets of an edge configuration: the edge
// authentication token key.
func sensitive(in *wire.EdgeConfig) []string {
	if in != nil && in.CachingConfig != nil && in.CachingConfig.EdgeAuth != nil && in.CachingConfig.EdgeAuth.TokenKey != "" {
		return []string{in.CachingConfig.EdgeAuth.TokenKey}
	}
	return nil
}
