// Package vodstation emulates NCP's VOD Station API v2 (/api/v2/category,
// channels, encoding-option, status, ...; ncp-api.md §2) for ncplocal.
//
// State lives in an emu.Store: categories, custom encoding options, added
// files with their encoding jobs, and channels with the lifecycle of
// ncp-api.md §2.4 (CREATING → READY, STOPPING → STOPPED, STARTING → READY,
// TERMINATING → gone), whose statuses are computed when read. The system's
// encoding options and templates are seeded data (wire facts).
//
// Two other services are reached through small interfaces: Object Storage
// (Buckets: a category's or channel's bucket must be the caller's, 260021;
// the category folder is created under the output path) and Global Edge
// (cdnlink.Edges: a channel created with createCdn, or moved with
// cdn-to-edge, gets an edge whose origin is its bucket; deleting the
// channel leaves the edge).
//
// Encoding jobs are run by a job runner in the background: WAITING →
// RUNNING → COMPLETE | FAILURE, with the documented callback to the
// notification URL for every option and status. The work itself is done by
// an Encoder; the default one checks the input and takes the async delay
// without producing media (WithEncoder plugs in a real one).
package vodstation

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cdnlink"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/rest"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// ServiceName is the service's short name in inventory and call counts.
const ServiceName = "vodstation"

// Buckets is what VOD Station needs of Object Storage
// (*objectstorage.Service implements it).
type Buckets interface {
	// BucketOwner returns the account owning a bucket; false when none has
	// that name.
	BucketOwner(name string) (string, bool)
	// StatObject describes an object of a bucket the account owns.
	StatObject(accountID, bucket, key string) (objectstorage.ObjectInfo, error)
	// PutFolder creates the empty "<folder>/" object in a bucket the
	// account owns.
	PutFolder(accountID, bucket, folder string) error
}

// Service is the VOD Station emulator. It is safe for concurrent use.
type Service struct {
	*rest.Router
	env     emu.Env
	buckets Buckets
	edges   cdnlink.Edges
	encoder Encoder
	notify  *http.Client
	cdnURL  func(domain string) string // WithCdnURL (playback.go)

	store                                       *emu.Store
	categories                                  *emu.Table[categoryRec]
	options                                     *emu.Table[optionRec]
	files                                       *emu.Table[fileRec]
	channels                                    *emu.Table[channelRec]
	categorySeq, optionSeq, fileSeq, channelSeq *emu.Sequence

	// ctx ends at Close: the job runners and channel watchers stop.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	closed bool
}

var (
	_ emu.GatewayService = (*Service)(nil)
	_ emu.Stateful       = (*Service)(nil)
	_ emu.Reconciler     = (*Service)(nil)
)

// Option configures a Service.
type Option func(*Service)

// WithEncoder makes enc do the encoding jobs' work.
func WithEncoder(enc Encoder) Option { return func(s *Service) { s.encoder = enc } }

// WithNotifyClient sends the callbacks with c (tests).
func WithNotifyClient(c *http.Client) Option { return func(s *Service) { s.notify = c } }

// ChannelKind is a channel's lifecycle (ncp-api.md §2.4) [C]. NCP documents
// no error status for a channel's creation, so no transition can fail.
var ChannelKind = emu.Kind{Name: "vodstation/channel", Transitions: []emu.Transition{
	{Name: "create", Through: []string{wire.ChannelCreating}, To: wire.ChannelReady},
	{Name: "stop", Through: []string{wire.ChannelStopping}, To: wire.ChannelStopped},
	{Name: "start", Through: []string{wire.ChannelStarting}, To: wire.ChannelReady},
	{Name: "delete", Through: []string{wire.ChannelTerminating}, To: emu.Gone},
}}

