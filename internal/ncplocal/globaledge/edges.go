package globaledge

import (
	"crypto/rand"
	"net/http"
	"strings"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/rest"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

// dateLayout is how ncplocal writes registrationDate and modifyDate; NCP's
// format is not shown in the docs read [?].
const dateLayout = time.RFC3339

// autoDomain returns a fresh NCP_DOMAIN_AUTO domain: 11 lower-case letters
// and digits under wire.DomainSuffix, as in the edge-information example.
func autoDomain() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 11)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b) + wire.DomainSuffix
}

// originDomain is the host the edge fetches from, as the edge list shows
// it (originalCopyDomain).
func originDomain(cfg *wire.EdgeConfig) string {
	loc := cfg.OriginalCopyConfig.OriginalCopyLocation
	if loc.Type == "OBJECT_STORAGE" && set(loc.BucketName) {
		host := "kr.object.ncloudstorage.com"
		if set(loc.Region) {
			host = strings.ToLower(*loc.Region) + ".object.ncloudstorage.com"
		}
		return *loc.BucketName + "." + host
	}
	if set(loc.CustomLocation) {
		return *loc.CustomLocation
	}
	return ""
}

// view is what get shows: the configuration with the edge's domain.
func (e *edgeRecord) view() wire.Edge {
	cfg := e.Config
	d := *cfg.DistributionConfig
	sd := *d.ServiceDomain
	domain := e.Domain
	sd.DomainName = &domain
	d.ServiceDomain = &sd
	cfg.DistributionConfig = &d
	if cfg.HeaderPolicies == nil {
		cfg.HeaderPolicies = []wire.HeaderPolicy{}
	}
	return wire.Edge{EdgeConfig: cfg, ProductType: "CDN_EDGE"}
}

func (s *Service) edgeItem(tx *emu.Tx, e edgeRecord) wire.EdgeListItem {
	return wire.EdgeListItem{
		ID: e.ID, ProfileID: e.Config.ProfileID, EdgeName: e.Config.EdgeName, StatusType: s.edges.Status(tx, &e),
		ServiceRegionType: e.Config.DistributionConfig.RegionType, OriginalCopyDomain: originDomain(&e.Config),
		RegistrationDate: e.Created.UTC().Format(dateLayout), ModifyDate: e.Modified.UTC().Format(dateLayout),
		DomainName: e.Domain,
	}
}

// createEdgeTx creates an edge in tx after the checks of the API's create:
// the body, the profile, the domain and the account limit. Both the API
// and cdnlink go through it.
func (s *Service) createEdgeTx(tx *emu.Tx, accountID string, cfg wire.EdgeConfig, channelID string) (edgeRecord, error) {
	if e := validateEdge(&cfg); e != nil {
		return edgeRecord{}, e
	}
	if _, ok := s.profiles.Get(tx, accountID, key(cfg.ProfileID)); !ok {
		return edgeRecord{}, errProfile(cfg.ProfileID)
	}
	if limit := s.currentLimits().EdgesPerAccount; s.edges.Count(tx, accountID) >= limit {
		return edgeRecord{}, errLimit(limit)
	}
	domain := autoDomain()
	if sd := cfg.DistributionConfig.ServiceDomain; sd.DomainType != "NCP_DOMAIN_AUTO" {
		domain = *sd.DomainName
		if s.domainTaken(tx, domain, 0) {
			return edgeRecord{}, fieldError("distributionConfig.serviceDomain.domainName: %s is used by another edge", domain)
		}
	}
	e := edgeRecord{ID: int64(s.numbers.Next(tx)), Config: cfg, Domain: domain, Created: tx.Now(), Modified: tx.Now(), ChannelID: channelID}
	s.edges.Begin(tx, &e, "create")
	s.edges.Put(tx, accountID, key(e.ID), e)
	return e, nil
}

// domainTaken reports whether an edge other than except serves domain, in
// any account.
func (s *Service) domainTaken(tx *emu.Tx, domain string, except int64) bool {
	for _, a := range tx.Accounts() {
		for _, e := range s.edges.List(tx, a) {
			if e.ID != except && strings.EqualFold(e.Domain, domain) {
				return true
			}
		}
	}
	return false
}

// errProfile: the profile of an edge does not exist (0040 naming
// profileId; NCP's exact answer is not documented [?]).
func errProfile(id int64) *rest.Error {
	return fieldError("profileId: no profile %d in this account", id)
}

