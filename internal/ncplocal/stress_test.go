package ncplocal_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vserver"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

// signedCall serves one signed gateway request on srv's handler and
// returns the status and body.
func signedCall(srv *ncplocal.Server, cred ncplocal.Credential, method, uri string) (int, []byte) {
	r := httptest.NewRequest(method, uri, nil)
	stamp := apigw.Timestamp(time.Now())
	r.Header.Set(apigw.HeaderTimestamp, stamp)
	r.Header.Set(apigw.HeaderAccessKey, cred.AccessKey)
	r.Header.Set(apigw.HeaderSignatureV2, apigw.Sign(method, uri, stamp, cred.AccessKey, cred.SecretKey))
	w := httptest.NewRecorder()
	srv.Handler().ServeHTTP(w, r)
	return w.Code, w.Body.Bytes()
}

// firstNo returns the number of the first object of a JSON list answer.
func firstNo(body []byte, list, field string) string {
	var outer map[string]map[string]json.RawMessage
	if json.Unmarshal(body, &outer) != nil {
		return ""
	}
	for _, inner := range outer {
		var items []map[string]any
		if json.Unmarshal(inner[list], &items) != nil || len(items) == 0 {
			return ""
		}
		s, _ := items[0][field].(string)
		return s
	}
	return ""
}

// TestStressSnapshotsCreatesAndKills races creates of VPCs and subnets in
// several accounts against checkpoints, and kills the server in the middle
// of it, over and over. After every restart: every acknowledged object is
// there, every subnet's VPC is there, every VPC has exactly its default ACG
// and no ACG outlives its VPC, and numbers keep growing.
func TestStressSnapshotsCreatesAndKills(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const workers, epochs, perWorker = 4, 8, 24
	creds := make([]ncplocal.Credential, workers)
	for i := range creds {
		creds[i] = ncplocal.Credential{AccessKey: fmt.Sprintf("stress-key-%d", i), SecretKey: "secret", AccountID: fmt.Sprintf("stress-%d", i)}
	}
	acked := map[string]map[string]bool{} // account → numbers acknowledged
	var ackedMu sync.Mutex
	var maxAcked uint64
	var epochAcks, killAt int
	kill := make(chan struct{}, 1)
	ack := func(account, no string) {
		ackedMu.Lock()
		defer ackedMu.Unlock()
		if epochAcks++; epochAcks == killAt {
			kill <- struct{}{}
		}
		if acked[account] == nil {
			acked[account] = map[string]bool{}
		}
		acked[account][no] = true
		n, _ := strconv.ParseUint(no, 10, 64)
		maxAcked = max(maxAcked, n)
	}

	var snapshots int
	for epoch := range epochs {
		srv, err := ncplocal.New(ncplocal.Options{DataDir: dir, Credentials: creds})
		if err != nil {
			t.Fatalf("epoch %d: restart: %v", epoch, err)
		}
		verifyRestored(t, srv, creds, acked)
		ackedMu.Lock()
		epochAcks, killAt = 0, 30+epoch*7
		ackedMu.Unlock()

		stop := make(chan struct{})
		var snapWG sync.WaitGroup
		snapWG.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if err := srv.Snapshot(); err == nil {
					snapshots++
				}
			}
		})
		var wg sync.WaitGroup
		for w, cred := range creds {
			wg.Go(func() {
				var vpcNo, aclNo, block string
				for i := range perWorker {
					if vpcNo == "" {
						block = fmt.Sprint(epoch*10 + w)
						code, body := signedCall(srv, cred, http.MethodPost, "/vpc/v2/createVpc?responseFormatType=json&ipv4CidrBlock=10."+block+".0.0%2F16")
						switch {
						case code == http.StatusOK:
							vpcNo = firstNo(body, "vpcList", "vpcNo")
							ack(cred.AccountID, vpcNo)
						case strings.Contains(string(body), "at most 3 VPCs"):
							// The account is full: go on in its last VPC.
							_, list := signedCall(srv, cred, http.MethodGet, "/vpc/v2/getVpcList?responseFormatType=json&pageNo=3&pageSize=1")
							vpcNo = firstNo(list, "vpcList", "vpcNo")
							block = strings.Split(firstNo(list, "vpcList", "ipv4CidrBlock"), ".")[1]
						}
						if vpcNo == "" {
							continue
						}
						_, acls := signedCall(srv, cred, http.MethodGet, "/vpc/v2/getNetworkAclList?responseFormatType=json&vpcNo="+vpcNo)
						aclNo = firstNo(acls, "networkAclList", "networkAclNo")
						continue
					}
					code, body := signedCall(srv, cred, http.MethodPost, fmt.Sprintf(
						"/vpc/v2/createSubnet?responseFormatType=json&zoneCode=KR-1&subnetTypeCode=PRIVATE&vpcNo=%s&networkAclNo=%s&subnet=10.%s.%d.0%%2F24",
						vpcNo, aclNo, block, epoch*perWorker+i))
					if code == http.StatusOK {
						ack(cred.AccountID, firstNo(body, "subnetList", "subnetNo"))
					}
				}
			})
		}
		// Kill the server while the workers are at it.
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-kill:
		case <-done: // all created before the count was reached
		}
		ncplocal.Abandon(srv)
		wg.Wait()
		close(stop)
		snapWG.Wait()
	}
	srv, err := ncplocal.New(ncplocal.Options{DataDir: dir, Credentials: creds})
	if err != nil {
		t.Fatal(err)
	}
	verifyRestored(t, srv, creds, acked)
	code, body := signedCall(srv, creds[0], http.MethodPost, "/vpc/v2/createVpc?responseFormatType=json&ipv4CidrBlock=10.200.0.0%2F16&regionCode=SGN")
	if n, _ := strconv.ParseUint(firstNo(body, "vpcList", "vpcNo"), 10, 64); code != http.StatusOK || n <= maxAcked {
		t.Errorf("after the restarts a new VPC got %d (%d %s); the largest acknowledged number was %d", n, code, body, maxAcked)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, m := range acked {
		total += len(m)
	}
	if total < 100 {
		t.Errorf("only %d creates were acknowledged: the stress did not stress", total)
	}
	t.Logf("%d acknowledged creates, %d checkpoints, %d kills", total, snapshots, epochs)
}

