package legacy_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/clienttest"
	legacyclient "github.com/ncplabs/terraform-provider-ncp/internal/client/legacy"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
)

var testAPI = &legacyclient.API{
	Service: "vpc", PathPrefix: "/vpc/v2/",
	RetryableCodes: []string{"1001015"},
	ErrorKinds:     map[string]client.Kind{"1000100": client.KindNotFound},
}

type vpcList struct {
	TotalRows int `json:"totalRows"`
	VpcList   []struct {
		VpcNo string `json:"vpcNo"`
	} `json:"vpcList"`
}

func TestDo(t *testing.T) {
	t.Parallel()
	srv := clienttest.NewServer(t,
		clienttest.Reply{Status: 400, Body: string(wire.EncodeErrorJSON("1001015", "please try again"))},
		clienttest.Reply{Status: 200, Body: `{"getVpcListResponse": {"totalRows":1,"vpcList":[{"vpcNo":"62764"}]}}`},
	)
	params := url.Values{"vpcName": {"a b"}, "vpcStatusCode": {""}}
	wire.AddList(params, "vpcNoList", []string{"1", "2"})
	var out vpcList
	resp, err := testAPI.Do(context.Background(), clienttest.New(t, srv.URL),
		legacyclient.Call{Action: "getVpcList", Region: "KR", Params: params}, &out)
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	if resp.StatusCode != 200 || out.TotalRows != 1 || len(out.VpcList) != 1 || out.VpcList[0].VpcNo != "62764" {
		t.Errorf("response %+v, decoded %+v", resp, out)
	}
	seen := srv.Seen()
	if len(seen) != 2 {
		t.Fatalf("%d requests, want the retryable code retried once", len(seen))
	}
	want := "regionCode=KR&responseFormatType=json&vpcName=a+b&vpcNoList.1=1&vpcNoList.2=2"
	if s := seen[1]; s.Method != http.MethodPost || s.RequestURI != "/vpc/v2/getVpcList" || s.ContentType != wire.ContentTypeForm || s.Body != want {
		t.Errorf("request %+v, want body %s", s, want)
	}
}

func TestDoErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		reply      clienttest.Reply
		idempotent bool
		kind       client.Kind
	}{
		{"mapped code", clienttest.Reply{Status: 400, Body: string(wire.EncodeErrorJSON("1000100", "no such VPC"))}, false, client.KindNotFound},
		{"unusable answer to a create", clienttest.Reply{Status: 200, Body: `{"otherResponse": {}}`}, false, client.KindAmbiguous},
		{"unusable answer to a read", clienttest.Reply{Status: 200, Body: `not json`}, true, client.KindUnknown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := clienttest.NewServer(t, tc.reply)
			var out vpcList
			_, err := testAPI.Do(context.Background(), clienttest.New(t, srv.URL),
				legacyclient.Call{Action: "createVpc", Idempotent: tc.idempotent}, &out)
			var e *client.Error
			if !errors.As(err, &e) || e.Kind != tc.kind || e.Service != "vpc" || e.Operation != "createVpc" || e.HTTPStatus != tc.reply.Status {
				t.Errorf("got %#v (%v), want kind %v", err, err, tc.kind)
			}
			if seen := srv.Seen(); len(seen) != 1 || strings.Contains(seen[0].Body, "regionCode") {
				t.Errorf("requests %+v: want one, without a regionCode", seen)
			}
		})
	}
}

// Pages reads page after page with the largest page size until totalRows
// items came, and never changes the caller's parameters.
func TestPages(t *testing.T) {
	t.Parallel()
	const total = 2345
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		page, _ := strconv.Atoi(r.PostForm.Get("pageNo"))
		size, _ := strconv.Atoi(r.PostForm.Get("pageSize"))
		if r.PostForm.Get("vpcNo") != "7" || size < 1 {
			t.Errorf("page request %v", r.PostForm)
		}
		var items []string
		for i := (page - 1) * size; i < min(page*size, total); i++ {
			items = append(items, fmt.Sprintf(`{"vpcNo":"%d"}`, i))
		}
		fmt.Fprintf(w, `{"getSubnetListResponse": {"totalRows":%d,"vpcList":[%s]}}`, total, strings.Join(items, ","))
	}))
	t.Cleanup(srv.Close)

	params := url.Values{"vpcNo": {"7"}}
	got, err := legacyclient.Pages(context.Background(), testAPI, clienttest.New(t, srv.URL),
		legacyclient.Call{Action: "getSubnetList", Params: params},
		func(r *vpcList) ([]string, int) {
			var nos []string
			for _, v := range r.VpcList {
				nos = append(nos, v.VpcNo)
			}
			return nos, r.TotalRows
		})
	if err != nil {
		t.Fatalf("Pages: %v", err)
	}
	if len(got) != total || got[0] != "0" || got[total-1] != strconv.Itoa(total-1) || requests.Load() != 3 {
		t.Errorf("%d items (first %q) in %d requests, want %d in 3", len(got), got[0], requests.Load(), total)
	}
	if len(params) != 1 {
		t.Errorf("Pages changed its parameters: %v", params)
	}
}
