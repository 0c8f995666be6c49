// Package cloudfunctions emulates NCP Cloud Functions (ncp-api.md §4) for
// ncplocal: packages, actions (basic, web, sequence), triggers (the flat
// v2.1 bodies; cron and object_storage among them), links, invocation and
// firing, and activations with their paging and ms-epoch window, on API
// v2.1 (/ncf/api/v2, platform vpc by default) and v2.0 (/api/v2, platform
// classic by default, with its body differences).
//
// Actions run for real through package runtime (python:* on python3,
// nodejs:* on node; see its documentation for the versions): invoke waits
// up to its timeout, trigger activations start their linked actions in the
// background. Each activation reaches ncplocal through a loopback address
// of its own, which forwards to ncplocal's listener with the activation id
// in objectstorage.ActivationHeader: the action's environment has it as
// NCPLOCAL_URL (and __OW_API_HOST), and every string parameter that starts
// with ncplocal's own URL is rewritten to start with it. Requests are
// checked (signatures included) exactly as any client's. That is how an
// action writing into the bucket of the trigger that started it is
// recognised: the object event names the activation, and a trigger already
// in the activation's chain is not fired again; its activation records the
// recursion as its error.
//
// Bucket events: an object event of Object Storage that matches an event
// rule (objectstorage bucket event rules) fires every object_storage
// trigger of the account naming that bucket and rule, once per event, with
// the payload {object_name, bucket_name, event_type} as runtime parameters
// (object_name is the tutorial's [C]; the other keys are [?]).
//
// Cron triggers fire on their own, by their schedule in KST (cron.go).
//
// Not emulated: github, insight, source_commit and secret_manager
// triggers are stored and can be fired by hand only; web actions are not
// served over HTTP.
package cloudfunctions

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sync"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cloudfunctions/runtime"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/rest"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
	oswire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// ServiceName is the service's name in inventory and call counts.
const ServiceName = "cloudfunctions"

// Namespace is the namespace objects report [?] (NCP shows a per-account
// namespace; ncplocal uses the account ID).
func namespaceOf(accountID string) string { return "ncplocal-" + accountID }

// VPCs is what the service needs of the VPC emulator.
type VPCs interface {
	Lookup(accountID, vpcNo, subnetNo string) (vpcFound, subnetInVpc bool)
}

// Buckets is what the service needs of the Object Storage emulator.
type Buckets interface {
	EventRule(accountID, bucket, name string) (oswire.EventRule, error)
	MatchingEventRules(accountID, bucket, key, ev string) []string
	Subscribe(fn func(ev objectstorage.ObjectEvent)) (unsubscribe func())
}

// Deps are the other emulators and the runner the service works with.
type Deps struct {
	// VPC checks the vpc of basic and web actions; nil skips the check.
	VPC VPCs
	// Buckets checks object_storage triggers and delivers bucket events;
	// nil leaves object_storage triggers unchecked and never fired by
	// events.
	Buckets Buckets
	// Runner runs actions; nil means runtime.FindRunner().
	Runner *runtime.Runner
	// MaxConcurrent bounds the activations running at once (the others
	// wait); 0 means 4.
	MaxConcurrent int
	// Clock drives the cron scheduler (cron.go); nil means the wall clock
	// with the Env's Now.
	Clock Clock
}

// Service is the Cloud Functions emulator.
type Service struct {
	*rest.Router
	env   emu.Env
	deps  Deps
	store *emu.Store
	seq   *emu.Sequence

	packages    *emu.Table[packageRecord]
	actions     *emu.Table[actionRecord]
	triggers    *emu.Table[triggerRecord]
	activations *emu.Table[activationRecord]

	slots chan struct{}
	wg    sync.WaitGroup
	// done is closed by Close; background activations stop.
	done      chan struct{}
	closeOnce sync.Once
	unsub     func()

	runnerOnce sync.Once
	runner     *runtime.Runner
}

var (
	_ emu.GatewayService = (*Service)(nil)
	_ emu.Stateful       = (*Service)(nil)
	_ emu.FaultAnswerer  = (*Service)(nil)
	_ emu.AccountLister  = (*Service)(nil)
	_ emu.Reconciler     = (*Service)(nil)
)

// Records. Actions are keyed "package/name" (NoPackage "-" for none).

type packageRecord struct {
	Name        string          `json:"name"`
	Platform    string          `json:"platform"`
	Description string          `json:"description"`
	Parameters  wire.Parameters `json:"parameters,omitempty"`
	Created     time.Time       `json:"created"`
}

