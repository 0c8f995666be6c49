package vserver_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/vserver"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	ncplocalvpc "github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vpc"
	ncplocalvserver "github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vserver"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
	wirevpc "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vserver"
)

// seenRequest is what the fake gateway received.
type seenRequest struct {
	method, path, contentType string
	form                      url.Values
	signed                    bool
}

// fakeGateway answers every request with the next of its responses (the
// last one repeats) and records what it saw.
type fakeGateway struct {
	mu        sync.Mutex
	seen      []seenRequest
	responses []func(w http.ResponseWriter)
}

func (f *fakeGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	f.mu.Lock()
	n := len(f.seen)
	f.seen = append(f.seen, seenRequest{
		method: r.Method, path: r.URL.Path, contentType: r.Header.Get("Content-Type"), form: form,
		signed: r.Header.Get(apigw.HeaderAccessKey) == "ak" && r.Header.Get(apigw.HeaderSignatureV2) != "" && r.Header.Get(apigw.HeaderTimestamp) != "",
	})
	respond := f.responses[min(n, len(f.responses)-1)]
	f.mu.Unlock()
	respond(w)
}

func (f *fakeGateway) requests() []seenRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seenRequest(nil), f.seen...)
}

// ok answers with a legacy success body for action.
func ok(t *testing.T, action string, v any) func(http.ResponseWriter) {
	b, err := legacy.EncodeJSON(action, v)
	if err != nil {
		t.Fatal(err)
	}
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", legacy.ContentTypeJSON)
		_, _ = w.Write(b)
	}
}

// newClient returns a VServer client whose Ncloud endpoint is the fake.
func newClient(t *testing.T, f *fakeGateway) *vserver.Client {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{
		AccessKey: "ak", SecretKey: "sk", Region: "KR",
		Endpoints:     client.Endpoints{Ncloud: srv.URL},
		MaxRetries:    2,
		RetryMinDelay: time.Millisecond, RetryMaxDelay: time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return vserver.New(c)
}

func TestRequestShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		call     func(*vserver.Client) (int, error)
		response func(t *testing.T) func(http.ResponseWriter)
		path     string
		form     url.Values
	}{
		{
			name: "getRegionList",
			call: func(c *vserver.Client) (int, error) {
				l, err := c.GetRegionList(context.Background())
				return len(l), err
			},
			response: func(t *testing.T) func(http.ResponseWriter) {
				return ok(t, wire.ActionGetRegionList, wire.RegionListResponse{RegionList: []wire.Region{{RegionCode: "KR"}, {RegionCode: "JPN"}}})
			},
			path: "/vserver/v2/getRegionList",
			form: url.Values{"responseFormatType": {"json"}},
		},
		{
			name: "getZoneList default region",
			call: func(c *vserver.Client) (int, error) {
				l, err := c.GetZoneList(context.Background(), "")
				return len(l), err
			},
			response: func(t *testing.T) func(http.ResponseWriter) {
				return ok(t, wire.ActionGetZoneList, wire.ZoneListResponse{ZoneList: []wire.Zone{{ZoneCode: "KR-1"}, {ZoneCode: "KR-2"}}})
			},
			path: "/vserver/v2/getZoneList",
			form: url.Values{"responseFormatType": {"json"}, "regionCode": {"KR"}},
		},
		{
			name: "getZoneList other region",
			call: func(c *vserver.Client) (int, error) {
				l, err := c.GetZoneList(context.Background(), "SGN")
				return len(l), err
			},
			response: func(t *testing.T) func(http.ResponseWriter) {
				return ok(t, wire.ActionGetZoneList, wire.ZoneListResponse{ZoneList: []wire.Zone{{ZoneCode: "SGN-4"}}})
			},
			path: "/vserver/v2/getZoneList",
			form: url.Values{"responseFormatType": {"json"}, "regionCode": {"SGN"}},
		},
		{
			name: "getAccessControlGroupList",
			call: func(c *vserver.Client) (int, error) {
				l, err := c.GetAccessControlGroupList(context.Background(), "1234")
				return len(l), err
			},
			response: func(t *testing.T) func(http.ResponseWriter) {
				return ok(t, wire.ActionGetAccessControlGroupList, wire.AccessControlGroupListResponse{
					AccessControlGroupList: []wire.AccessControlGroup{{AccessControlGroupNo: "1", VpcNo: "1234"}}})
			},
			path: "/vserver/v2/getAccessControlGroupList",
			form: url.Values{"responseFormatType": {"json"}, "regionCode": {"KR"}, "vpcNo": {"1234"}},
		},
		{
			name: "getAccessControlGroupList without vpcNo",
			call: func(c *vserver.Client) (int, error) {
				l, err := c.GetAccessControlGroupList(context.Background(), "")
				return len(l), err
			},
			response: func(t *testing.T) func(http.ResponseWriter) {
				return ok(t, wire.ActionGetAccessControlGroupList, wire.AccessControlGroupListResponse{})
			},
			path: "/vserver/v2/getAccessControlGroupList",
			form: url.Values{"responseFormatType": {"json"}, "regionCode": {"KR"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeGateway{responses: []func(http.ResponseWriter){tt.response(t)}}
			n, err := tt.call(newClient(t, f))
			if err != nil {
				t.Fatal(err)
			}
			seen := f.requests()
			if len(seen) != 1 {
				t.Fatalf("%d requests, want 1", len(seen))
			}
			r := seen[0]
			if r.method != http.MethodPost || r.path != tt.path || r.contentType != legacy.ContentTypeForm || !r.signed {
				t.Errorf("request = %s %s (%s, signed %v), want a signed form POST to %s", r.method, r.path, r.contentType, r.signed, tt.path)
			}
			if r.form.Encode() != tt.form.Encode() {
				t.Errorf("form = %s, want %s", r.form.Encode(), tt.form.Encode())
			}
			if n == 0 && !strings.Contains(tt.name, "without") {
				t.Errorf("decoded an empty list")
			}
		})
	}
}

