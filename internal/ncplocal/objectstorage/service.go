// Package objectstorage emulates NCP Object Storage, the S3-compatible
// service (ncp-api.md §1.2, §6), for ncplocal.
//
// It serves path-style requests (http://host/{bucket}/{key}; "/" is
// ListBuckets) and, when Env.S3Host is set, virtual-hosted-style ones
// (http://{bucket}.{S3Host}/{key}, ncp-api.md §1.2), and authenticates them
// itself: SigV4 in the Authorization
// header or in a presigned query, aws-chunked streaming uploads (signed
// chunks, unsigned payloads with trailing checksums), SigV2 in the header or
// query, and anonymous GET/HEAD of public objects. Bucket names are one
// namespace across accounts; everything else is owner-only except reads that
// a canned ACL grants.
//
// Object bodies live in memory, or, when Env.DataDir is set, in files under
// <DataDir>/objectstorage/ that uploads stream to. Metadata is kept in memory
// and saved by Snapshot. A body file the state no longer references is
// deleted only once no written snapshot can reference it (Snapshotted), and
// files nothing references are removed at start (CollectGarbage), so the
// data dir restarts whenever the process dies.
package objectstorage

import (
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// ServiceName is the short name of the service in inventory and call counts.
const ServiceName = "objectstorage"

// Service is the Object Storage emulator. It is safe for concurrent use.
type Service struct {
	env emu.Env
	// dir is <DataDir>/objectstorage, or "" in memory mode.
	dir     string
	dirOnce sync.Once
	dirErr  error

	// mu guards buckets and everything reachable from it. Body I/O happens
	// outside it.
	mu      sync.RWMutex
	buckets map[string]*bucket

	events *emu.Topic[ObjectEvent]

	// gc decides when a body file the state no longer references can be
	// deleted (see removeBlobs).
	gc blobGC

	// save makes the state durable after an in-process write (SaveWith);
	// nil until the server sets it.
	save func() error
}

var (
	_ emu.S3Service        = (*Service)(nil)
	_ emu.Persistent       = (*Service)(nil)
	_ emu.GarbageCollector = (*Service)(nil)
	_ emu.SaveHooked       = (*Service)(nil)
	_ emu.AccountLister    = (*Service)(nil)
)

// New returns an empty Object Storage emulator.
func New(env emu.Env) *Service {
	s := &Service{env: env, buckets: map[string]*bucket{}, events: emu.NewTopic[ObjectEvent]("objectstorage.object")}
	if env.DataDir != "" {
		s.dir = filepath.Join(env.DataDir, ServiceName)
	}
	return s
}

// Name implements emu.Service.
func (s *Service) Name() string { return ServiceName }

func (s *Service) now() time.Time { return s.env.Time() }

// ensureDirs creates the blob and temporary directories once.
func (s *Service) ensureDirs() error {
	s.dirOnce.Do(func() {
		for _, d := range []string{blobDirName, tmpDirName} {
			if err := os.MkdirAll(filepath.Join(s.dir, d), 0o755); err != nil {
				s.dirErr = err
				return
			}
		}
	})
	return s.dirErr
}

// bucket is one bucket and its contents.
type bucket struct {
	Name    string    `json:"name"`
	Owner   string    `json:"owner"`
	Created time.Time `json:"created"`
	ACL     string    `json:"acl"`
	// CORS is the stored CORS configuration, nil when none.
	CORS *wire.CORSConfiguration `json:"cors,omitempty"`
	// EventRules are the bucket event rules (PutBucketNotificationConfiguration),
	// in the order they were given.
	EventRules []wire.EventRule   `json:"eventRules,omitempty"`
	Objects    map[string]*object `json:"objects"`
	Uploads    map[string]*upload `json:"uploads"`
}

// objectMeta is what a client sets on an object at upload.
type objectMeta struct {
	ContentType        string            `json:"contentType,omitempty"`
	CacheControl       string            `json:"cacheControl,omitempty"`
	ContentDisposition string            `json:"contentDisposition,omitempty"`
	ContentEncoding    string            `json:"contentEncoding,omitempty"`
	ContentLanguage    string            `json:"contentLanguage,omitempty"`
	Expires            string            `json:"expires,omitempty"`
	UserMeta           map[string]string `json:"userMeta,omitempty"`
	ACL                string            `json:"acl"`
	SSE                string            `json:"sse,omitempty"`
	// Tags is the object's tag set (x-amz-tagging, PutObjectTagging).
	Tags []wire.Tag `json:"tags,omitempty"`
}

// object is one stored object.
type object struct {
	Key          string    `json:"key"`
	ETag         string    `json:"etag"`
	LastModified time.Time `json:"lastModified"`
	objectMeta
	Checksum *objectChecksum `json:"checksum,omitempty"`
	// PartSizes are the part sizes of an object made by a multipart upload.
	PartSizes []int64 `json:"partSizes,omitempty"`
	Blob      blob    `json:"blob"`
}

// upload is an in-progress multipart upload.
type upload struct {
	ID        string    `json:"id"`
	Key       string    `json:"key"`
	Initiator string    `json:"initiator"`
	Initiated time.Time `json:"initiated"`
	objectMeta
	// ChecksumAlgorithm (lowercase) and ChecksumType (COMPOSITE or
	// FULL_OBJECT) are the object checksum asked for at creation, "" when
	// none was.
	ChecksumAlgorithm string        `json:"checksumAlgorithm,omitempty"`
	ChecksumType      string        `json:"checksumType,omitempty"`
	Parts             map[int]*part `json:"parts"`
	// completing is set while CompleteMultipartUpload concatenates the
	// parts; the upload cannot change meanwhile.
	completing bool
}

// part is one uploaded part.
type part struct {
	Number       int             `json:"number"`
	ETag         string          `json:"etag"`
	LastModified time.Time       `json:"lastModified"`
	Checksum     *objectChecksum `json:"checksum,omitempty"`
	Blob         blob            `json:"blob"`
}

// Accounts implements emu.AccountLister: the owners of every bucket, sorted.
func (s *Service) Accounts() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	seen := map[string]bool{}
	var ids []string
	for _, b := range s.buckets {
		if !seen[b.Owner] {
			seen[b.Owner] = true
			ids = append(ids, b.Owner)
		}
	}
	sort.Strings(ids)
	return ids
}

