package ncplocal

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
)

// AdminPrefix is the path prefix of the admin API. No bucket name can start
// with an underscore, so it never hides Object Storage paths.
const AdminPrefix = "/_ncplocal/"

// maxAdminBody bounds admin request bodies.
const maxAdminBody = 1 << 20

func isAdminPath(p string) bool {
	return p == strings.TrimSuffix(AdminPrefix, "/") || strings.HasPrefix(p, AdminPrefix)
}

// AdminError is the JSON body of every failed admin request.
type AdminError struct {
	Error string `json:"error"`
	// Field names the offending request field, when one is to blame.
	Field string `json:"field,omitempty"`
}

// Health is the body of GET /_ncplocal/health.
type Health struct {
	Status  string `json:"status"`
	Version string `json:"version"`
}

// FaultsState is the body of GET /_ncplocal/faults and the request body of
// PUT/POST /_ncplocal/faults (where Injected is ignored).
type FaultsState struct {
	Rules    []FaultRule `json:"rules"`
	Injected int         `json:"injected"`
}

// Config is the body of GET and PUT /_ncplocal/config. AsyncDelay is a Go
// duration string ("1.5s", "200ms", "0s"); on PUT an omitted field keeps its
// value.
type Config struct {
	AsyncDelay *string `json:"asyncDelay,omitempty"`
}

// adminEndpoint is one admin path with its handlers per method.
type adminEndpoint struct {
	path    string
	methods map[string]http.HandlerFunc
}

// adminEndpoints lists the admin API; the index (GET /_ncplocal/) shows it.
func (s *Server) adminEndpoints() []adminEndpoint {
	return []adminEndpoint{
		{"health", map[string]http.HandlerFunc{http.MethodGet: s.adminHealth}},
		{"reset", map[string]http.HandlerFunc{http.MethodPost: s.adminReset}},
		{"inventory", map[string]http.HandlerFunc{http.MethodGet: s.adminInventory}},
		{"calls", map[string]http.HandlerFunc{
			http.MethodGet:    s.adminCalls,
			http.MethodDelete: s.adminResetCalls,
		}},
		{"faults", map[string]http.HandlerFunc{
			http.MethodGet:    s.adminFaults,
			http.MethodPut:    s.adminSetFaults,
			http.MethodPost:   s.adminSetFaults,
			http.MethodDelete: s.adminClearFaults,
		}},
		{"transitions", map[string]http.HandlerFunc{
			http.MethodGet:    s.adminTransitions,
			http.MethodPut:    s.adminSetTransition,
			http.MethodPost:   s.adminSetTransition,
			http.MethodDelete: s.adminClearTransitions,
		}},
		{"transitions/advance", map[string]http.HandlerFunc{http.MethodPost: s.adminAdvance}},
		{"config", map[string]http.HandlerFunc{
			http.MethodGet: s.adminConfig,
			http.MethodPut: s.adminSetConfig,
		}},
	}
}

// serveAdmin routes an admin request. Unknown paths are 404 and unsupported
// methods 405 with an Allow header, both with an AdminError body.
//
// The admin API has no authentication, so it guards against cross-site
// request forgery: a web page open in a browser on the same machine could
// otherwise reset ncplocal or inject faults. Browsers send Origin on every
// cross-origin POST, PUT and DELETE (and fetch sends it on CORS GETs), while
// curl, scripts and the test helpers do not, so a request carrying Origin is
// refused with 403. A PUT or POST with a body must also declare it as
// application/json, which a page cannot do cross-origin without a CORS
// preflight that ncplocal never grants; a POST without a body (curl -X POST
// .../reset) needs no Content-Type.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if _, ok := r.Header["Origin"]; ok {
		writeAdminError(w, http.StatusForbidden, "", fmt.Sprintf(
			"admin requests carrying an Origin header (%q) are refused: the admin API has no authentication, "+
				"so requests from web pages (which browsers mark with Origin) could reset state or inject faults; "+
				"call it from curl or a script instead", r.Header.Get("Origin")))
		return
	}
	name := strings.Trim(strings.TrimPrefix(r.URL.Path, strings.TrimSuffix(AdminPrefix, "/")), "/")
	eps := s.adminEndpoints()
	if name == "" {
		s.adminIndex(w, r, eps)
		return
	}
	for _, ep := range eps {
		if ep.path != name {
			continue
		}
		h, ok := ep.methods[r.Method]
		if !ok && r.Method == http.MethodHead {
			h, ok = ep.methods[http.MethodGet]
		}
		if !ok {
			w.Header().Set("Allow", allow(ep.methods))
			writeAdminError(w, http.StatusMethodNotAllowed, "", fmt.Sprintf("method %s is not allowed on %s (allowed: %s)", r.Method, r.URL.Path, allow(ep.methods)))
			return
		}
		if (r.Method == http.MethodPut || r.Method == http.MethodPost) && hasBody(r) {
			ct := r.Header.Get("Content-Type")
			if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
				writeAdminError(w, http.StatusUnsupportedMediaType, "", fmt.Sprintf(
					"a %s body to %s must be sent with Content-Type: application/json (got %q)", r.Method, r.URL.Path, ct))
				return
			}
		}
		h(w, r)
		return
	}
	writeAdminError(w, http.StatusNotFound, "", "no admin endpoint "+r.URL.Path+"; GET "+AdminPrefix+" lists them")
}