type actionRecord struct {
	Package       string          `json:"package"`
	Name          string          `json:"name"`
	Platform      string          `json:"platform"`
	Type          string          `json:"type"`
	Description   string          `json:"description"`
	Parameters    wire.Parameters `json:"parameters,omitempty"`
	Exec          wire.Exec       `json:"exec"`
	Limits        *wire.Limits    `json:"limits,omitempty"`
	VPC           []wire.VPCLink  `json:"vpc,omitempty"`
	RawHTTP       bool            `json:"rawHttp"`
	CustomOptions bool            `json:"customOptions"`
	Version       int             `json:"version"`
	Created       time.Time       `json:"created"`
}

func (a *actionRecord) fullName() string { return a.Package + "/" + a.Name }

type triggerRecord struct {
	Name        string              `json:"name"`
	Platform    string              `json:"platform"`
	Type        string              `json:"type"`
	Description string              `json:"description"`
	Parameters  wire.Parameters     `json:"parameters,omitempty"`
	Body        wire.TriggerRequest `json:"body"`
	Links       []wire.ActionRef    `json:"links,omitempty"`
	Created     time.Time           `json:"created"`
}

// activationRecord is one activation: of an action (Kind its exec.kind),
// a sequence (KindSequence) or a trigger (kindTrigger). It is stored when
// it starts and completed when it ends; until then it is not listed and
// its detail answers "not found", as NCP's does for a while [C-3p].
type activationRecord struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Package  string `json:"package,omitempty"`
	Name     string `json:"name"`
	Platform string `json:"platform"`
	Cause    string `json:"cause,omitempty"`
	// Chain lists the triggers this activation descends from, nearest
	// first (recursion detection).
	Chain  []string       `json:"chain,omitempty"`
	Start  int64          `json:"start"`
	End    int64          `json:"end,omitempty"`
	Done   bool           `json:"done"`
	Status string         `json:"status,omitempty"`
	Result map[string]any `json:"result,omitempty"`
	Logs   []string       `json:"logs,omitempty"`
}

const kindTrigger = "trigger"

// New returns an empty Cloud Functions emulator.
func New(env emu.Env, deps Deps) *Service {
	if deps.MaxConcurrent <= 0 {
		deps.MaxConcurrent = 4
	}
	if deps.Clock == nil {
		deps.Clock = wallClock{env: env}
	}
	s := &Service{
		Router: rest.NewRouter(ServiceName, rest.Content, wire.PathPrefix,
			wire.PathPrefixV20+"/packages", wire.PathPrefixV20+"/triggers", wire.PathPrefixV20+"/activations"),
		env:   env,
		deps:  deps,
		slots: make(chan struct{}, deps.MaxConcurrent),
		done:  make(chan struct{}),
	}
	s.InvalidBody = func(detail string) *rest.Error {
		return &rest.Error{Status: http.StatusBadRequest, Code: badBody, Message: badBody, Details: detail}
	}
	s.store = emu.NewStore(env, ServiceName)
	s.seq = s.store.Sequence("activation", 0)
	s.packages = emu.NewTable[packageRecord](s.store, "packages")
	s.actions = emu.NewTable[actionRecord](s.store, "actions")
	s.triggers = emu.NewTable[triggerRecord](s.store, "triggers")
	s.activations = emu.NewTable[activationRecord](s.store, "activations")
	s.routes()
	if deps.Buckets != nil {
		s.unsub = deps.Buckets.Subscribe(s.onObjectEvent)
	}
	s.background(s.cronLoop)
	return s
}

// Name implements emu.Service.
func (s *Service) Name() string { return ServiceName }

// Store implements emu.Stateful.
func (s *Service) Store() *emu.Store { return s.store }

// Accounts implements emu.AccountLister.
func (s *Service) Accounts() []string { return s.store.Accounts() }

// Reset implements emu.Service: every package, action, trigger and
// activation of every account goes; activations still running finish
// unrecorded.
func (s *Service) Reset() { s.store.Reset() }

// Close stops delivering events and firing cron triggers and waits for
// the activations running in the background (their processes are killed).
func (s *Service) Close() {
	s.closeOnce.Do(func() {
		if s.unsub != nil {
			s.unsub()
		}
		close(s.done)
	})
	s.wg.Wait()
}

// FaultAnswers implements emu.FaultAnswerer: 80031 "Please try again in a
// few minutes." (HTTP 400, retryable) [C-3p].
func (s *Service) FaultAnswers() []emu.FaultAnswer {
	return []emu.FaultAnswer{rest.FaultAnswer(rest.Content, cfError(wire.CodeTryAgainLater, ""))}
}

