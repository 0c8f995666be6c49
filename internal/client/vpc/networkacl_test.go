package vpc_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	vpcclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// aclFake is a VPC API that knows network ACLs and subnets the way
// ncp-api.md §5.3 and §5.4 describe them: setSubnetNetworkAcl changes a
// subnet's ACL at once and answers the ACL in status SET, which reads as SET
// for the next setPolls getNetworkAclList answers and as RUN afterwards; an
// ACL of another VPC is refused with a responseError. It records the forms
// it was sent.
type aclFake struct {
	mu       sync.Mutex
	acls     map[string]*wire.NetworkAcl
	subnets  map[string]*wire.Subnet
	setPolls int
	pending  map[string]int // ACL number -> SET answers still to give
	forms    []url.Values
	paths    []string
	// drop makes the server drop the connection of setSubnetNetworkAcl
	// after carrying it out.
	drop bool
}

func newACLFake(t *testing.T) (*aclFake, *vpcclient.Client) {
	f := &aclFake{
		acls: map[string]*wire.NetworkAcl{
			"11": {NetworkAclNo: "11", VpcNo: "1", IsDefault: true, NetworkAclStatus: &legacy.CommonCode{Code: wire.StatusRun}},
			"12": {NetworkAclNo: "12", VpcNo: "1", NetworkAclStatus: &legacy.CommonCode{Code: wire.StatusRun}},
			"21": {NetworkAclNo: "21", VpcNo: "2", IsDefault: true, NetworkAclStatus: &legacy.CommonCode{Code: wire.StatusRun}},
		},
		subnets:  map[string]*wire.Subnet{"100": {SubnetNo: "100", VpcNo: "1", NetworkAclNo: "11"}},
		setPolls: 2,
		pending:  map[string]int{},
	}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	return f, newClient(t, srv.URL)
}

// seen returns the forms and paths received so far, and subnet 100's ACL.
func (f *aclFake) seen() (forms []url.Values, paths []string, subnetACL string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.forms), slices.Clone(f.paths), f.subnets["100"].NetworkAclNo
}

// hasACL reports whether ACL no exists.
func (f *aclFake) hasACL(no string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.acls[no]
	return ok
}

func (f *aclFake) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	action := strings.TrimPrefix(r.URL.Path, wire.PathPrefix)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.forms = append(f.forms, form)
	f.paths = append(f.paths, r.URL.Path)
	fail := func(code, msg string) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(legacy.EncodeErrorJSON(code, msg))
	}
	var out wire.NetworkAclListResponse
	out.ReturnCode = legacy.ReturnCodeSuccess
	switch action {
	case wire.ActionSetSubnetNetworkAcl:
		s, acl := f.subnets[form.Get(wire.ParamSubnetNo)], f.acls[form.Get(wire.ParamNetworkAclNo)]
		switch {
		case s == nil:
			fail(wire.CodeNotFound, "no such subnet")
			return
		case acl == nil || acl.VpcNo != s.VpcNo:
			fail(wire.CodeAclNotAccessible, "the network ACL does not belong to the subnet's VPC")
			return
		}
		s.NetworkAclNo = acl.NetworkAclNo
		f.pending[acl.NetworkAclNo] = f.setPolls
		set := *acl
		set.NetworkAclStatus = &legacy.CommonCode{Code: wire.StatusSet}
		out.NetworkAclList = []wire.NetworkAcl{set}
		if f.drop {
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			_ = conn.Close()
			return
		}
	case wire.ActionGetNetworkAclList:
		for i := 1; ; i++ {
			no := form.Get(wire.ParamNetworkAclNoList + "." + strconv.Itoa(i))
			if no == "" {
				break
			}
			acl := f.acls[no]
			if acl == nil {
				continue
			}
			a := *acl
			if f.pending[no] > 0 {
				f.pending[no]--
				a.NetworkAclStatus = &legacy.CommonCode{Code: wire.StatusSet}
			}
			out.NetworkAclList = append(out.NetworkAclList, a)
		}
	case wire.ActionCreateNetworkAcl:
		no := strconv.Itoa(30 + len(f.acls))
		acl := &wire.NetworkAcl{NetworkAclNo: no, VpcNo: form.Get(wire.ParamVpcNo), NetworkAclName: form.Get(wire.ParamNetworkAclName),
			NetworkAclDescription: form.Get(wire.ParamNetworkAclDescription), NetworkAclStatus: &legacy.CommonCode{Code: wire.StatusRun}}
		f.acls[no] = acl
		out.NetworkAclList = []wire.NetworkAcl{*acl}
	case wire.ActionDeleteNetworkAcl:
		acl := f.acls[form.Get(wire.ParamNetworkAclNo)]
		if acl == nil {
			fail(wire.CodeNotFound, "no such network ACL")
			return
		}
		delete(f.acls, acl.NetworkAclNo)
		out.NetworkAclList = []wire.NetworkAcl{*acl}
	default:
		fail(legacy.CodeInvalidParameter, "unknown action "+action)
		return
	}
	out.TotalRows = len(out.NetworkAclList)
	b, _ := legacy.EncodeJSON(action, out)
	w.Header().Set("Content-Type", legacy.ContentTypeJSON)
	_, _ = w.Write(b)
}