// Reset implements emu.Service: it drops every bucket of every account and
// deletes their bodies (once no saved snapshot references them).
func (s *Service) Reset() {
	s.mu.Lock()
	old := s.buckets
	s.buckets = map[string]*bucket{}
	s.mu.Unlock()
	for _, b := range old {
		s.removeBlobs(bucketBlobs(b)...)
	}
}

// bucketBlobs lists every blob a bucket references.
func bucketBlobs(b *bucket) []blob {
	var out []blob
	for _, o := range b.Objects {
		out = append(out, o.Blob)
	}
	for _, u := range b.Uploads {
		for _, p := range u.Parts {
			out = append(out, p.Blob)
		}
	}
	return out
}

// Inventory is the listing Inventory returns for one account.
type Inventory struct {
	Buckets []BucketInventory `json:"buckets"`
}

// BucketInventory summarises one bucket.
type BucketInventory struct {
	Name         string `json:"name"`
	CreationDate string `json:"creationDate"`
	Objects      int    `json:"objects"`
	Bytes        int64  `json:"bytes"`
	// EventRules names the bucket's event rules, in their order.
	EventRules []string `json:"eventRules,omitempty"`
}

// Inventory implements emu.Service: the account's buckets sorted by name,
// with object counts and total sizes, or nil when it has none.
func (s *Service) Inventory(accountID string) any {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var inv Inventory
	for _, b := range s.buckets {
		if b.Owner != accountID {
			continue
		}
		bi := BucketInventory{Name: b.Name, CreationDate: wire.FormatTime(b.Created), Objects: len(b.Objects)}
		for _, o := range b.Objects {
			bi.Bytes += o.Blob.Size
		}
		for _, r := range b.EventRules {
			bi.EventRules = append(bi.EventRules, r.Name)
		}
		inv.Buckets = append(inv.Buckets, bi)
	}
	if len(inv.Buckets) == 0 {
		return nil
	}
	sort.Slice(inv.Buckets, func(i, j int) bool { return inv.Buckets[i].Name < inv.Buckets[j].Name })
	return &inv
}

// request is one S3 request being served.
type request struct {
	s      *Service
	w      http.ResponseWriter
	r      *http.Request
	id     string
	q      url.Values
	bucket string
	key    string
	// vhost is set when the bucket came from the Host header.
	vhost bool
	c     *caller
}

type handler func(*request) error

