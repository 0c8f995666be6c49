// Package globaledge emulates NCP's Global Edge API v1 (/api/v1/...,
// ncp-api.md §3): profiles, CDN edges with their lifecycle, and purge
// requests, in the {"code":"0000","message":"Success","result": ...}
// envelope.
//
// Edges move through the statuses of ncp-api.md §3.4: create PUBLISHING →
// RUNNING, stop RUNNING → STOPPING → STOPPED, activate STOPPED → ACTIVATING
// → RUNNING, an edit of a running edge back through PUBLISHING, and delete
// (only when STOPPED) DELETING → gone. Every transition takes the server's
// async delay (or the admin API's progression for its kind).
//
// VOD Station creates the edges of its channels through cdnlink.Edges,
// which Service implements with the same checks, lifecycle and limits as
// the API's create.
package globaledge

import (
	"context"
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cdnlink"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/rest"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

// ServiceName is the service's short name in inventory and operation names
// ("globaledge:createEdge").
const ServiceName = "globaledge"

// firstNo is the number before the first ID the service hands out; one
// sequence numbers profiles, edges and purge requests, never reused.
const firstNo = 1000

// Kinds of the service's objects and their transitions (ncp-api.md §3.4).
var (
	EdgeKind = emu.Kind{Name: "globaledge/edge", Transitions: []emu.Transition{
		{Name: "create", Through: []string{wire.StatusPublishing}, To: wire.StatusRunning},
		// An edit of a running edge is published again [I].
		{Name: "edit", Through: []string{wire.StatusPublishing}, To: wire.StatusRunning},
		{Name: "stop", Through: []string{wire.StatusStopping}, To: wire.StatusStopped},
		{Name: "activate", Through: []string{wire.StatusActivating}, To: wire.StatusRunning},
		{Name: "delete", Through: []string{wire.StatusDeleting}, To: emu.Gone},
	}}
	// PurgeKind: a purge request is in progress, then completed [?].
	PurgeKind = emu.Kind{Name: "globaledge/purge", Transitions: []emu.Transition{
		{Name: "purge", Through: []string{wire.PurgeInProgress}, To: wire.PurgeCompleted},
	}}
)

// Limits are the account limits the service enforces; NCP's are
// DefaultLimits, a test may lower them.
type Limits struct {
	// EdgesPerAccount bounds the edges of one account (those being
	// deleted count until they are gone).
	EdgesPerAccount int
}

// DefaultLimits: 100 edges per account [C] DOC:edge-create.
var DefaultLimits = Limits{EdgesPerAccount: wire.MaxEdgesPerAccount}

// Service is the Global Edge emulator. It implements emu.GatewayService,
// emu.Stateful and cdnlink.Edges.
type Service struct {
	*rest.Router
	env emu.Env

	store    *emu.Store
	numbers  *emu.Sequence
	profiles *emu.Table[profileRecord]
	edges    *emu.Table[edgeRecord]
	purges   *emu.Table[purgeRecord]
	edgesOf  *emu.Index[edgeRecord]

	limitsMu sync.Mutex
	limits   Limits

	cdn cdn
}

var (
	_ emu.GatewayService = (*Service)(nil)
	_ emu.Stateful       = (*Service)(nil)
	_ emu.AccountLister  = (*Service)(nil)
	_ emu.FaultAnswerer  = (*Service)(nil)
	_ cdnlink.Edges      = (*Service)(nil)
)

// profileRecord is a stored profile.
type profileRecord struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// edgeRecord is a stored edge: its configuration as last sent (with the
// service domain NCP chose), its dates and its lifecycle.
type edgeRecord struct {
	ID        int64           `json:"id"`
	Config    wire.EdgeConfig `json:"config"`
	Domain    string          `json:"domain"`
	Created   time.Time       `json:"created"`
	Modified  time.Time       `json:"modified"`
	ChannelID string          `json:"channelId,omitempty"`
	Life      emu.Life        `json:"life"`
}

// purgeRecord is a stored purge request.
type purgeRecord struct {
	ID        int64     `json:"id"`
	EdgeID    int64     `json:"edgeId"`
	Type      string    `json:"type"`
	Target    []string  `json:"target,omitempty"`
	Requested time.Time `json:"requested"`
	Life      emu.Life  `json:"life"`
}

// New returns an empty Global Edge emulator using env's clock, async delay,
// transition settings and journal. Pass it to VOD Station as its
// cdnlink.Edges.
func New(env emu.Env) *Service {
	s := &Service{env: env, limits: DefaultLimits}
	s.Router = rest.NewRouter(ServiceName, rest.Result, wire.PathPrefix)
	s.InvalidBody = func(detail string) *rest.Error { return fieldError("%s", detail) }
	s.store = emu.NewStore(env, ServiceName)
	s.numbers = s.store.Sequence("no", firstNo)
	s.profiles = emu.NewTable(s.store, "profiles", emu.WithNumbers[profileRecord](s.numbers),
		emu.WithCheck(func(_, id string, r *profileRecord) error { return checkID(id, r.ID) }))
	s.edges = emu.NewTable(s.store, "edges", emu.WithNumbers[edgeRecord](s.numbers),
		emu.WithLife(EdgeKind, func(r *edgeRecord) *emu.Life { return &r.Life }),
		emu.WithCheck(func(_, id string, r *edgeRecord) error { return checkID(id, r.ID) }))
	s.purges = emu.NewTable(s.store, "purges", emu.WithNumbers[purgeRecord](s.numbers),
		emu.WithLife(PurgeKind, func(r *purgeRecord) *emu.Life { return &r.Life }),
		emu.WithCheck(func(_, id string, r *purgeRecord) error { return checkID(id, r.ID) }))
	s.edgesOf = emu.NewIndex(s.edges, func(r *edgeRecord) string { return strconv.FormatInt(r.Config.ProfileID, 10) })
	s.store.Check(s.checkReferences)

	s.Handle("GET "+wire.PathProfiles, "getProfileList", s.listProfiles)
	s.Handle("GET "+wire.PathProfileValidation, "validateProfileName", s.validateProfileName)
	s.Handle("POST "+wire.PathProfileCreate, "createProfile", s.createProfile)
	s.Handle("PUT "+wire.PathProfile, "updateProfile", s.renameProfile)
	s.Handle("DELETE "+wire.PathProfile, "deleteProfile", s.deleteProfile)
	s.Handle("GET "+wire.PathProfileEdges, "getEdgeList", s.listEdges)
	s.Handle("POST "+wire.PathEdgeCreate, "createEdge", s.createEdge)
	s.Handle("GET "+wire.PathEdge, "getEdge", s.getEdge)
	s.Handle("GET "+wire.PathEdgePlural, "getEdge", s.getEdge)
	s.Handle("PUT "+wire.PathEdgePlural, "updateEdge", s.editEdge)
	s.Handle("GET "+wire.PathEdgeStatus, "getEdgeStatus", s.edgeStatus)
	s.Handle("POST "+wire.PathEdgesStop, "stopEdges", s.stopEdges)
	s.Handle("POST "+wire.PathEdgeActivate, "activateEdges", s.activateEdges)
	s.Handle("DELETE "+wire.PathEdges, "deleteEdges", s.deleteEdges)
	s.Handle("POST "+wire.PathPurge, "purge", s.purge)
	s.Handle("GET "+wire.PathPurgeStatus, "getPurgeStatus", s.purgeStatus)
	return s
}

// Name implements emu.Service.
func (s *Service) Name() string { return ServiceName }

// Store implements emu.Stateful.
func (s *Service) Store() *emu.Store { return s.store }

// Reset implements emu.Service: every object of every account is dropped;
// IDs keep counting up.
func (s *Service) Reset() { s.store.Reset() }

// Accounts implements emu.AccountLister.
func (s *Service) Accounts() []string { return s.store.Accounts() }

// FaultAnswers implements emu.FaultAnswerer. Global Edge documents no
// "try again" code; its 9999 Unknown Error (HTTP 500) is what a fault rule
// of kind "service" answers.
func (s *Service) FaultAnswers() []emu.FaultAnswer {
	return []emu.FaultAnswer{rest.FaultAnswer(rest.Result, &rest.Error{Status: http.StatusInternalServerError,
		Code: wire.CodeUnknown, Message: wire.MessageUnknown})}
}

// SetLimits replaces the account limits for the calls that follow.
func (s *Service) SetLimits(l Limits) {
	s.limitsMu.Lock()
	defer s.limitsMu.Unlock()
	s.limits = l
}

func (s *Service) currentLimits() Limits {
	s.limitsMu.Lock()
	defer s.limitsMu.Unlock()
	return s.limits
}

// Inventory is what Inventory returns for one account.
type Inventory struct {
	Profiles []wire.Profile      `json:"profiles"`
	Edges    []wire.EdgeListItem `json:"edges"`
	Purges   []wire.PurgeStatus  `json:"purges,omitempty"`
}

// Inventory implements emu.Service: the account's profiles, edges (with
// their status) and purge requests, or nil when it has none.
func (s *Service) Inventory(accountID string) any {
	var inv Inventory
	_ = s.store.View(func(tx *emu.Tx) error {
		for _, p := range s.profiles.List(tx, accountID) {
			inv.Profiles = append(inv.Profiles, s.profileWire(accountID, p))
		}
		for _, e := range s.edges.List(tx, accountID) {
			inv.Edges = append(inv.Edges, s.edgeItem(tx, e))
		}
		for _, p := range s.purges.List(tx, accountID) {
			inv.Purges = append(inv.Purges, s.purgeWire(tx, p))
		}
		return nil
	})
	if len(inv.Profiles)+len(inv.Edges)+len(inv.Purges) == 0 {
		return nil
	}
	return inv
}

// checkID checks that a record is stored under its own ID.
func checkID(key string, id int64) error {
	if key != strconv.FormatInt(id, 10) {
		return fmt.Errorf("stored under %q but numbered %d", key, id)
	}
	return nil
}

// checkReferences checks, on load, that every edge belongs to a profile
// of its account and every purge request to an edge.
func (s *Service) checkReferences(tx *emu.Tx) error {
	for _, a := range tx.Accounts() {
		for _, e := range s.edges.List(tx, a) {
			if _, ok := s.profiles.Get(tx, a, key(e.Config.ProfileID)); !ok {
				return fmt.Errorf("edge %d of account %s belongs to unknown profile %d", e.ID, a, e.Config.ProfileID)
			}
		}
	}
	return nil
}

func key(id int64) string { return strconv.FormatInt(id, 10) }

// customerID is the account's number as the profile list shows it
// (customerId): a stable number derived from the account ID.
func customerID(accountID string) int64 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(accountID))
	return int64(h.Sum32()%900000) + 100000
}