func TestSetSubnetNetworkAcl(t *testing.T) {
	t.Parallel()
	f, c := newACLFake(t)
	ctx := context.Background()

	acl, err := c.SetSubnetNetworkAcl(ctx, "100", "12")
	if err != nil {
		t.Fatal(err)
	}
	if acl.NetworkAclNo != "12" || acl.NetworkAclStatus.Code != wire.StatusSet {
		t.Errorf("SetSubnetNetworkAcl answered %+v, want ACL 12 in SET", acl)
	}
	forms, paths, subnetACL := f.seen()
	if form := forms[0]; paths[0] != "/vpc/v2/setSubnetNetworkAcl" || form.Get("subnetNo") != "100" || form.Get("networkAclNo") != "12" ||
		form.Get("regionCode") != "KR" || form.Get("responseFormatType") != "json" {
		t.Errorf("sent %s %v", paths[0], form)
	}
	if subnetACL != "12" {
		t.Errorf("the subnet has ACL %s, want 12", subnetACL)
	}

	// The ACL reads SET for setPolls answers, then RUN.
	for i, want := range []string{wire.StatusSet, wire.StatusSet, wire.StatusRun} {
		got, err := c.GetNetworkAclsByNo(ctx, "12")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].NetworkAclStatus.Code != want {
			t.Errorf("poll %d: %+v, want ACL 12 in %s", i+1, got, want)
		}
	}
	forms, _, _ = f.seen()
	last := forms[len(forms)-1]
	if last.Get("networkAclNoList.1") != "12" || last.Get("pageNo") != "1" || last.Get("vpcNo") != "" {
		t.Errorf("getNetworkAclList carried %v", last)
	}

	// An ACL of another VPC is refused with NCP's error.
	_, err = c.SetSubnetNetworkAcl(ctx, "100", "21")
	var e *client.Error
	if !errors.As(err, &e) || e.Code != wire.CodeAclNotAccessible || client.IsAmbiguous(err) {
		t.Errorf("setting ACL 21 of VPC 2: %v, want error %s", err, wire.CodeAclNotAccessible)
	}
	if _, _, subnetACL := f.seen(); subnetACL != "12" {
		t.Errorf("a refused change moved the subnet to ACL %s", subnetACL)
	}
}

// TestSetSubnetNetworkAclNotRetried: a change whose answer was lost is not
// resent by the client core; the caller gets an uncertain error and reads
// the subnet.
func TestSetSubnetNetworkAclNotRetried(t *testing.T) {
	t.Parallel()
	f, c := newACLFake(t)
	f.mu.Lock()
	f.drop = true
	f.mu.Unlock()
	_, err := c.SetSubnetNetworkAcl(context.Background(), "100", "12")
	if !client.IsAmbiguous(err) {
		t.Errorf("err = %v, want an ambiguous error", err)
	}
	forms, _, subnetACL := f.seen()
	if n := len(forms); n != 1 {
		t.Errorf("sent %d requests, want 1", n)
	}
	if subnetACL != "12" {
		t.Errorf("the fake did not carry the change out")
	}
}

func TestCreateAndDeleteNetworkAcl(t *testing.T) {
	t.Parallel()
	f, c := newACLFake(t)
	ctx := context.Background()
	acl, err := c.CreateNetworkAcl(ctx, vpcclient.CreateNetworkAclInput{VpcNo: "1", Name: "tf-acc-acl", Description: "second"})
	if err != nil {
		t.Fatal(err)
	}
	if acl.VpcNo != "1" || acl.NetworkAclName != "tf-acc-acl" || acl.NetworkAclDescription != "second" || acl.IsDefault {
		t.Errorf("CreateNetworkAcl answered %+v", acl)
	}
	if err := c.DeleteNetworkAcl(ctx, acl.NetworkAclNo); err != nil {
		t.Fatal(err)
	}
	if f.hasACL(acl.NetworkAclNo) {
		t.Errorf("ACL %s is still there", acl.NetworkAclNo)
	}
	if err := c.DeleteNetworkAcl(ctx, acl.NetworkAclNo); !client.IsNotFound(err) {
		t.Errorf("deleting it again: %v, want not found", err)
	}
}
