package ncplocal_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	vpcclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
	wirevpc "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// vpcClient is the provider's VPC client for the default credential,
// retrying quickly.
func vpcClient(t *testing.T, srv *ncplocal.Server) *vpcclient.Client {
	t.Helper()
	c, err := client.New(client.Config{
		AccessKey: ncplocal.DefaultCredential.AccessKey, SecretKey: ncplocal.DefaultCredential.SecretKey, Region: "KR",
		Endpoints:     client.Endpoints{Ncloud: srv.URL()},
		RetryMinDelay: time.Millisecond, RetryMaxDelay: 5 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return vpcclient.New(c)
}

// admin sends an admin request with a JSON body and decodes the answer.
func admin(t *testing.T, srv *ncplocal.Server, method, path, body string, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %s: %v", method, path, b, err)
		}
	}
	return resp.StatusCode
}

// TestServiceFaultsAnswerInTheServiceEnvelope: fault rules answer with the
// VPC service's own retryable codes as legacy responseErrors, and the
// provider's client retries them through to success.
func TestServiceFaultsAnswerInTheServiceEnvelope(t *testing.T) {
	t.Parallel()
	srv := ncplocal.StartTest(t, ncplocal.Options{})
	ctx := context.Background()
	c := vpcClient(t, srv)
	v, err := c.CreateVpc(ctx, vpcclient.CreateVpcInput{Ipv4CidrBlock: "10.0.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	acl, err := c.GetNetworkAclList(ctx, v.VpcNo)
	if err != nil || len(acl) != 1 {
		t.Fatalf("ACLs %v %v", acl, err)
	}

	// Every createSubnet fails: the client gives up with NCP's code.
	if err := srv.SetFaults([]ncplocal.FaultRule{{Pattern: "^/vpc/v2/createSubnet$", Rate: 1, Kinds: []string{"code:1001015"}}}); err != nil {
		t.Fatal(err)
	}
	in := vpcclient.CreateSubnetInput{VpcNo: v.VpcNo, ZoneCode: "KR-1", Subnet: "10.0.1.0/24", NetworkAclNo: acl[0].NetworkAclNo, SubnetType: wirevpc.SubnetTypePrivate}
	_, err = c.CreateSubnet(ctx, in)
	var ce *client.Error
	if !errors.As(err, &ce) || ce.Code != wirevpc.CodeRetryLater || ce.HTTPStatus != http.StatusBadRequest {
		t.Fatalf("createSubnet under a code:1001015 fault = %v", err)
	}
	// Half of them fail, with either "try again" code: the retries succeed.
	if err := srv.SetFaults([]ncplocal.FaultRule{{Pattern: "^/vpc/v2/createSubnet$", Rate: 0.5, Kinds: []string{"service"}, Seed: 3}}); err != nil {
		t.Fatal(err)
	}
	for i, cidr := range []string{"10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"} {
		in.Subnet = cidr
		if _, err := c.CreateSubnet(ctx, in); err != nil {
			t.Fatalf("subnet %d: %v", i, err)
		}
	}
	if _, injected := srv.Faults(); injected < 2 {
		t.Errorf("only %d faults injected", injected)
	}
	// A code no service answers is refused, naming the codes there are.
	err = srv.SetFaults([]ncplocal.FaultRule{{Pattern: ".*", Rate: 1, Kinds: []string{"code:99999"}}})
	var fe *ncplocal.FieldError
	if !errors.As(err, &fe) || fe.Field != "rules[0].kinds[0]" || !strings.Contains(fe.Message, "1001015, 3000") || !strings.Contains(fe.Message, "80031") {
		t.Errorf("unknown code: %v", err)
	}
	// Services without answers of their own let "service" faults pass.
	if err := srv.SetFaults([]ncplocal.FaultRule{{Pattern: "^/vserver/", Rate: 1, Kinds: []string{"service"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := vpcClient(t, srv).GetVpcDetail(ctx, v.VpcNo); err != nil {
		t.Errorf("VPC call under a vserver rule: %v", err)
	}
}

// TestTransitionsAdminAPI: set a kind's progression, see the object held,
// advance it, clear the settings.
func TestTransitionsAdminAPI(t *testing.T) {
	t.Parallel()
	srv := ncplocal.StartTest(t, ncplocal.Options{AsyncDelay: time.Hour})
	ctx := context.Background()
	c := vpcClient(t, srv)

	var errBody ncplocal.AdminError
	if code := admin(t, srv, http.MethodPut, "/_ncplocal/transitions", `{"kind":"vpc/nope","progression":"manual"}`, &errBody); code != 400 || errBody.Field != "kind" || !strings.Contains(errBody.Error, "vpc/subnet") {
		t.Errorf("unknown kind: %d %+v", code, errBody)
	}
	for _, kind := range []string{"vpc/vpc", "vpc/networkAcl", "vpc/routeTable", "vserver/accessControlGroup"} {
		if code := admin(t, srv, http.MethodPut, "/_ncplocal/transitions", `{"kind":"`+kind+`","transition":"create","progression":"manual"}`, nil); code != 200 {
			t.Fatalf("set %s: %d", kind, code)
		}
	}
	v, err := c.CreateVpc(ctx, vpcclient.CreateVpcInput{Ipv4CidrBlock: "10.0.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	var st ncplocal.TransitionsState
	admin(t, srv, http.MethodGet, "/_ncplocal/transitions", "", &st)
	if len(st.Pending) != 5 { // VPC, ACL, two route tables, ACG
		t.Errorf("pending %+v", st.Pending)
	}
	found := false
	for _, k := range st.Kinds {
		if k.Kind == "vpc/vpc" {
			found = k.Transitions[0].Progression == emu.ProgressManual && k.Transitions[1].Progression == emu.ProgressTime
		}
	}
	if !found {
		t.Errorf("kinds %+v", st.Kinds)
	}
	if code := admin(t, srv, http.MethodPost, "/_ncplocal/transitions/advance", `{"id":"`+v.VpcNo+`"}`, &errBody); code != 400 || errBody.Field != "kind" {
		t.Errorf("advance by id without kind: %d %+v", code, errBody)
	}
	var adv ncplocal.AdvanceResult
	admin(t, srv, http.MethodPost, "/_ncplocal/transitions/advance", `{"kind":"vpc/vpc","id":"`+v.VpcNo+`"}`, &adv)
	if len(adv.Advanced) != 1 || adv.Advanced[0].Status != wirevpc.StatusCreating {
		t.Errorf("advanced %+v", adv)
	}
	// An empty body advances everything held.
	admin(t, srv, http.MethodPost, "/_ncplocal/transitions/advance", "", &adv)
	admin(t, srv, http.MethodPost, "/_ncplocal/transitions/advance", "", &adv)
	got, err := c.GetVpcDetail(ctx, v.VpcNo)
	if err != nil || len(got) != 1 || got[0].VpcStatus.Code != wirevpc.StatusRun {
		t.Errorf("VPC after the advances: %+v %v", got, err)
	}
	admin(t, srv, http.MethodGet, "/_ncplocal/transitions", "", &st)
	if len(st.Pending) != 0 {
		t.Errorf("still pending %+v", st.Pending)
	}
	admin(t, srv, http.MethodDelete, "/_ncplocal/transitions", "", &st)
	for _, k := range st.Kinds {
		for _, tr := range k.Transitions {
			if tr.Progression != emu.ProgressTime || tr.Duration != "asyncDelay" {
				t.Errorf("after DELETE %s/%s: %s %s", k.Kind, tr.Name, tr.Progression, tr.Duration)
			}
		}
	}
	// The failing progression needs an error status.
	if code := admin(t, srv, http.MethodPut, "/_ncplocal/transitions", `{"kind":"vpc/vpc","transition":"delete","progression":"fail"}`, &errBody); code != 400 || errBody.Field != "progression" {
		t.Errorf("fail on a delete: %d %+v", code, errBody)
	}
}

// TestResetWaitsForRequestsInFlight: Reset takes effect between requests,
// never in the middle of one.
func TestResetWaitsForRequestsInFlight(t *testing.T) {
	t.Parallel()
	started, release := make(chan struct{}), make(chan struct{})
	gw := &blockingGateway{started: started, release: release, events: make(chan string, 2)}
	srv := ncplocal.StartTest(t, ncplocal.Options{Services: func(emu.Env) []emu.Service { return []emu.Service{gw} }})
	done := make(chan struct{})
	go func() {
		defer close(done)
		callGatewayAs(t, srv, http.MethodPost, "/block/v1/x", ncplocal.DefaultCredential)
	}()
	<-started
	reset := make(chan error, 1)
	go func() { reset <- srv.Reset() }()
	select {
	case err := <-reset:
		t.Fatalf("Reset returned (%v) while a request was in flight", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if err := <-reset; err != nil {
		t.Fatal(err)
	}
	<-done
	if !gw.resetAfterServe() {
		t.Error("Reset ran before the request finished")
	}
}

// blockingGateway blocks every request until released and records the
// order of serves and resets.
type blockingGateway struct {
	started, release chan struct{}
	events           chan string
}

func (g *blockingGateway) Name() string           { return "block" }
func (g *blockingGateway) PathPrefixes() []string { return []string{"/block/v1/"} }
func (g *blockingGateway) Inventory(string) any   { return nil }
func (g *blockingGateway) Reset()                 { g.log("reset") }
func (g *blockingGateway) log(ev string)          { g.events <- ev }

func (g *blockingGateway) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	close(g.started)
	<-g.release
	g.log("served")
	w.WriteHeader(http.StatusOK)
}

func (g *blockingGateway) resetAfterServe() bool {
	return len(g.events) == 2 && <-g.events == "served" && <-g.events == "reset"
}

// callGatewayAs sends one signed request as cred.
func callGatewayAs(t *testing.T, srv *ncplocal.Server, method, uri string, cred ncplocal.Credential) int {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+uri, strings.NewReader(legacy.ParamResponseFormatType+"=json"))
	if err != nil {
		t.Error(err)
		return 0
	}
	stamp := apigw.Timestamp(time.Now())
	req.Header.Set(apigw.HeaderTimestamp, stamp)
	req.Header.Set(apigw.HeaderAccessKey, cred.AccessKey)
	req.Header.Set(apigw.HeaderSignatureV2, apigw.Sign(method, uri, stamp, cred.AccessKey, cred.SecretKey))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}
