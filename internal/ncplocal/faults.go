package ncplocal

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"maps"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

// Fault kinds of a FaultRule.
const (
	// FaultRateLimit answers a gateway request with HTTP 429 and the
	// "Rate Limited" envelope (code 420). S3 has no 429: an S3 request gets
	// what S3 sends when throttling, HTTP 503 with <Code>SlowDown</Code>.
	FaultRateLimit = "429"
	// FaultUnavailable answers with HTTP 503: the gateway's "Endpoint Error"
	// envelope (code 500), or S3's ServiceUnavailable.
	FaultUnavailable = "503"
	// FaultReset lets the service process the request, then drops the
	// connection without sending any answer.
	FaultReset = "reset"
	// FaultService answers with one of the "try again" answers the
	// request's service registers (emu.FaultAnswerer), in its own envelope:
	// VPC's 1001015 or 3000. A request to a service that registers none
	// passes.
	FaultService = "service"
	// FaultCodePrefix + code answers with that registered answer, e.g.
	// "code:1001015". A request to a service that does not register the
	// code passes.
	FaultCodePrefix = "code:"
)

var faultKinds = []string{FaultRateLimit, FaultUnavailable, FaultReset, FaultService}

// faultKindsText lists the kinds for error messages.
const faultKindsText = `"429", "503", "reset", "service" or "code:<code>"`

// httpMethod is the shape of a method name in a rule.
var httpMethod = regexp.MustCompile(`^[A-Za-z][A-Za-z-]*$`)

// FaultRule injects failures into matching requests. Rules are tried in
// order; the first one that fires decides the fault.
type FaultRule struct {
	// Pattern is a regular expression matched against the request path
	// (unanchored: use ^ and $ as needed).
	Pattern string `json:"pattern"`
	// Method, when set, restricts the rule to one HTTP method.
	Method string `json:"method,omitempty"`
	// Rate is the probability, 0 to 1, that a matching request fails.
	Rate float64 `json:"rate"`
	// Kinds are the faults to choose from, uniformly: "429", "503",
	// "reset", "service" or "code:<code>".
	Kinds []string `json:"kinds"`
	// Seed makes the rule's decisions reproducible; every rule is
	// deterministic, 0 being a seed like any other. Whether the n-th request
	// with a given method and path that reaches the rule fails, and how, is a
	// function of (Seed, method, path, n) alone, so the outcome does not
	// depend on how requests to different paths interleave.
	Seed int64 `json:"seed,omitempty"`
}

// FieldError is a validation error naming the offending field, such as
// "rules[1].rate" or "asyncDelay".
type FieldError = emu.FieldError

// activeRule is a validated rule with its compiled pattern and, per
// method and path, how many requests reached it.
type activeRule struct {
	FaultRule
	re   *regexp.Regexp
	seen map[faultKey]uint64
}

// faultKey identifies the requests a rule counts separately.
type faultKey struct{ method, path string }

// decide reports whether the n-th request (from 0) with method and path that
// reaches the rule fails, with which kind, and a number in [0, 1) to choose
// among a service's answers. It is a pure function of the seed, method,
// path and n.
func (r *activeRule) decide(method, path string, n uint64) (fault, bool) {
	if r.Rate <= 0 {
		return fault{}, false
	}
	h := fnv.New64a()
	var buf [8]byte
	binary.LittleEndian.PutUint64(buf[:], uint64(r.Seed)) //nolint:gosec // any bit pattern is a fine seed
	_, _ = h.Write(buf[:])
	// Length prefixes keep ("GE", "T/x") apart from ("GET", "/x").
	for _, s := range []string{method, path} {
		binary.LittleEndian.PutUint64(buf[:], uint64(len(s)))
		_, _ = h.Write(buf[:])
		_, _ = h.Write([]byte(s))
	}
	binary.LittleEndian.PutUint64(buf[:], n)
	_, _ = h.Write(buf[:])
	base := h.Sum64()
	if r.Rate < 1 && uniform(base, 1) >= r.Rate {
		return fault{}, false
	}
	i := int(uniform(base, 2) * float64(len(r.Kinds)))
	return fault{kind: r.Kinds[min(i, len(r.Kinds)-1)], choice: uniform(base, 3)}, true
}

// Fails reports whether the n-th request (from 0) with method and path
// that reaches the rule fails. It is the rule's own decision, so a test that
// knows the paths it will call can pick a Seed that hits the requests it
// means to exercise instead of hoping a random draw does.
func (r FaultRule) Fails(method, path string, n uint64) bool {
	_, fire := (&activeRule{FaultRule: r}).decide(method, path, n)
	return fire
}

// fault is a decision to inject a fault.
type fault struct {
	kind string
	// choice picks among a service's answers for FaultService.
	choice float64
}

// uniform derives a number in [0, 1) from a hash and a stream number.
func uniform(h, stream uint64) float64 {
	return float64(splitmix64(h+stream*0x9e3779b97f4a7c15)>>11) / (1 << 53)
}

// splitmix64 is the SplitMix64 finalizer: a bijective mix whose output
// bits each depend on every input bit.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// faultInjector holds the fault rules; safe for concurrent use. One mutex
// guards the rules, their per-path request counts and the injected counter.
type faultInjector struct {
	mu       sync.Mutex
	rules    []activeRule
	injected int
}

