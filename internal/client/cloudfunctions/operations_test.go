package cloudfunctions_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/clienttest"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/cloudfunctions"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// Every operation sends its documented method, path, query and body
// (ncp-api.md §4.1) and decodes its answer.
func TestOperations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	start := time.UnixMilli(1700000000000)
	end := time.UnixMilli(1700000600000)
	cases := []struct {
		name       string
		reply      clienttest.Reply
		call       func(c *cloudfunctions.Client) (any, error)
		method     string
		requestURI string
		body       string // JSON, "" for none
		check      func(t *testing.T, got any)
	}{
		{"ListPackages", clienttest.Reply{Status: 200, Body: `{"content":{"packages":[{"name":"p1"}],"totalCount":1}}`},
			func(c *cloudfunctions.Client) (any, error) { return c.ListPackages(ctx) },
			"GET", "/ncf/api/v2/packages?platform=vpc", "",
			func(t *testing.T, got any) {
				if l, _ := got.(*wire.PackageList); l == nil || l.TotalCount != 1 || l.Packages[0].Name != "p1" {
					t.Errorf("%+v", l)
				}
			}},
		{"PutPackage empty", clienttest.Reply{Status: 200, Body: `{"content":{"name":"p1","parameters":{}}}`},
			func(c *cloudfunctions.Client) (any, error) { return c.PutPackage(ctx, "p1", nil) },
			"PUT", "/ncf/api/v2/packages/p1?platform=vpc", `{}`, nil},
		{"PutPackage", clienttest.Reply{Status: 200, Body: `{"content":{"name":"p1","description":"d","parameters":{"REGION":"KR"}}}`},
			func(c *cloudfunctions.Client) (any, error) {
				return c.PutPackage(ctx, "p1", &wire.PackageRequest{Description: "d", Parameters: wire.Parameters{"REGION": "KR"}})
			},
			"PUT", "/ncf/api/v2/packages/p1?platform=vpc", `{"description":"d","parameters":{"REGION":"KR"}}`,
			func(t *testing.T, got any) {
				if p, _ := got.(*wire.Package); p == nil || p.Description != "d" || p.Parameters["REGION"] != "KR" {
					t.Errorf("%+v", p)
				}
			}},
		{"DeletePackage", clienttest.Reply{Status: 204},
			func(c *cloudfunctions.Client) (any, error) { return nil, c.DeletePackage(ctx, "p1") },
			"DELETE", "/ncf/api/v2/packages/p1?platform=vpc", "", nil},
		{"ListActions", clienttest.Reply{Status: 200, Body: `{"content":{"actions":[{"name":"a"}],"totalCount":1}}`},
			func(c *cloudfunctions.Client) (any, error) { return c.ListActions(ctx, "-") },
			"GET", "/ncf/api/v2/packages/-/actions?platform=vpc", "", nil},
		{"GetAction", clienttest.Reply{Status: 200, Body: `{"content":{"name":"a","exec":{"kind":"python:3.13","code":"x","binary":false,"main":"main"},"limits":{"timeout":60000,"memory":128},"vpc":[{"vpcNo":1,"subnetNo":2}]}}`},
			func(c *cloudfunctions.Client) (any, error) { return c.GetAction(ctx, "p1", "a") },
			"GET", "/ncf/api/v2/packages/p1/actions/a?platform=vpc", "",
			func(t *testing.T, got any) {
				if a, _ := got.(*wire.Action); a == nil || a.Exec.Kind != "python:3.13" || a.Limits.Memory != 128 || a.VPC[0].SubnetNo != 2 {
					t.Errorf("%+v", a)
				}
			}},
		{"PutAction", clienttest.Reply{Status: 200, Body: `{"content":{"name":"a"}}`},
			func(c *cloudfunctions.Client) (any, error) {
				return c.PutAction(ctx, "p1", "a", wire.ActionTypeBasic, &wire.ActionRequest{
					Exec:   &wire.Exec{Kind: "python:3.13", Code: "def main(a): return a", Main: "main"},
					Limits: &wire.Limits{Timeout: 60000, Memory: 128}, VPC: []wire.VPCLink{{VpcNo: 1, SubnetNo: 2}}})
			},
			"PUT", "/ncf/api/v2/packages/p1/actions/a?platform=vpc&type=basic",
			`{"exec":{"kind":"python:3.13","binary":false,"code":"def main(a): return a","main":"main"},"limits":{"timeout":60000,"memory":128},"vpc":[{"vpcNo":1,"subnetNo":2}]}`, nil},
		{"PutAction sequence", clienttest.Reply{Status: 200, Body: `{"content":{"name":"s"}}`},
			func(c *cloudfunctions.Client) (any, error) {
				return c.PutAction(ctx, "-", "s", wire.ActionTypeSequence, &wire.ActionRequest{
					Exec: &wire.Exec{Kind: wire.KindSequence, Components: []string{"p1/a", "-/b"}}})
			},
			"PUT", "/ncf/api/v2/packages/-/actions/s?platform=vpc&type=sequence",
			`{"exec":{"kind":"sequence","components":["p1/a","-/b"]}}`, nil},
		{"DeleteAction", clienttest.Reply{Status: 204},
			func(c *cloudfunctions.Client) (any, error) { return nil, c.DeleteAction(ctx, "p1", "a") },
			"DELETE", "/ncf/api/v2/packages/p1/actions/a?platform=vpc", "", nil},
		{"InvokeAction", clienttest.Reply{Status: 200, Body: `{"content":{"activationId":"abc","duration":12,"response":{"status":"success","success":true,"result":{"ok":true}}}}`},
			func(c *cloudfunctions.Client) (any, error) {
				return c.InvokeAction(ctx, "p1", "a", 60*time.Second, wire.Parameters{"x": "y"})
			},
			"POST", "/ncf/api/v2/packages/p1/actions/a?platform=vpc&timeout=60000", `{"x":"y"}`,
			func(t *testing.T, got any) {
				if r, _ := got.(*wire.InvokeResult); r == nil || r.ActivationID != "abc" || !r.Response.Success || r.Response.Result["ok"] != true {
					t.Errorf("%+v", r)
				}
			}},
		{"ListActionActivations", clienttest.Reply{Status: 200, Body: `{"content":{"activations":[{"activationId":"abc","start":1,"end":2,"duration":1}],"totalCount":1}}`},
			func(c *cloudfunctions.Client) (any, error) {
				return c.ListActionActivations(ctx, "p1", "a", cloudfunctions.ActivationQuery{PageNo: 2, PageSize: 5, Start: start, End: end})
			},
			"GET", "/ncf/api/v2/packages/p1/actions/a/activations?end=1700000600000&pageNo=2&pageSize=5&platform=vpc&start=1700000000000", "",
			func(t *testing.T, got any) {
				if l, _ := got.(*wire.ActivationList); l == nil || l.TotalCount != 1 || l.Activations[0].ActivationID != "abc" {
					t.Errorf("%+v", l)
				}
			}},
		{"GetActionActivation", clienttest.Reply{Status: 200, Body: `{"content":{"activationId":"abc","logs":["l"]}}`},
			func(c *cloudfunctions.Client) (any, error) { return c.GetActionActivation(ctx, "p1", "a", "abc") },
			"GET", "/ncf/api/v2/packages/p1/actions/a/activations/abc?platform=vpc", "", nil},
		{"ListActivations", clienttest.Reply{Status: 200, Body: `{"content":{"activations":[],"totalCount":0}}`},
			func(c *cloudfunctions.Client) (any, error) {
				return c.ListActivations(ctx, cloudfunctions.ActivationQuery{})
			},
			"GET", "/ncf/api/v2/activations?platform=vpc", "", nil},
		{"ListTriggers", clienttest.Reply{Status: 200, Body: `{"content":{"triggers":[],"totalCount":0}}`},
			func(c *cloudfunctions.Client) (any, error) { return c.ListTriggers(ctx) },
			"GET", "/ncf/api/v2/triggers?platform=vpc", "", nil},
		{"GetTrigger", clienttest.Reply{Status: 200, Body: `{"content":{"name":"t","triggerType":"object_storage","actions":[{"action":"s","package":"-"}]}}`},
			func(c *cloudfunctions.Client) (any, error) { return c.GetTrigger(ctx, "t") },
			"GET", "/ncf/api/v2/triggers/t?platform=vpc", "",
			func(t *testing.T, got any) {
				if tr, _ := got.(*wire.Trigger); tr == nil || tr.TypeName() != "object_storage" || tr.Actions[0].FullName() != "-/s" {
					t.Errorf("%+v", tr)
				}
			}},
		{"PutTrigger", clienttest.Reply{Status: 200, Body: `{"content":{"name":"t"}}`},
			func(c *cloudfunctions.Client) (any, error) {
				return c.PutTrigger(ctx, "t", wire.TriggerTypeObjectStorage, &wire.TriggerRequest{
					ObjectStorageLink: []wire.ObjectStorageLink{{BucketName: "b", EventRuleName: "r"}}})
			},
			"PUT", "/ncf/api/v2/triggers/t?platform=vpc&type=object_storage",
			`{"objectStorageLink":[{"bucketName":"b","eventRuleName":"r"}]}`, nil},
		{"DeleteTrigger", clienttest.Reply{Status: 204},
			func(c *cloudfunctions.Client) (any, error) { return nil, c.DeleteTrigger(ctx, "t") },
			"DELETE", "/ncf/api/v2/triggers/t?platform=vpc", "", nil},
		{"FireTrigger", clienttest.Reply{Status: 200, Body: `{"content":{"activationId":"t1"}}`},
			func(c *cloudfunctions.Client) (any, error) { return c.FireTrigger(ctx, "t", nil) },
			"POST", "/ncf/api/v2/triggers/t?platform=vpc", `{}`, nil},
		{"LinkAction", clienttest.Reply{Status: 200, Body: `{"content":{"status":"active"}}`},
			func(c *cloudfunctions.Client) (any, error) {
				return c.LinkAction(ctx, "t", wire.ActionRef{Action: "s"})
			},
			"POST", "/ncf/api/v2/triggers/t/link-action?platform=vpc", `{"action":"s","package":"-"}`,
			func(t *testing.T, got any) {
				if r, _ := got.(*wire.LinkResult); r == nil || r.Status != wire.LinkStatusActive {
					t.Errorf("%+v", r)
				}
			}},
		{"UnlinkAction", clienttest.Reply{Status: 204},
			func(c *cloudfunctions.Client) (any, error) {
				return nil, c.UnlinkAction(ctx, "t", wire.ActionRef{Action: "a", Package: "p1"})
			},
			"DELETE", "/ncf/api/v2/triggers/t/link-action?platform=vpc", `{"action":"a","package":"p1"}`, nil},
		{"ListTriggerActivations", clienttest.Reply{Status: 200, Body: `{"content":{"activations":[],"totalCount":0}}`},
			func(c *cloudfunctions.Client) (any, error) {
				return c.ListTriggerActivations(ctx, "t", cloudfunctions.ActivationQuery{PageNo: 1})
			},
			"GET", "/ncf/api/v2/triggers/t/activations?pageNo=1&platform=vpc", "", nil},
		{"GetTriggerActivation", clienttest.Reply{Status: 200, Body: `{"content":{"activationId":"t1"}}`},
			func(c *cloudfunctions.Client) (any, error) { return c.GetTriggerActivation(ctx, "t", "t1") },
			"GET", "/ncf/api/v2/triggers/t/activations/t1?platform=vpc", "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := clienttest.NewServer(t, tc.reply)
			c := cloudfunctions.New(clienttest.New(t, srv.URL))
			got, err := tc.call(c)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			seen := srv.Seen()
			if len(seen) != 1 {
				t.Fatalf("%d requests", len(seen))
			}
			if seen[0].Method != tc.method || seen[0].RequestURI != tc.requestURI {
				t.Errorf("sent %s %s, want %s %s", seen[0].Method, seen[0].RequestURI, tc.method, tc.requestURI)
			}
			if tc.body == "" {
				if seen[0].Body != "" {
					t.Errorf("body %q, want none", seen[0].Body)
				}
			} else {
				var a, b any
				if err := json.Unmarshal([]byte(seen[0].Body), &a); err != nil {
					t.Fatalf("body %q: %v", seen[0].Body, err)
				}
				_ = json.Unmarshal([]byte(tc.body), &b)
				if !reflect.DeepEqual(a, b) {
					t.Errorf("body %s, want %s", seen[0].Body, tc.body)
				}
				if !strings.HasPrefix(seen[0].ContentType, "application/json") {
					t.Errorf("content type %q", seen[0].ContentType)
				}
			}
			if tc.check != nil {
				tc.check(t, got)
			}
		})
	}
}