// VirtualHostBucket returns the bucket a virtual-hosted-style request names
// in its Host: "photos" for "photos.localhost:4510" when s3Host is
// "localhost". Ports are ignored and names compared without case; ok is
// false for any other host, and when s3Host is empty.
func VirtualHostBucket(host, s3Host string) (bucket string, ok bool) {
	if s3Host == "" {
		return "", false
	}
	suffix := "." + strings.ToLower(hostOnly(s3Host))
	h := strings.ToLower(hostOnly(host))
	if len(h) <= len(suffix) || !strings.HasSuffix(h, suffix) {
		return "", false
	}
	return h[:len(h)-len(suffix)], true
}

// hostOnly strips the port from a host[:port].
func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}

// ServeHTTP implements http.Handler for S3 requests (path style and
// virtual-hosted style).
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := emu.NewS3RequestID()
	w.Header().Set("x-amz-request-id", id)
	w.Header().Set("x-amz-id-2", id)
	// The service clock, which clients use to correct their skew.
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
	req := &request{s: s, w: w, r: r, id: id}
	if err := s.serve(req); err != nil {
		writeError(w, req.r, id, err)
	}
}

func (s *Service) serve(req *request) error {
	q, err := url.ParseQuery(req.r.URL.RawQuery)
	if err != nil {
		return errorf(wire.CodeInvalidArgument, "The query string is malformed: %v", err)
	}
	req.q = q
	if b, ok := VirtualHostBucket(req.r.Host, s.env.S3Host); ok {
		req.bucket, req.key, req.vhost = b, strings.TrimPrefix(req.r.URL.Path, "/"), true
	} else {
		req.bucket, req.key, _ = strings.Cut(strings.TrimPrefix(req.r.URL.Path, "/"), "/")
	}
	req.applyCORS()
	op, h, routeErr := route(req)
	emu.SetOperation(req.r, ServiceName+":"+op)
	if req.r.Method == http.MethodOptions && routeErr == nil {
		// CORS preflight requests are never signed.
		return h(req)
	}
	c, err := s.authenticate(req.r, q)
	if err != nil {
		return err
	}
	req.c = c
	if !c.anonymous {
		req.r = req.r.WithContext(emu.WithAccount(req.r.Context(), c.account))
	}
	if routeErr != nil {
		return routeErr
	}
	if req.key != "" {
		if err := validateKey(req.key); err != nil {
			return err
		}
	}
	return h(req)
}

// subResources are the S3 query parameters that select a sub-resource. Those
// outside the routes below are answered NotImplemented; any other query
// parameter (x-id, prefix, ...) is an ordinary parameter.
var subResources = []string{
	"accelerate", "acl", "analytics", "attributes", "cors", "delete", "encryption", "intelligent-tiering",
	"inventory", "legal-hold", "lifecycle", "location", "logging", "metadataTable", "metrics",
	"notification", "object-lock", "ownershipControls", "partNumber", "policy", "policyStatus",
	"publicAccessBlock", "replication", "requestPayment", "restore", "retention", "select", "session",
	"tagging", "torrent", "uploadId", "uploads", "versionId", "versioning", "versions", "website",
}

