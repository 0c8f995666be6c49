package journal

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Scope is one ApplyResourceChange call: the journal entries its create
// recorded, removed once OpenTofu gets the object, and the warnings to add
// to its answer. WrapServer makes one per call; without a Scope in the
// context the journal is not used.
type Scope struct {
	mu       sync.Mutex
	pending  []pending
	warnings [][2]string
}

type pending struct {
	j         *Journal
	kind, key string
}

type scopeKey struct{}

// WithScope returns ctx carrying a new Scope.
func WithScope(ctx context.Context) (context.Context, *Scope) {
	s := &Scope{}
	return context.WithValue(ctx, scopeKey{}, s), s
}

// FromContext returns the Scope of ctx, or nil.
func FromContext(ctx context.Context) *Scope {
	s, _ := ctx.Value(scopeKey{}).(*Scope)
	return s
}

// Track makes the entry of kind and key in j go when the call ends with the
// object in OpenTofu's state.
func (s *Scope) Track(j *Journal, kind, key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.pending {
		if p.j == j && p.kind == kind && p.key == key {
			return
		}
	}
	s.pending = append(s.pending, pending{j: j, kind: kind, key: key})
}

// Warn adds a warning to the call's answer.
func (s *Scope) Warn(summary, detail string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.warnings = append(s.warnings, [2]string{summary, detail})
}

// Finish ends the call: when recorded (OpenTofu gets the object in the new
// state, tainted or not) the tracked entries are removed; otherwise they
// stay, since the object may exist without OpenTofu knowing it. It returns
// the warnings and the errors of removing entries, as diagnostics.
func (s *Scope) Finish(recorded bool) []*tfprotov6.Diagnostic {
	s.mu.Lock()
	defer s.mu.Unlock()
	var diags []*tfprotov6.Diagnostic
	for _, w := range s.warnings {
		diags = append(diags, &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityWarning, Summary: w[0], Detail: w[1]})
	}
	if recorded {
		for _, p := range s.pending {
			if err := p.j.Remove(p.kind, p.key); err != nil {
				diags = append(diags, &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityWarning,
					Summary: "Create journal not cleaned up",
					Detail: err.Error() + "\n\nThe entry proves nothing once the object is in the state; " +
						"it is ignored after 7 days, or remove it by hand."})
			}
		}
	}
	s.pending, s.warnings = nil, nil
	return diags
}

// WrapServer returns s with every ApplyResourceChange run in a Scope: the
// create journal's entries are removed when the answer carries the object,
// and kept when it does not (the plugin killed before answering never gets
// here at all).
func WrapServer(s tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	return &server{ProviderServer: s}
}

type server struct {
	tfprotov6.ProviderServer
}

func (w *server) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	ctx, scope := WithScope(ctx)
	resp, err := w.ProviderServer.ApplyResourceChange(ctx, req)
	recorded := err == nil && resp != nil && !isNull(resp.NewState)
	diags := scope.Finish(recorded)
	if resp != nil {
		resp.Diagnostics = append(resp.Diagnostics, diags...)
	}
	return resp, err
}

// isNull reports whether v is a null value (msgpack nil 0xc0, JSON null) or
// absent.
func isNull(v *tfprotov6.DynamicValue) bool {
	if v == nil {
		return true
	}
	if len(v.MsgPack) > 0 {
		return len(v.MsgPack) == 1 && v.MsgPack[0] == 0xc0
	}
	return len(v.JSON) == 0 || string(v.JSON) == "null"
}
