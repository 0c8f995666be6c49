package rest_test

import (
	"encoding/json"
	"math"
	"math/big"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/rest"
)

// fuzzChannel is the body of the fuzz router's create route.
type fuzzChannel struct {
	Name            string   `json:"name"`
	ProtocolList    []string `json:"protocolList"`
	SegmentDuration int      `json:"segmentDuration"`
	Output          *struct {
		BucketName string `json:"bucketName"`
	} `json:"output"`
}

// fuzzRouter has the shapes of route the JSON services use: a list with
// paging, a detail with a path parameter, a create that decodes a body
// and echoes it.
func fuzzRouter(env rest.Envelope) *rest.Router {
	rt := rest.NewRouter("fuzz", env, "/api/v2/channels")
	rt.Handle("GET /api/v2/channels", "list", func(c *rest.Call) error {
		no, err := c.IntQuery("pageNo", 1, 1, math.MaxInt32)
		if err != nil {
			return err
		}
		size, err := c.IntQuery("pageSize", 20, 1, 1000)
		if err != nil {
			return err
		}
		items := []string{"a", "b", "c"}
		return c.List(rest.Page(items, no, size), len(items))
	})
	rt.Handle("GET /api/v2/channels/{channelId}", "get", func(c *rest.Call) error {
		return c.OK(map[string]string{"channelId": c.Path("channelId")})
	})
	rt.Handle("POST /api/v2/channels", "create", func(c *rest.Call) error {
		var ch fuzzChannel
		if err := c.Decode(&ch); err != nil {
			return err
		}
		return c.OK(ch)
	})
	return rt
}

// FuzzRouter sends any method, path, query, content type and body to a
// router in each envelope. No input gets a 5xx; every answer is one JSON
// document in the service's envelope (content or result on success, the
// error object otherwise); and a body the strict decoder accepts comes
// back unchanged.
func FuzzRouter(f *testing.F) {
	for _, seed := range []struct{ method, path, query, ctype, body string }{
		{"POST", "/api/v2/channels", "", "application/json", `{"name":"ch1","protocolList":["HLS","DASH"],"segmentDuration":5,"output":{"bucketName":"out"}}`},
		{"POST", "/api/v2/channels", "", "", `{"name":"x"}`},
		{"POST", "/api/v2/channels", "", "application/vnd.api+json", `{"name":"x"}`},
		{"POST", "/api/v2/channels", "", "text/plain", `{"name":"x"}`},
		{"POST", "/api/v2/channels", "", "application/json", `{"name":"x"} {}`},
		{"POST", "/api/v2/channels", "", "application/json", `{"nope":1}`},
		{"POST", "/api/v2/channels", "", "application/json", `{"segmentDuration":1e100}`},
		{"POST", "/api/v2/channels", "", "application/json", `{"output":{"bucketName":true}}`},
		{"POST", "/api/v2/channels", "", "application/json", ``},
		{"GET", "/api/v2/channels", "pageNo=2&pageSize=2", "", ""},
		{"GET", "/api/v2/channels", "pageNo=9223372036854775807&pageSize=2", "", ""},
		{"GET", "/api/v2/channels", "pageNo=1&pageSize=0", "", ""},
		{"GET", "/api/v2/channels/abc%2Fdef", "", "", ""},
		{"GET", "/api/v2/channels/%zz", "", "", ""},
		{"GET", "/api/v2/channels//x", "", "", ""},
		{"GET", "/api/v2/channels/..", "", "", ""},
		{"DELETE", "/api/v2/channels", "", "", ""},
		{"GET", "/api/v2/other", "", "", ""},
	} {
		f.Add(seed.method, seed.path, seed.query, seed.ctype, []byte(seed.body))
	}
	routers := []*rest.Router{fuzzRouter(rest.Content), fuzzRouter(rest.Result)}
	f.Fuzz(func(t *testing.T, method, path, query, ctype string, body []byte) {
		if method == "" || strings.ContainsAny(method, " \t\r\n") || !strings.HasPrefix(path, "/") || strings.ContainsAny(path+query, " \t\r\n#?") {
			return
		}
		for i, rt := range routers {
			r := httptest.NewRequest(http.MethodGet, "/", strings.NewReader(string(body)))
			r.Method, r.URL.RawPath, r.URL.RawQuery = method, "", query
			r.URL.Path = path
			if u, err := r.URL.Parse(path); err == nil && u.Path != "" {
				r.URL.Path, r.URL.RawPath = u.Path, u.RawPath
			}
			if ctype != "" {
				r.Header.Set("Content-Type", ctype)
			}
			r = r.WithContext(emu.WithAccount(r.Context(), emu.Account{ID: "acct"}))
			w := httptest.NewRecorder()
			rt.ServeHTTP(w, r)
			if w.Code >= 500 {
				t.Fatalf("envelope %d: %s %s?%s: HTTP %d %s", i, method, path, query, w.Code, w.Body)
			}
			var doc map[string]json.RawMessage
			if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
				t.Fatalf("envelope %d: %s %s: answer %q is not one JSON object: %v", i, method, path, w.Body, err)
			}
			_, isErr := doc["error"]
			switch {
			case i == 0 && w.Code < 400 && doc["content"] == nil,
				i == 0 && w.Code >= 400 && !isErr,
				i == 1 && (doc["code"] == nil || doc["message"] == nil):
				t.Fatalf("envelope %d: HTTP %d answer %s is not in the envelope", i, w.Code, w.Body)
			}
			if method != http.MethodPost || path != "/api/v2/channels" || w.Code != http.StatusOK {
				continue
			}
			var sent, echoed fuzzChannel
			if err := json.Unmarshal(body, &sent); err != nil {
				t.Fatalf("the router accepted %q, which encoding/json refuses: %v", body, err)
			}
			field := doc["content"]
			if i == 1 {
				field = doc["result"]
			}
			if err := json.Unmarshal(field, &echoed); err != nil || !reflect.DeepEqual(sent, echoed) {
				t.Fatalf("sent %q, echoed %s (%v)", body, field, err)
			}
		}
	})
}

// FuzzPage: rest.Page returns exactly the items of page no, computed
// without overflow: items[(no-1)*size : no*size] clipped to the list,
// empty for a page past the end or numbers out of range.
func FuzzPage(f *testing.F) {
	f.Add(5, 1, 2)
	f.Add(5, 3, 2)
	f.Add(3, 1, math.MaxInt-1)
	f.Add(1, 1, math.MaxInt)
	f.Add(5, math.MaxInt, 2)
	f.Add(5, 1<<62, 4)
	f.Add(0, 1, 1)
	f.Add(5, 0, 1)
	f.Add(5, 1, -1)
	f.Fuzz(func(t *testing.T, n, no, size int) {
		if n < 0 || n > 1000 {
			return
		}
		items := make([]int, n)
		for i := range items {
			items[i] = i
		}
		got := rest.Page(items, no, size)
		want := []int{}
		if no >= 1 && size >= 1 {
			start := new(big.Int).Mul(big.NewInt(int64(no-1)), big.NewInt(int64(size)))
			if start.Cmp(big.NewInt(int64(n))) < 0 {
				s := int(start.Int64())
				want = items[s:min(n, s+min(size, n))]
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Page(%d items, %d, %d) = %v, want %v", n, no, size, got, want)
		}
	})
}