// A success answer without the object is an error: ambiguous for invoke
// (the activation very likely started), a server error for a read.
func TestEmptyAnswers(t *testing.T) {
	t.Parallel()
	srv := clienttest.NewServer(t, clienttest.Reply{Status: 200, Body: `{"content":{}}`})
	c := cloudfunctions.New(clienttest.New(t, srv.URL))
	if _, err := c.InvokeAction(context.Background(), "-", "a", -1, nil); !client.IsAmbiguous(err) {
		t.Errorf("invoke: %v, want ambiguous", err)
	}
	if _, err := c.GetTrigger(context.Background(), "t"); err == nil || client.IsAmbiguous(err) {
		t.Errorf("get trigger: %v, want a plain error", err)
	}
	if seen := srv.Seen(); seen[0].RequestURI != "/ncf/api/v2/packages/-/actions/a?platform=vpc" {
		t.Errorf("invoke without timeout sent %s", seen[0].RequestURI)
	}
}

// A dropped delete is ambiguous (not resent), a dropped PUT is resent.
func TestIdempotency(t *testing.T) {
	t.Parallel()
	srv := clienttest.NewServer(t, clienttest.Reply{Status: 502, Body: `{"error":{"errorCode":"500","message":"Endpoint Error"}}`})
	c := cloudfunctions.New(clienttest.New(t, srv.URL))
	if err := c.DeleteTrigger(context.Background(), "t"); !client.IsAmbiguous(err) {
		t.Errorf("delete: %v", err)
	}
	if n := len(srv.Seen()); n != 1 {
		t.Errorf("delete sent %d times", n)
	}
	srv2 := clienttest.NewServer(t, clienttest.Reply{Status: 502, Body: `{"error":{"errorCode":"500","message":"Endpoint Error"}}`},
		clienttest.Reply{Status: 200, Body: `{"content":{"name":"p"}}`})
	if _, err := cloudfunctions.New(clienttest.New(t, srv2.URL)).PutPackage(context.Background(), "p", nil); err != nil {
		t.Errorf("put: %v", err)
	}
	if n := len(srv2.Seen()); n != 2 {
		t.Errorf("put sent %d times, want 2", n)
	}
}

// The codes ncplocal answers are classified by kind.
func TestCodeKinds(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]client.Kind{
		wire.CodeActionVpcNotFound: client.KindValidation, wire.CodeTriggerEventRuleNotFound: client.KindValidation,
		wire.CodeSequenceComponentMissing: client.KindValidation, wire.CodeActionNotFound: client.KindNotFound,
		wire.CodeTriggerNotFound: client.KindNotFound, wire.CodeNameDuplicated: client.KindConflict,
		wire.CodePackageNotEmpty: client.KindConflict, wire.CodeTriggerInvokeFail: client.KindValidation,
	} {
		if got := cloudfunctions.ErrorKinds[code]; got != want {
			t.Errorf("%s (%s): %v, want %v", code, wire.Messages[code], got, want)
		}
	}
}
