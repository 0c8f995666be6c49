package globaledge

import (
	"context"
	"errors"
	"fmt"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cdnlink"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/rest"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

// ChannelEdgeConfig is the configuration of the edge a VOD Station channel
// gets: the channel's bucket as an Object Storage origin over HTTP, NCP's
// automatic domain, caching by the origin's Cache-Control, CORS on (players
// load segments across origins). NCP does not document what VOD Station
// sends [?]; these are the create body's documented defaults otherwise.
func ChannelEdgeConfig(req cdnlink.EdgeRequest) wire.EdgeConfig {
	region := req.OriginRegion
	if region == "" {
		region = "KR"
	}
	bucket := req.OriginBucket
	var path *string
	if req.OriginPath != "" {
		p := req.OriginPath
		path = &p
	}
	return wire.EdgeConfig{
		ProfileID: req.ProfileID,
		EdgeName:  req.Name,
		DistributionConfig: &wire.DistributionConfig{
			ProtocolType:  "HTTPS",
			RegionType:    req.RegionType,
			ServiceDomain: &wire.ServiceDomain{DomainType: "NCP_DOMAIN_AUTO"},
			EdgeLogging:   &wire.EdgeLogging{},
		},
		OriginalCopyConfig: &wire.OriginalCopyConfig{
			OriginalCopyLocation: &wire.OriginLocation{Type: "OBJECT_STORAGE", Region: &region, BucketName: &bucket},
			ForwardHostHeader:    &wire.ForwardHostHeader{Type: "ORIGIN_HOSTNAME"},
			OriginalCopyProtocol: &wire.OriginProtocol{Type: "HTTP", Port: 80},
			OriginalCopyPath:     path,
		},
		CachingConfig: &wire.CachingConfig{
			DefaultCaching:            &wire.DefaultCaching{Enabled: true, RuleDefinitionType: "ORIGIN_CACHE_CONTROL_HEADER"},
			BypassQueryString:         &wire.Toggle{},
			CacheKeyHostname:          "INCOMING_HOST_HEADER",
			CacheKeyIgnoreQueryString: &wire.IgnoreQueryString{Type: "ALL_ALLOWED"},
			EdgeAuth:                  &wire.EdgeAuth{},
			CachingRules:              []wire.CachingRule{},
		},
		ManagedRule:        &wire.ManagedRule{Cors: true, HTTP2: true},
		HeaderPolicies:     []wire.HeaderPolicy{},
		OptimizationConfig: &wire.OptimizationConfig{HTTPCompression: true, LargeFileOptimization: true},
		AccessControl:      &wire.AccessControl{Type: "BLACKLIST", IPPolicies: []string{}, GeoPolicies: []string{}, RefererPolicies: []string{}},
	}
}

// CreateChannelEdge implements cdnlink.Edges: it creates the edge of a
// channel exactly as POST /api/v1/cdn-edge would (same checks, lifecycle
// and limits), within ctx's request so that it is durable before the
// channel's answer.
func (s *Service) CreateChannelEdge(ctx context.Context, account string, req cdnlink.EdgeRequest) (cdnlink.Edge, error) {
	var out cdnlink.Edge
	err := s.store.Update(ctx, func(tx *emu.Tx) error {
		e, err := s.createEdgeTx(tx, account, ChannelEdgeConfig(req), req.ChannelID)
		if err != nil {
			return err
		}
		out = cdnlink.Edge{ID: e.ID, Name: e.Config.EdgeName, Domain: e.Domain, Status: s.edges.Status(tx, &e)}
		return nil
	})
	var re *rest.Error
	switch {
	case err == nil:
		return out, nil
	case errors.As(err, &re) && re.Code == wire.CodeFieldValidation && re.Details == errProfile(req.ProfileID).Details:
		return cdnlink.Edge{}, fmt.Errorf("%w: %d", cdnlink.ErrProfileNotFound, req.ProfileID)
	case errors.As(err, &re) && re.Code == wire.CodeNotAllowed:
		return cdnlink.Edge{}, fmt.Errorf("%w: %s", cdnlink.ErrEdgeLimit, re.Details)
	default:
		return cdnlink.Edge{}, err
	}
}

// Edge implements cdnlink.Edges.
func (s *Service) Edge(_ context.Context, account string, edgeID int64) (cdnlink.Edge, error) {
	var out cdnlink.Edge
	err := s.store.View(func(tx *emu.Tx) error {
		e, ok := s.edges.Get(tx, account, key(edgeID))
		if !ok {
			return fmt.Errorf("%w: %d", cdnlink.ErrEdgeNotFound, edgeID)
		}
		out = cdnlink.Edge{ID: e.ID, Name: e.Config.EdgeName, Domain: e.Domain, Status: s.edges.Status(tx, &e)}
		return nil
	})
	return out, err
}