func TestDecodedValues(t *testing.T) {
	t.Parallel()
	want := wire.Zone{ZoneName: "KR-1", ZoneCode: "KR-1", RegionCode: "KR", ZoneDescription: "가산 zone"}
	f := &fakeGateway{responses: []func(http.ResponseWriter){ok(t, wire.ActionGetZoneList, wire.ZoneListResponse{ZoneList: []wire.Zone{want}})}}
	zones, err := newClient(t, f).GetZoneList(context.Background(), "KR")
	if err != nil {
		t.Fatal(err)
	}
	if len(zones) != 1 || zones[0] != want {
		t.Errorf("zones = %+v, want [%+v]", zones, want)
	}
}

// TestReadsAreRetried shows that reads are sent as idempotent: a 503 is
// retried, which the client core does only for idempotent requests.
func TestReadsAreRetried(t *testing.T) {
	t.Parallel()
	f := &fakeGateway{responses: []func(http.ResponseWriter){
		func(w http.ResponseWriter) { w.WriteHeader(http.StatusServiceUnavailable) },
		ok(t, wire.ActionGetZoneList, wire.ZoneListResponse{ZoneList: []wire.Zone{{ZoneCode: "KR-1"}}}),
	}}
	zones, err := newClient(t, f).GetZoneList(context.Background(), "")
	if err != nil {
		t.Fatalf("GetZoneList: %v", err)
	}
	if len(zones) != 1 || len(f.requests()) != 2 {
		t.Errorf("%d zones after %d requests, want 1 after 2", len(zones), len(f.requests()))
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	t.Run("responseError", func(t *testing.T) {
		t.Parallel()
		f := &fakeGateway{responses: []func(http.ResponseWriter){func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", legacy.ContentTypeJSON)
			w.Header().Set(apigw.HeaderRequestID, "req-1")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write(legacy.EncodeErrorJSON("1000036", "regionCode is invalid"))
		}}}
		_, err := newClient(t, f).GetZoneList(context.Background(), "XX")
		var e *client.Error
		if !errors.As(err, &e) {
			t.Fatalf("err = %v (%T), want *client.Error", err, err)
		}
		if e.Code != "1000036" || e.Message != "regionCode is invalid" || e.RequestID != "req-1" ||
			e.Service != "vserver" || e.Operation != "getZoneList" || !client.IsValidation(err) {
			t.Errorf("error = %+v", e)
		}
	})
	t.Run("wrong envelope", func(t *testing.T) {
		t.Parallel()
		f := &fakeGateway{responses: []func(http.ResponseWriter){ok(t, wire.ActionGetRegionList, wire.RegionListResponse{})}}
		_, err := newClient(t, f).GetZoneList(context.Background(), "")
		var e *client.Error
		if !errors.As(err, &e) || e.Operation != "getZoneList" || !strings.Contains(err.Error(), "decoding getZoneList response") {
			t.Errorf("err = %v, want a decoding error of getZoneList", err)
		}
	})
}

