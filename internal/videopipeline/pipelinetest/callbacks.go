package pipelinetest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	vodwire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// Callbacks records the VOD Station job callbacks posted to its URL.
type Callbacks struct {
	srv  *httptest.Server
	mu   sync.Mutex
	list []vodwire.JobCallback
	bad  []string
}

// NewCallbacks starts a receiver, closed when the test ends.
func NewCallbacks(tb testing.TB) *Callbacks {
	c := &Callbacks{}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var cb vodwire.JobCallback
		err := json.NewDecoder(r.Body).Decode(&cb)
		c.mu.Lock()
		if err != nil {
			c.bad = append(c.bad, err.Error())
		} else {
			c.list = append(c.list, cb)
		}
		c.mu.Unlock()
	}))
	tb.Cleanup(c.srv.Close)
	return c
}

// URL is the notification URL.
func (c *Callbacks) URL() string { return c.srv.URL + "/vod-callback" }

// List returns the callbacks received so far, in order, and the bodies
// that were not callbacks.
func (c *Callbacks) List() ([]vodwire.JobCallback, []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]vodwire.JobCallback(nil), c.list...), append([]string(nil), c.bad...)
}

// CallbackKey identifies one job's callback for one status.
type CallbackKey struct {
	FileID, OptionID int64
	Status           string
}

// Count counts callbacks by job and status.
func Count(list []vodwire.JobCallback) map[CallbackKey]int {
	out := map[CallbackKey]int{}
	for _, cb := range list {
		out[CallbackKey{cb.FileID, cb.EncodingOptionID, cb.Status}]++
	}
	return out
}