// hasBody reports whether r has a non-empty body. A body of unknown length
// (chunked) is peeked at and put back.
func hasBody(r *http.Request) bool {
	switch {
	case r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0:
		return false
	case r.ContentLength > 0:
		return true
	}
	br := bufio.NewReader(r.Body)
	_, err := br.Peek(1)
	r.Body = struct {
		io.Reader
		io.Closer
	}{br, r.Body}
	return err == nil
}

func allow(m map[string]http.HandlerFunc) string {
	var ms []string
	for _, k := range []string{http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete} {
		if _, ok := m[k]; ok {
			ms = append(ms, k)
		}
	}
	if _, ok := m[http.MethodGet]; ok {
		ms = append(ms, http.MethodHead)
	}
	return strings.Join(ms, ", ")
}

func (s *Server) adminIndex(w http.ResponseWriter, r *http.Request, eps []adminEndpoint) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeAdminError(w, http.StatusMethodNotAllowed, "", "method "+r.Method+" is not allowed on "+r.URL.Path)
		return
	}
	out := map[string][]string{}
	for _, ep := range eps {
		out[AdminPrefix+ep.path] = strings.Split(allow(ep.methods), ", ")
	}
	emu.WriteJSON(w, http.StatusOK, map[string]any{"endpoints": out})
}

func (s *Server) adminHealth(w http.ResponseWriter, _ *http.Request) {
	emu.WriteJSON(w, http.StatusOK, Health{Status: "ok", Version: Version})
}

func (s *Server) adminReset(w http.ResponseWriter, _ *http.Request) {
	if err := s.Reset(); err != nil {
		writeAdminError(w, http.StatusInternalServerError, "", "the state was reset but the reset could not be saved: "+err.Error())
		return
	}
	emu.WriteJSON(w, http.StatusOK, map[string]string{"status": "reset"})
}

// TransitionsState is the body of GET /_ncplocal/transitions: every kind
// with its transitions and their progression, and the objects in a
// transition now.
type TransitionsState struct {
	Kinds   []emu.KindInfo  `json:"kinds"`
	Pending []emu.PendingOp `json:"pending"`
}

func (s *Server) adminTransitions(w http.ResponseWriter, _ *http.Request) {
	emu.WriteJSON(w, http.StatusOK, TransitionsState{Kinds: s.transitions.Kinds(), Pending: s.Pending()})
}

func (s *Server) adminSetTransition(w http.ResponseWriter, r *http.Request) {
	var body emu.TransitionSetting
	if err := decodeAdminBody(w, r, &body); err != nil {
		writeFieldError(w, err)
		return
	}
	if err := s.transitions.Set(body); err != nil {
		writeFieldError(w, err)
		return
	}
	s.adminTransitions(w, r)
}

func (s *Server) adminClearTransitions(w http.ResponseWriter, r *http.Request) {
	s.transitions.Clear()
	s.adminTransitions(w, r)
}

// AdvanceResult is the body of POST /_ncplocal/transitions/advance.
type AdvanceResult struct {
	Advanced []emu.Advanced `json:"advanced"`
}