// errLimit: the account holds its limit of edges [C] (the limit); the code
// of the refusal is not documented: ncplocal answers 0032 [?].
func errLimit(limit int) *rest.Error {
	return notAllowed("the account already has %d edges, its limit", limit)
}

func (s *Service) createEdge(c *rest.Call) error {
	var in wire.EdgeConfig
	if err := c.Decode(&in); err != nil {
		return err
	}
	var out wire.EdgeCreated
	err := s.update(c.Context(), func(tx *emu.Tx) error {
		e, err := s.createEdgeTx(tx, c.AccountID, in, "")
		out.EdgeID = e.ID
		return err
	})
	if err != nil {
		return err
	}
	return c.OK(out)
}

// edgeOf returns the account's edge named by path parameter edgeId.
func (s *Service) edgeOf(tx *emu.Tx, c *rest.Call) (edgeRecord, error) {
	id, err := parseID(c, "edgeId")
	if err != nil {
		return edgeRecord{}, err
	}
	e, ok := s.edges.Get(tx, c.AccountID, key(id))
	if !ok {
		return edgeRecord{}, notFound("edge %d", id)
	}
	return e, nil
}

func (s *Service) getEdge(c *rest.Call) error {
	var out wire.Edge
	err := s.store.View(func(tx *emu.Tx) error {
		e, err := s.edgeOf(tx, c)
		if err == nil {
			out = e.view()
		}
		return err
	})
	if err != nil {
		return err
	}
	return c.OK(out)
}

func (s *Service) edgeStatus(c *rest.Call) error {
	var out string
	err := s.store.View(func(tx *emu.Tx) error {
		e, err := s.edgeOf(tx, c)
		if err == nil {
			out = s.edges.Status(tx, &e)
		}
		return err
	})
	if err != nil {
		return err
	}
	return c.OK(out)
}