// verifyRestored checks a restored server against what was acknowledged.
func verifyRestored(t *testing.T, srv *ncplocal.Server, creds []ncplocal.Credential, acked map[string]map[string]bool) {
	t.Helper()
	inv := srv.Inventory()
	for _, cred := range creds {
		a := inv.Accounts[cred.AccountID]
		var vpcs vpc.Inventory
		if v, ok := a["vpc"].(vpc.Inventory); ok {
			vpcs = v
		}
		var acgs vserver.Inventory
		if v, ok := a["vserver"].(vserver.Inventory); ok {
			acgs = v
		}
		have := map[string]bool{}
		vpcNos := map[string]bool{}
		for _, v := range vpcs.Vpcs {
			have[v.VpcNo], vpcNos[v.VpcNo] = true, true
		}
		for _, sn := range vpcs.Subnets {
			have[sn.SubnetNo] = true
			if !vpcNos[sn.VpcNo] {
				t.Errorf("%s: subnet %s belongs to missing VPC %s", cred.AccountID, sn.SubnetNo, sn.VpcNo)
			}
		}
		for no := range acked[cred.AccountID] {
			if !have[no] {
				t.Errorf("%s: acknowledged object %s is lost", cred.AccountID, no)
			}
		}
		defaults := map[string]int{}
		for _, acg := range acgs.AccessControlGroups {
			if !vpcNos[acg.VpcNo] {
				t.Errorf("%s: ACG %s belongs to missing VPC %s", cred.AccountID, acg.AccessControlGroupNo, acg.VpcNo)
			}
			if acg.IsDefault {
				defaults[acg.VpcNo]++
			}
		}
		for no := range vpcNos {
			if defaults[no] != 1 {
				t.Errorf("%s: VPC %s has %d default ACGs", cred.AccountID, no, defaults[no])
			}
		}
	}
}