// New returns the VOD Station emulator. buckets is Object Storage; edges is
// Global Edge, nil when ncplocal runs without it (a createCdn is then
// refused with 260008).
func New(env emu.Env, buckets Buckets, edges cdnlink.Edges, opts ...Option) *Service {
	s := &Service{
		Router:  rest.NewRouter(ServiceName, rest.Content, "/api/v2/category", "/api/v2/channels", "/api/v2/encoding-option", "/api/v2/encodingOption", "/api/v2/status", "/api/v2/protocols"),
		env:     env,
		buckets: buckets,
		edges:   edges,
		notify:  &http.Client{Timeout: 5 * time.Second},
	}
	s.encoder = SimulatedEncoder{Buckets: buckets}
	for _, o := range opts {
		o(s)
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.InvalidBody = func(detail string) *rest.Error { return errInvalidRequest(detail) }
	s.store = emu.NewStore(env, ServiceName)
	s.categorySeq = s.store.Sequence("category", 13800)
	s.optionSeq = s.store.Sequence("encodingOption", 1000)
	s.fileSeq = s.store.Sequence("file", 1163600)
	s.channelSeq = s.store.Sequence("channel", 0)
	s.categories = emu.NewTable(s.store, "categories", emu.WithNumbers[categoryRec](s.categorySeq))
	s.options = emu.NewTable(s.store, "encodingOptions", emu.WithNumbers[optionRec](s.optionSeq))
	s.files = emu.NewTable(s.store, "files", emu.WithNumbers[fileRec](s.fileSeq))
	s.channels = emu.NewTable(s.store, "channels", emu.WithLife(ChannelKind, func(c *channelRec) *emu.Life { return &c.Life }))
	s.routes()
	return s
}

func (s *Service) routes() {
	s.Handle("GET "+wire.PathCategories, "getCategoryList", s.listCategories)
	s.Handle("POST "+wire.PathCategories, "createCategory", s.createCategory)
	s.Handle("GET "+wire.PathCategory, "getCategory", s.getCategory)
	s.Handle("PUT "+wire.PathCategory, "updateCategory", s.updateCategory)
	s.Handle("DELETE "+wire.PathCategory, "deleteCategory", s.deleteCategory)
	s.Handle("PUT "+wire.PathAddFiles, "addFiles", s.addFiles)

	s.Handle("GET "+wire.PathStatusList, "getStatusList", s.listStatus)
	s.Handle("GET "+wire.PathStatusStatistic, "getStatusStatistic", s.statusStatistic)
	s.Handle("GET "+wire.PathStatusByFile, "getStatusByFile", s.getFileStatus)

	s.Handle("GET "+wire.PathEncodingOptions, "getEncodingOptionList", s.listOptions)
	s.Handle("POST "+wire.PathEncodingOptions, "createEncodingOption", s.createOption)
	s.Handle("GET "+wire.PathEncodingTemplates, "getEncodingTemplateList", s.listTemplates)
	s.Handle("GET "+wire.PathEncodingOption, "getEncodingOption", s.getOption)
	// Both delete paths (ncp-api.md §2.1: the camelCase one is the API
	// index's [?]).
	s.Handle("DELETE "+wire.PathEncodingOptionDelete, "deleteEncodingOption", s.deleteOption)
	s.Handle("DELETE "+wire.PathEncodingOption, "deleteEncodingOption", s.deleteOption)

	s.Handle("GET "+wire.PathProtocols, "getProtocolList", s.listProtocols)
	s.Handle("GET "+wire.PathChannels, "getChannelList", s.listChannels)
	s.Handle("POST "+wire.PathChannels, "createChannel", s.createChannel)
	s.Handle("GET "+wire.PathChannel, "getChannel", s.getChannel)
	s.Handle("PUT "+wire.PathChannel, "updateChannel", s.updateChannel)
	s.Handle("DELETE "+wire.PathChannel, "deleteChannel", s.deleteChannel)
	s.Handle("PUT "+wire.PathChannelStart, "startChannel", s.startChannel)
	s.Handle("PUT "+wire.PathChannelStop, "stopChannel", s.stopChannel)
	s.Handle("GET "+wire.PathChannelEvents, "getChannelEvents", s.channelEvents)
	s.Handle("POST "+wire.PathChannelCdnToEdge, "changeCdnToEdge", s.cdnToEdge)
}

// Name implements emu.Service.
func (s *Service) Name() string { return ServiceName }

// Store implements emu.Stateful.
func (s *Service) Store() *emu.Store { return s.store }

// Reset implements emu.Service. Jobs still running find their files gone
// and stop.
func (s *Service) Reset() { s.store.Reset() }

// VOD Station documents no "try again" code, so it registers no fault
// answers: "service" fault rules pass its requests through.

// Close stops the job runners and channel watchers and waits for them.
func (s *Service) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
	if c, ok := s.encoder.(interface{ Close(context.Context) }); ok {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c.Close(ctx)
	}
	return nil
}

// goBackground runs fn in the background until Close; nothing once closed.
func (s *Service) goBackground(fn func(ctx context.Context)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		fn(s.ctx)
	}()
}

// Reconcile implements emu.Reconciler: after a restart, the jobs that had
// not finished are run again from where their status says.
func (s *Service) Reconcile(context.Context) error {
	type pending struct {
		account string
		id      int64
	}
	var todo []pending
	_ = s.store.View(func(tx *emu.Tx) error {
		for _, acct := range tx.Accounts() {
			for _, f := range s.files.List(tx, acct) {
				if !f.finished() {
					todo = append(todo, pending{acct, f.ID})
				}
			}
		}
		return nil
	})
	for _, p := range todo {
		s.startJobs(p.account, p.id, true)
	}
	return nil
}