func (s *Service) listEdges(c *rest.Call) error {
	id, err := parseID(c, "profileId")
	if err != nil {
		return err
	}
	var out []wire.EdgeListItem
	err = s.store.View(func(tx *emu.Tx) error {
		if _, ok := s.profiles.Get(tx, c.AccountID, key(id)); !ok {
			return notFound("profile %d", id)
		}
		for _, e := range s.edgesOf.List(tx, c.AccountID, key(id)) {
			out = append(out, s.edgeItem(tx, e))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return c.List(out, len(out))
}

// editEdge replaces an edge's configuration (ncp-api.md §3.1, edge edit).
// regionType cannot be edited [C] and the edge stays in its profile; a
// RUNNING edge is published again (PUBLISHING → RUNNING) [I], a STOPPED one
// keeps its status, and one in a transition refuses (0250).
func (s *Service) editEdge(c *rest.Call) error {
	var in wire.EdgeConfig
	if err := c.Decode(&in); err != nil {
		return err
	}
	if e := validateEdge(&in); e != nil {
		return e
	}
	err := s.update(c.Context(), func(tx *emu.Tx) error {
		e, err := s.edgeOf(tx, c)
		if err != nil {
			return err
		}
		if in.ProfileID != e.Config.ProfileID {
			return fieldError("profileId: an edge cannot move to another profile (it is in %d)", e.Config.ProfileID)
		}
		if in.DistributionConfig.RegionType != e.Config.DistributionConfig.RegionType {
			return fieldError("distributionConfig.regionType: cannot be edited (it is %s)", e.Config.DistributionConfig.RegionType)
		}
		domain := e.Domain
		if sd := in.DistributionConfig.ServiceDomain; sd.DomainType != "NCP_DOMAIN_AUTO" {
			domain = *sd.DomainName
			if s.domainTaken(tx, domain, e.ID) {
				return fieldError("distributionConfig.serviceDomain.domainName: %s is used by another edge", domain)
			}
		} else if e.Config.DistributionConfig.ServiceDomain.DomainType != "NCP_DOMAIN_AUTO" {
			domain = autoDomain()
		}
		switch st := s.edges.Status(tx, &e); st {
		case wire.StatusRunning:
			s.edges.Begin(tx, &e, "edit")
		case wire.StatusStopped:
		default:
			return notStopped("edge %d is %s; it can be edited when %s or %s", e.ID, st, wire.StatusRunning, wire.StatusStopped)
		}
		in.DistributionConfig.ServiceDomain.DomainName = nil
		e.Config, e.Domain, e.Modified = in, domain, tx.Now()
		s.edges.Put(tx, c.AccountID, key(e.ID), e)
		return nil
	})
	if err != nil {
		return err
	}
	return c.OK(true)
}

// changeEdges runs transition on every edge of the body {"edges":[...]},
// all or none: each must exist and be in status from, else 0250.
func (s *Service) changeEdges(c *rest.Call, from, transition string) error {
	var in wire.EdgeIDs
	if err := c.Decode(&in); err != nil {
		return err
	}
	if len(in.Edges) == 0 {
		return fieldError("edges: must list at least one edge")
	}
	err := s.update(c.Context(), func(tx *emu.Tx) error {
		for _, id := range in.Edges {
			e, ok := s.edges.Get(tx, c.AccountID, key(id))
			if !ok {
				return notFound("edge %d", id)
			}
			if st := s.edges.Status(tx, &e); st != from {
				return notStopped("edge %d is %s; %s needs %s", id, st, transition, from)
			}
			s.edges.Begin(tx, &e, transition)
			e.Modified = tx.Now()
			s.edges.Put(tx, c.AccountID, key(id), e)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return c.OK(true)
}

func (s *Service) stopEdges(c *rest.Call) error {
	return s.changeEdges(c, wire.StatusRunning, "stop")
}

func (s *Service) activateEdges(c *rest.Call) error {
	return s.changeEdges(c, wire.StatusStopped, "activate")
}

// deleteEdges deletes stopped edges (0250 otherwise [C-3p]).
func (s *Service) deleteEdges(c *rest.Call) error {
	return s.changeEdges(c, wire.StatusStopped, "delete")
}

func (s *Service) purgeWire(tx *emu.Tx, p purgeRecord) wire.PurgeStatus {
	return wire.PurgeStatus{PurgeRequestID: p.ID, EdgeID: p.EdgeID, PurgeType: p.Type, PurgeTarget: p.Target,
		Status: s.purges.Status(tx, &p), RequestDate: p.Requested.UTC().Format(dateLayout)}
}

// purge records a purge request of a running edge; it is in progress for
// the async delay, then completed [?].
func (s *Service) purge(c *rest.Call) error {
	var in wire.PurgeRequest
	if err := c.Decode(&in); err != nil {
		return err
	}
	if in.EdgeID <= 0 {
		return fieldError("edgeId: is required")
	}
	k := &checker{}
	k.oneOf("purgeType", in.PurgeType, wire.PurgeTypes)
	if k.err != nil {
		return k.err
	}
	if in.PurgeType != "ALL" && len(in.PurgeTarget) == 0 {
		return fieldError("purgeTarget: must list at least one target with purgeType %s", in.PurgeType)
	}
	for i, t := range in.PurgeTarget {
		if !strings.HasPrefix(t, "/") {
			return fieldError("purgeTarget[%d]: must start with / (got %q)", i, t)
		}
	}
	var out wire.PurgeCreated
	err := s.update(c.Context(), func(tx *emu.Tx) error {
		e, ok := s.edges.Get(tx, c.AccountID, key(in.EdgeID))
		if !ok {
			return notFound("edge %d", in.EdgeID)
		}
		if st := s.edges.Status(tx, &e); st != wire.StatusRunning {
			return &rest.Error{Status: http.StatusBadRequest, Code: wire.CodeEdgeNotStopped, Message: "the edge cannot perform the action",
				Details: "edge " + key(in.EdgeID) + " is " + st + "; a purge needs " + wire.StatusRunning}
		}
		p := purgeRecord{ID: int64(s.numbers.Next(tx)), EdgeID: in.EdgeID, Type: in.PurgeType, Target: in.PurgeTarget, Requested: tx.Now()}
		if in.PurgeType == "ALL" {
			p.Target = nil
		}
		s.purges.Begin(tx, &p, "purge")
		s.purges.Put(tx, c.AccountID, key(p.ID), p)
		out.PurgeRequestID = p.ID
		return nil
	})
	if err != nil {
		return err
	}
	return c.OK(out)
}

func (s *Service) purgeStatus(c *rest.Call) error {
	id, err := parseID(c, "purgeRequestId")
	if err != nil {
		return err
	}
	var out wire.PurgeStatus
	err = s.store.View(func(tx *emu.Tx) error {
		p, ok := s.purges.Get(tx, c.AccountID, key(id))
		if !ok {
			return notFound("purge request %d", id)
		}
		out = s.purgeWire(tx, p)
		return nil
	})
	if err != nil {
		return err
	}
	return c.OK(out)
}
