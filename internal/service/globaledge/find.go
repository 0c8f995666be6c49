// Package globaledge holds the resources and data source of NCP's Global
// Edge API (ncp-api.md §3): ncp_global_edge_profile, ncp_global_edge_cdn
// (one CDN edge) and the ncp_global_edge_profile data source.
//
// Finders (find.go) turn NCP's answers into a not-found error when the
// object is gone, status functions (status.go) map that to wait.Gone, and
// waiters (wait.go) poll with the provider's schedule inside the
// resource's timeouts.
package globaledge

import (
	"context"
	"fmt"
	"strconv"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

// FindProfileByID returns profile id from the profile list: Global Edge has
// no single-profile GET [C-3p], so a refresh costs one list call. A profile
// the list lacks is a not-found error.
func FindProfileByID(ctx context.Context, conn *geclient.Client, id int64) (*wire.Profile, error) {
	list, err := conn.ListProfiles(ctx)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].ID == id {
			return &list[i], nil
		}
	}
	return nil, reconcile.NotFoundError(geclient.ServiceName, "getProfileList", fmt.Sprintf("profile %d", id))
}

// findProfilesByName returns the profiles named exactly name.
func findProfilesByName(ctx context.Context, conn *geclient.Client, name string) ([]*wire.Profile, error) {
	list, err := conn.ListProfiles(ctx)
	if err != nil {
		return nil, err
	}
	var out []*wire.Profile
	for i := range list {
		if list[i].ProfileName == name {
			out = append(out, &list[i])
		}
	}
	return out, nil
}

// FindEdgeByID returns edge id's configuration and status (two calls: the
// get answer carries no status). An edge being deleted (DELETING, or
// DELETED should NCP still show it [?]) is a not-found error for callers
// that manage it; the status is returned with the error's absence only.
func FindEdgeByID(ctx context.Context, conn *geclient.Client, id int64) (*wire.Edge, string, error) {
	e, err := conn.GetEdge(ctx, id)
	if err != nil {
		return nil, "", err
	}
	st, err := conn.EdgeStatus(ctx, id)
	if err != nil {
		return nil, "", err
	}
	return e, st, nil
}

// findEdgesByName returns the edges of profile profileID named exactly
// name, with their status.
func findEdgesByName(ctx context.Context, conn *geclient.Client, profileID int64, name string) ([]*wire.EdgeListItem, error) {
	list, err := conn.ListEdges(ctx, profileID)
	if err != nil {
		return nil, err
	}
	var out []*wire.EdgeListItem
	for i := range list {
		if list[i].EdgeName == name {
			out = append(out, &list[i])
		}
	}
	return out, nil
}

// isGone reports whether an error or a status says the edge no longer
// exists for its resource.
func isGone(err error, status string) bool {
	return client.IsNotFound(err) || (err == nil && (status == wire.StatusDeleting || status == wire.StatusDeleted))
}

// parseID reads a Global Edge ID kept as a string in state.
func parseID(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a Global Edge ID (a positive number)", s)
	}
	return n, nil
}

func formatID(n int64) string { return strconv.FormatInt(n, 10) }
