// Package cdnlink is the seam between ncplocal's VOD Station and its Global
// Edge: a VOD Station channel created with createCdn=true (or moved with
// cdn-to-edge) gets a Global Edge edge whose origin is the channel's bucket
// (ncp-api.md §2.4), and deleting the channel leaves that edge in place.
//
// VOD Station depends only on the Edges interface; Global Edge implements
// it; internal/ncplocal/services.go connects the two. Neither service
// imports the other.
package cdnlink

import (
	"context"
	"errors"
)

// Edges is what VOD Station asks of Global Edge.
type Edges interface {
	// CreateChannelEdge creates an edge in the account's profile, exactly as
	// POST /api/v1/cdn-edge would (same checks, same lifecycle, same
	// limits), with the request's bucket as origin. It returns the stored
	// edge, whose Status is the one a new edge starts in.
	CreateChannelEdge(ctx context.Context, account string, req EdgeRequest) (Edge, error)
	// Edge returns an edge's current state, or ErrEdgeNotFound.
	Edge(ctx context.Context, account string, edgeID int64) (Edge, error)
}

// EdgeRequest is what a channel contributes to its edge.
type EdgeRequest struct {
	ProfileID    int64
	RegionType   string // KOREA | JAPAN | GLOBAL
	Name         string // derived from the channel's name; Global Edge's name rules apply
	OriginBucket string // the channel's storageBucketName
	OriginRegion string // the bucket's region, e.g. "KR"
	OriginPath   string // optional path inside the bucket
	ChannelID    string // the channel that asked, for the edge's description
}

// Edge is the part of a Global Edge edge a channel shows.
type Edge struct {
	ID     int64
	Name   string
	Domain string // the service domain (a channel's cdnDomain)
	Status string // Global Edge's edge status (ncp-api.md §3.4)
}

var (
	// ErrProfileNotFound: the profile does not exist in that account.
	ErrProfileNotFound = errors.New("global edge profile not found")
	// ErrEdgeNotFound: the edge does not exist in that account.
	ErrEdgeNotFound = errors.New("global edge edge not found")
	// ErrEdgeLimit: the account or profile cannot hold another edge.
	ErrEdgeLimit = errors.New("global edge edge limit reached")
)