// Inventory lists one account's packages, actions and triggers
// (activations are history, not objects, and are left out).
type Inventory struct {
	Packages []string `json:"packages"`
	Actions  []string `json:"actions"`
	Triggers []string `json:"triggers"`
	// Links are the triggers' links to actions and sequences, one
	// "trigger -> package/action" each, in trigger order.
	Links []string `json:"links,omitempty"`
}

// Inventory implements emu.Service.
func (s *Service) Inventory(accountID string) any {
	var inv Inventory
	_ = s.store.View(func(tx *emu.Tx) error {
		for _, p := range s.packages.List(tx, accountID) {
			inv.Packages = append(inv.Packages, p.Name)
		}
		for _, a := range s.actions.List(tx, accountID) {
			inv.Actions = append(inv.Actions, a.fullName())
		}
		for _, t := range s.triggers.List(tx, accountID) {
			inv.Triggers = append(inv.Triggers, t.Name)
			for _, l := range t.Links {
				inv.Links = append(inv.Links, t.Name+" -> "+l.FullName())
			}
		}
		return nil
	})
	if len(inv.Packages)+len(inv.Actions)+len(inv.Triggers) == 0 {
		return nil
	}
	return inv
}

func (s *Service) getRunner() *runtime.Runner {
	s.runnerOnce.Do(func() {
		s.runner = s.deps.Runner
		if s.runner == nil {
			s.runner = runtime.FindRunner()
		}
	})
	return s.runner
}

// ------------------------------------------------------------------ errors

// badBody is the code the router gives an unreadable body; handlers turn
// it into their own code (bodyError).
const badBody = "ncplocal-bad-body"

// cfError returns the documented error of code with details.
func cfError(code, details string) *rest.Error {
	return &rest.Error{Status: wire.Statuses[code], Code: code, Message: wire.Messages[code], Details: details}
}

func cfErrorf(code, format string, args ...any) *rest.Error {
	return cfError(code, fmt.Sprintf(format, args...))
}

// bodyError maps the router's error for an unreadable body to code.
func bodyError(err error, code string) error {
	if e, ok := err.(*rest.Error); ok && e.Code == badBody {
		return cfError(code, e.Details)
	}
	return err
}

var nameRE = regexp.MustCompile(wire.NamePattern)

// checkName checks a package, action or trigger name.
func checkName(what, name string) error {
	if !nameRE.MatchString(name) {
		return cfErrorf(wire.CodeInvalidName, "%s name %q: %s", what, name, wire.NameRule)
	}
	return nil
}

// ---------------------------------------------------------------- versions

// api is what differs between API v2.1 and v2.0 on one request.
type api struct {
	v20      bool
	platform string
}

// apiOf reads the version from the path and the platform from the query
// (v2.1 defaults to vpc, v2.0 to classic) [C].
func apiOf(c *rest.Call) (api, error) {
	a := api{v20: !hasPrefix(c.Request.URL.Path, wire.PathPrefix+"/")}
	a.platform = c.Query(wire.ParamPlatform)
	switch a.platform {
	case "":
		a.platform = wire.PlatformVPC
		if a.v20 {
			a.platform = wire.PlatformClassic
		}
	case wire.PlatformVPC, wire.PlatformClassic:
	default:
		return a, cfErrorf(wire.CodeInvalidQuery, "platform must be vpc or classic, not %q", a.platform)
	}
	return a, nil
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

// ------------------------------------------------------------------ names

// nameTaken reports which kind of object of the account holds name, ""
// when none does; except is the action key ("pkg/name") or the package
// or trigger name being updated.
func (s *Service) nameTaken(tx *emu.Tx, account, name, exceptKind, except string) string {
	if p, ok := s.packages.Get(tx, account, name); ok && (exceptKind != "package" || p.Name != except) {
		return "package"
	}
	if t, ok := s.triggers.Get(tx, account, name); ok && (exceptKind != "trigger" || t.Name != except) {
		return "trigger"
	}
	for _, a := range s.actions.List(tx, account) {
		if a.Name == name && (exceptKind != "action" || a.fullName() != except) {
			return "action " + a.fullName()
		}
	}
	return ""
}

// background runs fn in a goroutine counted by Close.
func (s *Service) background(fn func(ctx context.Context)) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			select {
			case <-s.done:
				cancel()
			case <-ctx.Done():
			}
		}()
		fn(ctx)
	}()
}