// Errors in the service's envelope.

// fieldError is 0040 naming the field and the rule [C] (the code; the
// wording of the details is ncplocal's).
func fieldError(format string, args ...any) *rest.Error {
	return &rest.Error{Status: http.StatusBadRequest, Code: wire.CodeFieldValidation, Message: wire.MessageFieldValidation,
		Details: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) *rest.Error {
	return &rest.Error{Status: http.StatusNotFound, Code: wire.CodeNotFound, Message: "not found", Details: fmt.Sprintf(format, args...)}
}

func notStopped(format string, args ...any) *rest.Error {
	return &rest.Error{Status: http.StatusBadRequest, Code: wire.CodeEdgeNotStopped, Message: wire.MessageEdgeNotStopped,
		Details: fmt.Sprintf(format, args...)}
}

func notAllowed(format string, args ...any) *rest.Error {
	return &rest.Error{Status: http.StatusForbidden, Code: wire.CodeNotAllowed, Message: wire.MessageNotAllowed,
		Details: fmt.Sprintf(format, args...)}
}

// update runs fn in a store transaction for call c.
func (s *Service) update(ctx context.Context, fn func(tx *emu.Tx) error) error {
	return s.store.Update(ctx, fn)
}

// parseID reads path parameter name as an ID; anything else is 0040.
func parseID(c *rest.Call, name string) (int64, error) {
	n, err := strconv.ParseInt(c.Path(name), 10, 64)
	if err != nil || n <= 0 {
		return 0, fieldError("%s must be a positive integer (got %q)", name, c.Path(name))
	}
	return n, nil
}