func (s *Server) adminAdvance(w http.ResponseWriter, r *http.Request) {
	var f emu.AdvanceFilter
	if hasBody(r) {
		if err := decodeAdminBody(w, r, &f); err != nil {
			writeFieldError(w, err)
			return
		}
	}
	if f.ID != "" && f.Kind == "" {
		writeFieldError(w, &FieldError{Field: "kind", Message: "required with id (object IDs are unique per kind)"})
		return
	}
	adv, err := s.Advance(f)
	if err != nil {
		writeAdminError(w, http.StatusInternalServerError, "", "advancing transitions: "+err.Error())
		return
	}
	emu.WriteJSON(w, http.StatusOK, AdvanceResult{Advanced: adv})
}

func (s *Server) adminInventory(w http.ResponseWriter, _ *http.Request) {
	emu.WriteJSON(w, http.StatusOK, s.Inventory())
}

func (s *Server) adminCalls(w http.ResponseWriter, _ *http.Request) {
	emu.WriteJSON(w, http.StatusOK, s.CallCounts())
}

func (s *Server) adminResetCalls(w http.ResponseWriter, _ *http.Request) {
	s.ResetCalls()
	emu.WriteJSON(w, http.StatusOK, s.CallCounts())
}

func (s *Server) adminFaults(w http.ResponseWriter, _ *http.Request) {
	rules, n := s.Faults()
	emu.WriteJSON(w, http.StatusOK, FaultsState{Rules: rules, Injected: n})
}

func (s *Server) adminSetFaults(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Rules *[]FaultRule `json:"rules"`
	}
	if err := decodeAdminBody(w, r, &body); err != nil {
		writeFieldError(w, err)
		return
	}
	if body.Rules == nil {
		writeFieldError(w, &FieldError{Field: "rules", Message: `missing (send {"rules":[]} to clear)`})
		return
	}
	if err := s.SetFaults(*body.Rules); err != nil {
		writeFieldError(w, err)
		return
	}
	s.adminFaults(w, r)
}

func (s *Server) adminClearFaults(w http.ResponseWriter, r *http.Request) {
	s.faults.clear()
	s.adminFaults(w, r)
}

func (s *Server) adminConfig(w http.ResponseWriter, _ *http.Request) {
	d := s.AsyncDelay().String()
	emu.WriteJSON(w, http.StatusOK, Config{AsyncDelay: &d})
}

func (s *Server) adminSetConfig(w http.ResponseWriter, r *http.Request) {
	var c Config
	if err := decodeAdminBody(w, r, &c); err != nil {
		writeFieldError(w, err)
		return
	}
	if c.AsyncDelay != nil {
		d, err := time.ParseDuration(*c.AsyncDelay)
		if err != nil {
			writeFieldError(w, &FieldError{Field: "asyncDelay", Message: fmt.Sprintf("%q is not a Go duration such as \"1.5s\" or \"200ms\"", *c.AsyncDelay)})
			return
		}
		if d < 0 {
			writeFieldError(w, &FieldError{Field: "asyncDelay", Message: "must not be negative, got " + *c.AsyncDelay})
			return
		}
		s.SetAsyncDelay(d)
	}
	s.adminConfig(w, r)
}

// decodeAdminBody strictly decodes one JSON object; errors are *FieldError
// naming the field to blame ("body" when it is the whole document).
func decodeAdminBody(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAdminBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			return &FieldError{Field: "body", Message: "unexpected data after the JSON object"}
		}
		return nil
	}
	var (
		typeErr *json.UnmarshalTypeError
		maxErr  *http.MaxBytesError
	)
	switch {
	case errors.Is(err, io.EOF):
		return &FieldError{Field: "body", Message: "empty body, want a JSON object"}
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return &FieldError{Field: field, Message: fmt.Sprintf("cannot use JSON %s as %s", typeErr.Value, typeErr.Type)}
	case errors.As(err, &maxErr):
		return &FieldError{Field: "body", Message: fmt.Sprintf("larger than %d bytes", maxAdminBody)}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &FieldError{Field: name, Message: "unknown field"}
	default:
		return &FieldError{Field: "body", Message: "invalid JSON: " + err.Error()}
	}
}

func writeFieldError(w http.ResponseWriter, err error) {
	var fe *FieldError
	if errors.As(err, &fe) {
		writeAdminError(w, http.StatusBadRequest, fe.Field, fe.Error())
		return
	}
	writeAdminError(w, http.StatusBadRequest, "", err.Error())
}

func writeAdminError(w http.ResponseWriter, status int, field, msg string) {
	emu.WriteJSON(w, status, AdminError{Error: msg, Field: field})
}
