package objectstorage

import (
	"encoding/xml"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// listingServer answers ListBuckets with pages of buckets, ignoring the
// prefix parameter as NCP may. Page i is returned for continuation token
// tokens[i-1]; every page but the last carries the next token. It records
// the prefixes it was sent.
type listingServer struct {
	pages  [][]wire.Bucket
	tokens []string
	mu     sync.Mutex
	seen   []string // prefix parameters received
}

func (s *listingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet || r.URL.Path != "/" {
		http.Error(w, "unexpected request "+r.Method+" "+r.URL.Path, http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.seen = append(s.seen, r.URL.Query().Get("prefix"))
	s.mu.Unlock()
	page := 0
	if tok := r.URL.Query().Get("continuation-token"); tok != "" {
		for i, t := range s.tokens {
			if t == tok {
				page = i + 1
			}
		}
	}
	res := wire.ListAllMyBucketsResult{Owner: wire.Owner{ID: "acct"}, Buckets: s.pages[page]}
	if page < len(s.tokens) {
		res.ContinuationToken = s.tokens[page]
	}
	w.Header().Set("Content-Type", "application/xml")
	_, _ = w.Write([]byte(wire.XMLHeader))
	_ = xml.NewEncoder(w).Encode(&res)
}

// TestFindBucketCreationDate checks the exact-name match over an
// unfiltered, paginated listing, the UTC result, and not found.
func TestFindBucketCreationDate(t *testing.T) {
	t.Parallel()
	created := time.Date(2026, 11, 25, 12, 0, 0, 123e6, time.UTC)
	ls := &listingServer{
		pages: [][]wire.Bucket{
			{
				{Name: "b1-other", CreationDate: "2020-01-01T00:00:00.000Z"},
				{Name: "a-b1", CreationDate: "2020-01-02T00:00:00.000Z"},
			},
			{
				{Name: "b1x", CreationDate: "2020-01-03T00:00:00.000Z"},
				{Name: "b1", CreationDate: wire.FormatTime(created)},
			},
		},
		tokens: []string{"page-2"},
	}
	srv, n := countingServer(t, ls)
	c := newTestClient(t, srv.URL)

	got, err := c.FindBucketCreationDate(t.Context(), "b1")
	if err != nil {
		t.Fatalf("FindBucketCreationDate: %v", err)
	}
	if !got.Equal(created) || got.Location() != time.UTC {
		t.Errorf("creation date = %v, want %v in UTC", got, created)
	}
	if calls := n.Load(); calls != 2 {
		t.Errorf("%d ListBuckets calls, want 2 (one per page)", calls)
	}
	ls.mu.Lock()
	for _, p := range ls.seen {
		if p != "b1" {
			t.Errorf("prefix parameter = %q, want b1", p)
		}
	}
	ls.mu.Unlock()

	_, err = c.FindBucketCreationDate(t.Context(), "b")
	if !client.IsNotFound(err) {
		t.Errorf("FindBucketCreationDate(b) error = %v, want not found (only names with b as a prefix exist)", err)
	}
}

// TestFindBucketCreationDate_RepeatedToken checks that a server answering
// every page with the same continuation token cannot make the listing loop
// forever.
func TestFindBucketCreationDate_RepeatedToken(t *testing.T) {
	t.Parallel()
	srv, n := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		res := wire.ListAllMyBucketsResult{
			Buckets:           []wire.Bucket{{Name: "other", CreationDate: "2020-01-01T00:00:00.000Z"}},
			ContinuationToken: "same",
		}
		w.Header().Set("Content-Type", "application/xml")
		_ = xml.NewEncoder(w).Encode(&res)
	}))
	_, err := newTestClient(t, srv.URL).FindBucketCreationDate(t.Context(), "missing")
	if !client.IsNotFound(err) {
		t.Errorf("error = %v, want not found", err)
	}
	if calls := n.Load(); calls != 2 {
		t.Errorf("%d ListBuckets calls, want 2 (stop when the token repeats)", calls)
	}
}
