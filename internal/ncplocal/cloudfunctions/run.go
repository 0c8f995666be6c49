package cloudfunctions

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cloudfunctions/runtime"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/objectstorage"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// maxSequenceDepth bounds the nesting of sequences in sequences.
const maxSequenceDepth = 10

// Environment variables an action gets besides its parameters: its own
// address of ncplocal (see the package documentation) and OpenWhisk's
// __OW_* variables.
const (
	EnvNcplocalURL  = "NCPLOCAL_URL"
	EnvAPIHost      = "__OW_API_HOST"
	EnvActivationID = "__OW_ACTIVATION_ID"
	EnvActionName   = "__OW_ACTION_NAME"
	EnvNamespace    = "__OW_NAMESPACE"
)

// newActivationID returns a 32-hex-digit id whose first 12 digits count
// up, so that the activations table lists in start order.
// Every pruneEvery-th activation drops the activations older than
// wire.ActivationRetention (they can no longer be queried), so that the
// history stays bounded.
func (s *Service) newActivationID(tx *emu.Tx) string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	n := s.seq.Next(tx)
	if n%pruneEvery == 0 {
		s.prune(tx)
	}
	return fmt.Sprintf("%012x", n) + hex.EncodeToString(b[:])
}

const pruneEvery = 256

// prune deletes the finished activations older than the retention.
func (s *Service) prune(tx *emu.Tx) {
	oldest := tx.Now().Add(-wire.ActivationRetention).UnixMilli()
	for _, account := range tx.Accounts() {
		for _, r := range s.activations.List(tx, account) {
			if r.Start >= oldest {
				break // listed in start order
			}
			if r.Done {
				s.activations.Delete(tx, account, r.ID)
			}
		}
	}
}

// Reconcile implements emu.Reconciler: activations that were running when
// ncplocal stopped never finish; after a restart they are recorded as
// failed, so that nothing stays "running" for ever.
func (s *Service) Reconcile(ctx context.Context) error {
	return s.store.Update(ctx, func(tx *emu.Tx) error {
		for _, account := range tx.Accounts() {
			for _, r := range s.activations.List(tx, account) {
				if r.Done {
					continue
				}
				r.Done, r.End = true, max(tx.Now().UnixMilli(), r.Start)
				r.Status = string(runtime.InternalError)
				r.Result = map[string]any{"error": "ncplocal stopped while the activation ran; it was not completed"}
				s.activations.Put(tx, account, r.ID, r)
			}
		}
		return nil
	})
}

func timeoutDuration(ms int) time.Duration { return time.Duration(ms) * time.Millisecond }

// runHandle is an activation started in the background.
type runHandle struct {
	id     string
	done   chan struct{}
	result *wire.Activation
}

// wait returns the finished activation, or nil when it has not finished
// within d (or ctx ends first).
func (h *runHandle) wait(ctx context.Context, d time.Duration) *wire.Activation {
	if d <= 0 {
		select {
		case <-h.done:
			return h.result
		default:
			return nil
		}
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-h.done:
		return h.result
	case <-t.C:
	case <-ctx.Done():
	}
	return nil
}

// activationView is an activation as the API shows it.
func activationView(account string, r activationRecord) wire.Activation {
	st := runtime.Status(r.Status)
	v := wire.Activation{ActivationID: r.ID, Name: r.Name, Namespace: namespaceOf(account), Start: r.Start, End: r.End,
		Duration: max(r.End-r.Start, 0), StatusCode: st.StatusCode(), Logs: r.Logs, Kind: r.Kind, Cause: r.Cause,
		Response: wire.ActivationResponse{Status: r.Status, StatusCode: st.StatusCode(), Success: st == runtime.Success, Result: r.Result}}
	if r.Package != "" && r.Package != wire.NoPackage {
		v.Name = r.Package + "/" + r.Name
	}
	if v.Logs == nil {
		v.Logs = []string{}
	}
	if v.Response.Result == nil {
		v.Response.Result = map[string]any{}
	}
	return v
}

// step is one runnable action of a run, with its own default parameters.
type step struct {
	name   string
	action runtime.Action
	params wire.Parameters
}