// Inventory is what an account holds, for GET /_ncplocal/inventory: the
// objects a configuration creates and deletes. The encoding history (the
// added files and their jobs) is left out, like Cloud Functions'
// activations: no NCP API deletes it, so it is never a leftover of a
// destroy; GET /api/v2/status shows it.
type Inventory struct {
	Categories      []wire.Category       `json:"categories,omitempty"`
	EncodingOptions []wire.EncodingOption `json:"encodingOptions,omitempty"`
	Channels        []wire.Channel        `json:"channels,omitempty"`
}

// Inventory implements emu.Service.
func (s *Service) Inventory(accountID string) any {
	var inv Inventory
	_ = s.store.View(func(tx *emu.Tx) error {
		for _, c := range s.categories.List(tx, accountID) {
			inv.Categories = append(inv.Categories, c.wire())
		}
		for _, o := range s.options.List(tx, accountID) {
			inv.EncodingOptions = append(inv.EncodingOptions, o.Option)
		}
		for _, c := range s.channels.List(tx, accountID) {
			inv.Channels = append(inv.Channels, s.channelView(tx, accountID, &c))
		}
		return nil
	})
	if len(inv.Categories)+len(inv.EncodingOptions)+len(inv.Channels) == 0 {
		return nil
	}
	return &inv
}

// ---- errors (ncp-api.md §2.6). NCP does not document the HTTP status of
// each code [?]: 400 for validation, 404 for not found, 403 for permission.

func vodError(status int, code, message, details string) *rest.Error {
	return &rest.Error{Status: status, Code: code, Message: message, Details: details}
}

func errInvalidRequest(details string) *rest.Error {
	return vodError(http.StatusBadRequest, wire.CodeInvalidRequestData, "invalid request data", details)
}

func errInput(format string, args ...any) *rest.Error {
	return vodError(http.StatusBadRequest, wire.CodeInvalidInput, "input value error", sprintf(format, args...))
}

func errValue(format string, args ...any) *rest.Error {
	return vodError(http.StatusBadRequest, wire.CodeInvalidValue, "must have a valid value", sprintf(format, args...))
}

func errNotFound(format string, args ...any) *rest.Error {
	return vodError(http.StatusNotFound, wire.CodeNotFound, "not found", sprintf(format, args...))
}

func errBucket(field, bucket string) *rest.Error {
	return vodError(http.StatusBadRequest, wire.CodeInvalidBucketName, "invalid bucket name",
		sprintf("%s: no bucket %q in this account's Object Storage", field, bucket))
}

// checkBucket fails with 260021 unless the account owns bucket.
func (s *Service) checkBucket(account, field, bucket string) error {
	if bucket == "" {
		return errInput("%s is required", field)
	}
	if s.buckets == nil {
		return errBucket(field, bucket)
	}
	if owner, ok := s.buckets.BucketOwner(bucket); !ok || owner != account {
		return errBucket(field, bucket)
	}
	return nil
}

// page reads pageNo (from 1, 260025 otherwise) and pageSizeNo.
func page(c *rest.Call) (no, size int, err error) {
	no, size = 1, wire.DefaultPageSize
	if v := c.Query(wire.QueryPageNo); v != "" {
		n, perr := strconv.Atoi(v)
		if perr != nil || n < 1 {
			return 0, 0, vodError(http.StatusBadRequest, wire.CodeInvalidPageNo, "pageNo must be 1 or more", sprintf("pageNo=%q", v))
		}
		no = n
	}
	if v := c.Query(wire.QueryPageSizeNo); v != "" {
		n, perr := strconv.Atoi(v)
		if perr != nil || n < 1 {
			return 0, 0, errInput("pageSizeNo must be an integer of 1 or more (got %q)", v)
		}
		size = n
	}
	return no, size, nil
}

// checkURL checks a notification URL: http or https with a host.
func checkURL(field, raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errValue("%s must be an http or https URL (got %q)", field, raw)
	}
	return nil
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func ptr[T any](v T) *T { return &v }

// EncryptedBucketName is the encryptedBucketName of an account's bucket in
// play URLs. NCP's scheme is not documented [?]; ncplocal's is a stable hash
// of account and bucket.
func EncryptedBucketName(account, bucket string) string {
	sum := sha256.Sum256([]byte(account + "\x00" + bucket))
	return hex.EncodeToString(sum[:8])
}

// post sends a callback body to url, once, within the service's life; the
// outcome is not retried (NCP documents no retries [?]).
func (s *Service) post(ctx context.Context, target string, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(b))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.notify.Do(req)
	if err != nil {
		return
	}
	_ = resp.Body.Close()
}

// sleep waits d or until ctx ends (false).
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

var errGone = errors.New("gone")

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
