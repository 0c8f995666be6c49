// Package cdnlinktest is a small in-memory cdnlink.Edges for tests of VOD
// Station without Global Edge: profiles are made through a test hook
// (AddProfile), edges created for channels start PUBLISHING and show
// RUNNING from the next look-up on, as Global Edge's deploy would.
package cdnlinktest

import (
	"context"
	"fmt"
	"sync"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cdnlink"
)

// Fake implements cdnlink.Edges. The zero value is not usable; call New.
type Fake struct {
	mu       sync.Mutex
	profiles map[string]map[int64]bool // account → profile IDs
	edges    map[string]map[int64]*fakeEdge
	next     int64
	// Limit is the number of edges an account may hold (Global Edge's is
	// 100); 0 means no limit.
	Limit int
}

type fakeEdge struct {
	edge    cdnlink.Edge
	req     cdnlink.EdgeRequest
	lookups int
}

// New returns an empty fake.
func New() *Fake {
	return &Fake{profiles: map[string]map[int64]bool{}, edges: map[string]map[int64]*fakeEdge{}, next: 5700}
}

// AddProfile creates a profile in account and returns its ID.
func (f *Fake) AddProfile(account string) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	if f.profiles[account] == nil {
		f.profiles[account] = map[int64]bool{}
	}
	f.profiles[account][f.next] = true
	return f.next
}

// CreateChannelEdge implements cdnlink.Edges.
func (f *Fake) CreateChannelEdge(_ context.Context, account string, req cdnlink.EdgeRequest) (cdnlink.Edge, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.profiles[account][req.ProfileID] {
		return cdnlink.Edge{}, cdnlink.ErrProfileNotFound
	}
	if f.Limit > 0 && len(f.edges[account]) >= f.Limit {
		return cdnlink.Edge{}, cdnlink.ErrEdgeLimit
	}
	f.next++
	e := &fakeEdge{edge: cdnlink.Edge{ID: f.next, Name: req.Name, Domain: fmt.Sprintf("e%d.edge.naverncp.com", f.next), Status: "PUBLISHING"}, req: req}
	if f.edges[account] == nil {
		f.edges[account] = map[int64]*fakeEdge{}
	}
	f.edges[account][e.edge.ID] = e
	return e.edge, nil
}

// Edge implements cdnlink.Edges.
func (f *Fake) Edge(_ context.Context, account string, edgeID int64) (cdnlink.Edge, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e := f.edges[account][edgeID]
	if e == nil {
		return cdnlink.Edge{}, cdnlink.ErrEdgeNotFound
	}
	if e.lookups++; e.lookups > 1 {
		e.edge.Status = "RUNNING"
	}
	return e.edge, nil
}

// Edges returns the requests of account's edges by edge ID.
func (f *Fake) Edges(account string) map[int64]cdnlink.EdgeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[int64]cdnlink.EdgeRequest{}
	for id, e := range f.edges[account] {
		out[id] = e.req
	}
	return out
}

// DeleteEdge removes an edge, as a delete through Global Edge would.
func (f *Fake) DeleteEdge(account string, edgeID int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.edges[account], edgeID)
}