func runtimeAction(a actionRecord) runtime.Action {
	ra := runtime.Action{Kind: a.Exec.Kind, Code: a.Exec.Code, Binary: a.Exec.Binary, Main: a.Exec.Main}
	if a.Limits != nil {
		ra.Timeout = timeoutDuration(a.Limits.Timeout)
		ra.MemoryMB = a.Limits.Memory
	}
	return ra
}

// expand resolves an action into the steps it runs: itself, or a
// sequence's components in order (nested sequences flattened).
func (s *Service) expand(tx *emu.Tx, account string, a actionRecord, depth int) ([]step, error) {
	if !isSequenceType(a.Type) {
		var pkgParams wire.Parameters
		if p, ok := s.packages.Get(tx, account, a.Package); ok {
			pkgParams = p.Parameters
		}
		return []step{{name: a.fullName(), action: runtimeAction(a), params: wire.Merge(pkgParams, a.Parameters)}}, nil
	}
	if depth >= maxSequenceDepth {
		return nil, fmt.Errorf("sequence %s nests more than %d sequences", a.fullName(), maxSequenceDepth)
	}
	var steps []step
	for _, comp := range a.Exec.Components {
		c, ok := s.actions.Get(tx, account, comp)
		if !ok {
			return nil, fmt.Errorf("the component %s of sequence %s does not exist", comp, a.fullName())
		}
		sub, err := s.expand(tx, account, c, depth+1)
		if err != nil {
			return nil, err
		}
		steps = append(steps, sub...)
	}
	return steps, nil
}