// validateRules checks rules and compiles them. codes are the service codes
// "code:<code>" may name.
func validateRules(rules []FaultRule, codes map[string]bool) ([]activeRule, error) {
	out := make([]activeRule, 0, len(rules))
	for i, r := range rules {
		field := func(name string) string { return fmt.Sprintf("rules[%d].%s", i, name) }
		if r.Pattern == "" {
			return nil, &FieldError{Field: field("pattern"), Message: "must not be empty (use \".*\" to match every path)"}
		}
		re, err := regexp.Compile(r.Pattern)
		if err != nil {
			return nil, &FieldError{Field: field("pattern"), Message: err.Error()}
		}
		if math.IsNaN(r.Rate) || r.Rate < 0 || r.Rate > 1 {
			return nil, &FieldError{Field: field("rate"), Message: fmt.Sprintf("must be between 0 and 1, got %v", r.Rate)}
		}
		if len(r.Kinds) == 0 {
			return nil, &FieldError{Field: field("kinds"), Message: "must list at least one of " + faultKindsText}
		}
		for j, k := range r.Kinds {
			if code, ok := strings.CutPrefix(k, FaultCodePrefix); ok {
				if !codes[code] {
					return nil, &FieldError{Field: fmt.Sprintf("rules[%d].kinds[%d]", i, j), Message: fmt.Sprintf("no service answers code %q (codes: %s)", code, strings.Join(slices.Sorted(maps.Keys(codes)), ", "))}
				}
				continue
			}
			if !slices.Contains(faultKinds, k) {
				return nil, &FieldError{Field: fmt.Sprintf("rules[%d].kinds[%d]", i, j), Message: fmt.Sprintf("unknown fault kind %q (want %s)", k, faultKindsText)}
			}
		}
		if r.Method != "" && !httpMethod.MatchString(r.Method) {
			return nil, &FieldError{Field: field("method"), Message: fmt.Sprintf("%q is not an HTTP method", r.Method)}
		}
		r.Method = strings.ToUpper(r.Method)
		r.Kinds = slices.Clone(r.Kinds)
		out = append(out, activeRule{FaultRule: r, re: re, seen: map[faultKey]uint64{}})
	}
	return out, nil
}

func (f *faultInjector) set(rules []FaultRule, codes map[string]bool) error {
	active, err := validateRules(rules, codes)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = active
	return nil
}

// clear drops all rules and the injected count.
func (f *faultInjector) clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules, f.injected = nil, 0
}

// pick returns the fault to inject into a request; kind "" means none.
func (f *faultInjector) pick(method, path string) fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.rules {
		r := &f.rules[i]
		if r.Method != "" && r.Method != method {
			continue
		}
		if !r.re.MatchString(path) {
			continue
		}
		key := faultKey{method, path}
		n := r.seen[key]
		r.seen[key] = n + 1
		ft, fire := r.decide(method, path, n)
		if !fire {
			continue
		}
		f.injected++
		return ft
	}
	return fault{}
}

// state returns a copy of the rules and the number of injected faults.
func (f *faultInjector) state() ([]FaultRule, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rules := make([]FaultRule, len(f.rules))
	for i, r := range f.rules {
		rules[i] = r.FaultRule
		rules[i].Kinds = slices.Clone(r.Kinds)
	}
	return rules, f.injected
}

// SetFaults replaces the fault rules (nil or empty clears them) and restarts
// their per-path request counts. Invalid rules are rejected as a whole with a
// *FieldError and the previous rules stay in force. Faults apply to every
// request except the admin API.
func (s *Server) SetFaults(rules []FaultRule) error {
	codes := map[string]bool{}
	for _, svc := range s.services {
		if fa, ok := svc.(emu.FaultAnswerer); ok {
			for _, a := range fa.FaultAnswers() {
				codes[a.Code] = true
			}
		}
	}
	return s.faults.set(rules, codes)
}

// serviceFault returns the answer a "service" or "code:<code>" fault gives
// a request to svc; false when svc registers none that fits (the request
// then passes).
func (s *Server) serviceFault(svc emu.Service, f fault) (emu.FaultAnswer, bool) {
	fa, ok := svc.(emu.FaultAnswerer)
	if !ok {
		return emu.FaultAnswer{}, false
	}
	answers := fa.FaultAnswers()
	if code, ok := strings.CutPrefix(f.kind, FaultCodePrefix); ok {
		for _, a := range answers {
			if a.Code == code {
				return a, true
			}
		}
		return emu.FaultAnswer{}, false
	}
	if f.kind != FaultService || len(answers) == 0 {
		return emu.FaultAnswer{}, false
	}
	return answers[min(int(f.choice*float64(len(answers))), len(answers)-1)], true
}

// Faults returns the fault rules in force and how many faults were
// injected since they were last cleared.
func (s *Server) Faults() (rules []FaultRule, injected int) { return s.faults.state() }

// writeFault answers with an injected 429 or 503.
func writeFault(w http.ResponseWriter, r *http.Request, gateway bool, kind string) {
	const why = "injected by an ncplocal fault rule"
	switch {
	case gateway && kind == FaultRateLimit:
		setGatewayHeaders(w)
		emu.WriteGatewayError(w, apigw.CodeRateLimited, why)
	case gateway:
		setGatewayHeaders(w)
		emu.WriteGatewayError(w, apigw.CodeEndpointError, why)
	case kind == FaultRateLimit:
		// S3 never sends 429; throttling is 503 SlowDown.
		emu.WriteS3Error(w, r, http.StatusServiceUnavailable, "SlowDown", "Please reduce your request rate. ("+why+")")
	default:
		emu.WriteS3Error(w, r, http.StatusServiceUnavailable, "ServiceUnavailable", "Service is unable to handle request. ("+why+")")
	}
}