// TestAgainstNcplocal runs every call against the emulator.
func TestAgainstNcplocal(t *testing.T) {
	t.Parallel()
	srv := ncplocal.StartTest(t, ncplocal.Options{Services: func(env emu.Env) []emu.Service {
		vpcs := ncplocalvpc.New(env)
		return []emu.Service{vpcs, ncplocalvserver.New(env, vpcs)}
	}})
	core, err := client.New(client.Config{
		AccessKey: ncplocal.DefaultCredential.AccessKey, SecretKey: ncplocal.DefaultCredential.SecretKey,
		Region: "KR", Endpoints: client.Endpoints{Ncloud: srv.URL()},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := vserver.New(core)
	ctx := context.Background()

	regions, err := c.GetRegionList(ctx)
	if err != nil {
		t.Fatalf("GetRegionList: %v", err)
	}
	if len(regions) == 0 || regions[0].RegionCode != "KR" {
		t.Errorf("regions = %+v, want KR first", regions)
	}

	zones, err := c.GetZoneList(ctx, "")
	if err != nil {
		t.Fatalf("GetZoneList: %v", err)
	}
	codes := map[string]bool{}
	for _, z := range zones {
		codes[z.ZoneCode] = z.RegionCode == "KR"
	}
	if len(zones) != 2 || !codes["KR-1"] || !codes["KR-2"] {
		t.Errorf("zones = %+v, want KR-1 and KR-2 of region KR", zones)
	}

	// A VPC comes with a default ACG.
	body := legacy.EncodeParams("KR", url.Values{wirevpc.ParamVpcName: {"acg-test"}, wirevpc.ParamIpv4CidrBlock: {"10.0.0.0/16"}})
	resp, err := core.Do(ctx, &client.Request{Service: "vpc", Operation: wirevpc.ActionCreateVpc, Method: http.MethodPost,
		BaseURL: srv.URL(), Path: wirevpc.PathPrefix + wirevpc.ActionCreateVpc, Body: body, ContentType: legacy.ContentTypeForm})
	if err != nil {
		t.Fatalf("createVpc: %v", err)
	}
	var created wirevpc.VpcListResponse
	if err := legacy.DecodeJSON(resp.Body, wirevpc.ActionCreateVpc, &created); err != nil || len(created.VpcList) != 1 {
		t.Fatalf("createVpc answer: %v %+v", err, created)
	}
	vpcNo := created.VpcList[0].VpcNo

	acgs, err := c.GetAccessControlGroupList(ctx, vpcNo)
	if err != nil {
		t.Fatalf("GetAccessControlGroupList: %v", err)
	}
	if len(acgs) != 1 || acgs[0].VpcNo != vpcNo || !acgs[0].IsDefault {
		t.Errorf("ACGs of VPC %s = %+v, want its default ACG", vpcNo, acgs)
	}
	if all, err := c.GetAccessControlGroupList(ctx, ""); err != nil || len(all) != 1 {
		t.Errorf("all ACGs = %+v, %v; want the one default ACG", all, err)
	}
	if calls := srv.Calls(); calls["vserver:getZoneList"] != 1 || calls["vserver:getAccessControlGroupList"] != 2 || calls["vserver:getRegionList"] != 1 {
		t.Errorf("calls = %v", calls)
	}
}