// startAction records the start of an activation of a (an action or a
// sequence) and runs it in the background with the parameters package <
// action < trigger < runtime. cause is the activation that started it (a
// trigger's), chain the triggers it descends from.
func (s *Service) startAction(ctx context.Context, account string, a actionRecord, runtimeParams, triggerParams wire.Parameters, cause string, chain []string) (*runHandle, error) {
	h := &runHandle{done: make(chan struct{})}
	var steps []step
	var expandErr error
	var own wire.Parameters
	err := s.store.Update(ctx, func(tx *emu.Tx) error {
		h.id = s.newActivationID(tx)
		steps, expandErr = s.expand(tx, account, a, 0)
		var pkgParams wire.Parameters
		if p, ok := s.packages.Get(tx, account, a.Package); ok {
			pkgParams = p.Parameters
		}
		own = wire.Merge(pkgParams, a.Parameters, triggerParams, runtimeParams)
		kind := a.Exec.Kind
		s.activations.Put(tx, account, h.id, activationRecord{ID: h.id, Kind: kind, Package: a.Package, Name: a.Name,
			Platform: a.Platform, Cause: cause, Chain: chain, Start: tx.Now().UnixMilli()})
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.background(func(bctx context.Context) {
		defer close(h.done)
		select {
		case s.slots <- struct{}{}:
			defer func() { <-s.slots }()
		case <-bctx.Done():
			return
		}
		var rec *activationRecord
		if expandErr != nil {
			rec = &activationRecord{Status: string(runtime.DeveloperError), Result: map[string]any{"error": expandErr.Error()}}
		} else {
			rec = s.run(bctx, account, h.id, a, steps, own)
		}
		if rec == nil {
			return
		}
		h.result = s.finish(account, h.id, rec)
	})
	return h, nil
}

// run runs the steps of activation id and returns its outcome; nil when
// ncplocal is closing.
func (s *Service) run(ctx context.Context, account, id string, a actionRecord, steps []step, params wire.Parameters) *activationRecord {
	endpoint, closeEndpoint := s.endpoint(id)
	defer closeEndpoint()
	env := map[string]string{EnvActivationID: id, EnvNamespace: namespaceOf(account),
		EnvActionName: "/" + namespaceOf(account) + "/" + a.fullName()}
	if endpoint != "" {
		env[EnvNcplocalURL] = endpoint
		env[EnvAPIHost] = endpoint
		params = rewriteURLs(params, s.baseURL(), endpoint)
	}
	runner := s.getRunner()
	if !isSequenceType(a.Type) {
		act, err := runner.Run(ctx, steps[0].action, runtime.Invocation{Params: params, Env: env})
		if err != nil {
			return nil
		}
		return &activationRecord{Status: string(act.Status), Result: act.Result, Logs: act.Logs}
	}
	rsteps := make([]runtime.Step, len(steps))
	for i, st := range steps {
		rsteps[i] = runtime.Step{Name: st.name, Action: st.action, Params: rewriteURLs(st.params, s.baseURL(), endpoint)}
	}
	sr, err := runner.Sequence(ctx, rsteps, params, env)
	if err != nil {
		return nil
	}
	// Each step is an activation of its own, caused by the sequence's; the
	// sequence's logs list their ids, as OpenWhisk's do.
	var ids []string
	_ = s.store.Update(context.Background(), func(tx *emu.Tx) error {
		if _, ok := s.activations.Get(tx, account, id); !ok {
			return nil // reset meanwhile
		}
		for _, st := range sr.Steps {
			sid := s.newActivationID(tx)
			pkg, name, _ := strings.Cut(st.Name, "/")
			kind := ""
			if c, ok := s.actions.Get(tx, account, st.Name); ok {
				kind = c.Exec.Kind
			}
			s.activations.Put(tx, account, sid, activationRecord{ID: sid, Kind: kind, Package: pkg, Name: name, Platform: a.Platform,
				Cause: id, Start: st.Activation.Start.UnixMilli(), End: st.Activation.End.UnixMilli(), Done: true,
				Status: string(st.Activation.Status), Result: st.Activation.Result, Logs: st.Activation.Logs})
			ids = append(ids, sid)
		}
		return nil
	})
	return &activationRecord{Status: string(sr.Status), Result: sr.Result, Logs: ids}
}

// finish records the outcome of activation id.
func (s *Service) finish(account, id string, out *activationRecord) *wire.Activation {
	var view *wire.Activation
	_ = s.store.Update(context.Background(), func(tx *emu.Tx) error {
		r, ok := s.activations.Get(tx, account, id)
		if !ok {
			return nil // reset meanwhile
		}
		r.Done, r.End = true, max(tx.Now().UnixMilli(), r.Start)
		r.Status, r.Result, r.Logs = out.Status, out.Result, out.Logs
		if r.Result == nil {
			r.Result = map[string]any{}
		}
		s.activations.Put(tx, account, id, r)
		v := activationView(account, r)
		view = &v
		return nil
	})
	return view
}

// fire fires trigger name with runtime parameters: a trigger activation
// is recorded and every linked action starts (in the background), each
// once. cause is the activation whose request led to the firing (an
// object event's), "" for a direct fire. When the trigger is already in
// the cause's chain, the firing is a recursion: the trigger activation
// records it as its error and nothing runs.
func (s *Service) fire(ctx context.Context, account, name string, params wire.Parameters, cause string) (string, error) {
	var t triggerRecord
	var chain []string
	var recursion string
	var tid string
	err := s.store.Update(ctx, func(tx *emu.Tx) error {
		var ok bool
		if t, ok = s.triggers.Get(tx, account, name); !ok {
			return cfErrorf(wire.CodeTriggerNotFound, "trigger %q does not exist", name)
		}
		if cause != "" {
			if c, ok := s.activations.Get(tx, account, cause); ok {
				chain = c.Chain
				if slices.Contains(c.Chain, name) {
					who := c.Name
					if c.Package != "" && c.Package != wire.NoPackage {
						who = c.Package + "/" + c.Name
					}
					recursion = fmt.Sprintf("recursion stopped: activation %s of %s, started by trigger %q, wrote into a bucket that fires trigger %q again; "+
						"an action must not write where its own trigger listens (NCP warns about this loop)", cause, who, name, name)
				}
			}
		}
		tid = s.newActivationID(tx)
		r := activationRecord{ID: tid, Kind: kindTrigger, Name: name, Platform: t.Platform, Cause: cause, Chain: chain,
			Start: tx.Now().UnixMilli(), End: tx.Now().UnixMilli()}
		if recursion != "" {
			r.Done, r.Status, r.Result = true, string(runtime.ApplicationError), map[string]any{"error": recursion}
		}
		s.activations.Put(tx, account, tid, r)
		return nil
	})
	if err != nil || recursion != "" {
		return tid, err
	}
	chain = append([]string{name}, chain...)
	var logs []string
	for _, ref := range t.Links {
		var a actionRecord
		var ok bool
		_ = s.store.View(func(tx *emu.Tx) error {
			a, ok = s.actions.Get(tx, account, ref.FullName())
			return nil
		})
		line := map[string]any{"action": ref.FullName()}
		if !ok {
			line["success"], line["error"] = false, "the linked action does not exist"
		} else if h, err := s.startAction(ctx, account, a, params, t.Parameters, tid, chain); err != nil {
			line["success"], line["error"] = false, err.Error()
		} else {
			line["success"], line["activationId"] = true, h.id
		}
		b, _ := json.Marshal(line)
		logs = append(logs, string(b))
	}
	result := map[string]any(wire.Merge(t.Parameters, params))
	_ = s.store.Update(ctx, func(tx *emu.Tx) error {
		r, ok := s.activations.Get(tx, account, tid)
		if !ok {
			return nil
		}
		r.Done, r.End, r.Status, r.Result, r.Logs = true, tx.Now().UnixMilli(), string(runtime.Success), result, logs
		s.activations.Put(tx, account, tid, r)
		return nil
	})
	return tid, nil
}

// onObjectEvent fires the object_storage triggers whose bucket event rule
// matches ev, each once, with the payload {object_name, bucket_name,
// event_type}.
func (s *Service) onObjectEvent(ev objectstorage.ObjectEvent) {
	select {
	case <-s.done:
		return
	default:
	}
	if ev.Name == "" || s.deps.Buckets == nil {
		return
	}
	rules := s.deps.Buckets.MatchingEventRules(ev.AccountID, ev.Bucket, ev.Key, ev.Name)
	if len(rules) == 0 {
		return
	}
	var names []string
	_ = s.store.View(func(tx *emu.Tx) error {
		for _, t := range s.triggers.List(tx, ev.AccountID) {
			if t.Type != wire.TriggerTypeObjectStorage || len(t.Links) == 0 {
				continue
			}
			if slices.ContainsFunc(t.Body.ObjectStorageLink, func(l wire.ObjectStorageLink) bool {
				return l.BucketName == ev.Bucket && slices.Contains(rules, l.EventRuleName)
			}) {
				names = append(names, t.Name)
			}
		}
		return nil
	})
	payload := wire.Parameters{wire.EventKeyObjectName: ev.Key, wire.EventKeyBucketName: ev.Bucket, wire.EventKeyEventType: ev.Name}
	for _, n := range names {
		_, _ = s.fire(context.Background(), ev.AccountID, n, payload, ev.Cause)
	}
}

// baseURL is ncplocal's own URL, "" when unknown.
func (s *Service) baseURL() string {
	if s.env.BaseURL == nil {
		return ""
	}
	return s.env.BaseURL()
}

// endpoint opens activation id's own loopback address of ncplocal: a
// reverse proxy to ncplocal's listener that keeps the Host the action
// used (so signatures over it hold) and marks every request with the
// activation (objectstorage.ActivationHeader). "" when ncplocal's URL is
// unknown.
func (s *Service) endpoint(id string) (string, func()) {
	base := s.baseURL()
	target, err := url.Parse(base)
	if base == "" || err != nil {
		return "", func() {}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", func() {}
	}
	proxy := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target)
		pr.Out.Host = pr.In.Host
		pr.Out.Header.Set(objectstorage.ActivationHeader, id)
	}}
	srv := &http.Server{Handler: proxy, ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }
}

// rewriteURLs returns params with every string value that starts with
// base starting with endpoint instead.
func rewriteURLs(params wire.Parameters, base, endpoint string) wire.Parameters {
	if base == "" || endpoint == "" {
		return params
	}
	out := make(wire.Parameters, len(params))
	for k, v := range params {
		if str, ok := v.(string); ok && strings.HasPrefix(str, base) {
			v = endpoint + strings.TrimPrefix(str, base)
		}
		out[k] = v
	}
	return out
}