// route picks the operation of a request. The error, if any, is returned
// after authentication.
func route(req *request) (string, handler, error) {
	m, q := req.r.Method, req.q
	has := func(name string) bool { return q.Has(name) }
	var op string
	var h handler
	var allowed []string
	switch {
	case req.bucket == "":
		if m == http.MethodGet {
			op, h = "ListBuckets", (*request).listBuckets
		}
	case req.key == "":
		switch m {
		case http.MethodPut:
			allowed = []string{"acl", "cors", "notification"}
			switch {
			case has("acl"):
				op, h = "PutBucketAcl", (*request).putBucketACL
			case has("notification"):
				op, h = "PutBucketNotificationConfiguration", (*request).putBucketNotification
			case has("cors"):
				op, h = "PutBucketCors", (*request).putBucketCORS
			default:
				op, h = "CreateBucket", (*request).createBucket
			}
		case http.MethodGet:
			allowed = []string{"acl", "cors", "location", "notification", "uploads", "versioning", "lifecycle", "policy", "tagging", "encryption", "website"}
			if sr := unconfiguredSubResource(q); sr != nil {
				op, h = sr.get, sr.answerGet
				break
			}
			switch {
			case has("acl"):
				op, h = "GetBucketAcl", (*request).getBucketACL
			case has("cors"):
				op, h = "GetBucketCors", (*request).getBucketCORS
			case has("location"):
				op, h = "GetBucketLocation", (*request).getBucketLocation
			case has("notification"):
				op, h = "GetBucketNotificationConfiguration", (*request).getBucketNotification
			case has("uploads"):
				op, h = "ListMultipartUploads", (*request).listMultipartUploads
			case q.Get("list-type") == "2":
				op, h = "ListObjectsV2", (*request).listObjectsV2
			case has("list-type"):
				return "ListObjects", nil, errorf(wire.CodeInvalidArgument, "Invalid List Type specified: %q", q.Get("list-type"))
			default:
				op, h = "ListObjects", (*request).listObjects
			}
		case http.MethodHead:
			op, h = "HeadBucket", (*request).headBucket
		case http.MethodDelete:
			allowed = []string{"cors", "lifecycle", "policy", "tagging", "encryption", "website"}
			if sr := unconfiguredSubResource(q); sr != nil && sr.delete != "" {
				op, h = sr.delete, (*request).deleteUnconfigured
				break
			}
			if has("cors") {
				op, h = "DeleteBucketCors", (*request).deleteBucketCORS
			} else {
				op, h = "DeleteBucket", (*request).deleteBucket
			}
		case http.MethodPost:
			allowed = []string{"delete"}
			if has("delete") {
				op, h = "DeleteObjects", (*request).deleteObjects
			} else {
				return "PostObject", nil, notImplemented("browser-based POST uploads")
			}
		case http.MethodOptions:
			op, h = "PreflightRequest", (*request).preflight
		}
	default:
		switch m {
		case http.MethodPut:
			allowed = []string{"acl", "tagging", "uploadId", "partNumber", "versionId"}
			switch {
			case has("acl"):
				op, h = "PutObjectAcl", (*request).putObjectACL
			case has("tagging"):
				op, h = "PutObjectTagging", (*request).putObjectTagging
			case has("uploadId") || has("partNumber"):
				if req.r.Header.Get("X-Amz-Copy-Source") != "" {
					op, h = "UploadPartCopy", (*request).uploadPart
				} else {
					op, h = "UploadPart", (*request).uploadPart
				}
			case req.r.Header.Get("X-Amz-Copy-Source") != "":
				op, h = "CopyObject", (*request).copyObject
			default:
				op, h = "PutObject", (*request).putObject
			}
		case http.MethodGet:
			allowed = []string{"acl", "tagging", "uploadId", "partNumber", "versionId"}
			switch {
			case has("acl"):
				op, h = "GetObjectAcl", (*request).getObjectACL
			case has("tagging"):
				op, h = "GetObjectTagging", (*request).getObjectTagging
			case has("uploadId"):
				op, h = "ListParts", (*request).listParts
			default:
				op, h = "GetObject", (*request).getObject
			}
		case http.MethodHead:
			allowed = []string{"partNumber", "versionId"}
			op, h = "HeadObject", (*request).getObject
		case http.MethodDelete:
			allowed = []string{"tagging", "uploadId", "versionId"}
			switch {
			case has("tagging"):
				op, h = "DeleteObjectTagging", (*request).deleteObjectTagging
			case has("uploadId"):
				op, h = "AbortMultipartUpload", (*request).abortMultipartUpload
			default:
				op, h = "DeleteObject", (*request).deleteObject
			}
		case http.MethodPost:
			allowed = []string{"uploads", "uploadId"}
			switch {
			case has("uploads"):
				op, h = "CreateMultipartUpload", (*request).createMultipartUpload
			case has("uploadId"):
				op, h = "CompleteMultipartUpload", (*request).completeMultipartUpload
			default:
				return "PostObject", nil, notImplemented("POST on an object without ?uploads or ?uploadId")
			}
		case http.MethodOptions:
			op, h = "PreflightRequest", (*request).preflight
		}
	}
	if h == nil {
		return "MethodNotAllowed", nil, errCode(wire.CodeMethodNotAllowed)
	}
	for _, sr := range subResources {
		if has(sr) && !contains(allowed, sr) {
			return subResourceOp(m, req.key != "", sr), nil, notImplemented("the %q sub-resource for %s %s", sr, m, resourceKind(req))
		}
	}
	if v := q.Get("versionId"); has("versionId") && v != "null" {
		return op, nil, errorf(wire.CodeInvalidArgument, "Invalid version id specified: versioning is not enabled, so only versionId=null is valid")
	}
	return op, h, nil
}

func resourceKind(req *request) string {
	if req.key == "" {
		return "on a bucket"
	}
	return "on an object"
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
