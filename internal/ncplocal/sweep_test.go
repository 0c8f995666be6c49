package ncplocal_test

import (
	"net/http"
	"testing"
)

// TestReadCostIndependentOfAccountSize: a read costs what it touches, not
// the size of the account (issue 10 item 3). Before the fix every request
// swept the statuses of all the account's objects, and getVpcList fell
// from 29k to 4.5k requests per second once the account held 10,000
// subnets in other VPCs. The cost is counted, not timed: the store counts
// every record it looks at, and the same reads must look at exactly as many
// records in an account of 51 VPCs as in one that also holds 10,000
// subnets. (How fast they are is BenchmarkReads' business.)
func TestReadCostIndependentOfAccountSize(t *testing.T) {
	t.Parallel()
	small := newBenchAccount(t, 0, false)
	large := newBenchAccount(t, 10000, false)
	visited := func(a *benchAccount) map[string]uint64 {
		out := map[string]uint64{}
		for name, uri := range map[string]string{
			"getVpcList":      "/vpc/v2/getVpcList?responseFormatType=json&vpcNoList.1=" + a.vpcNo,
			"getVpcDetail":    "/vpc/v2/getVpcDetail?responseFormatType=json&vpcNo=" + a.vpcNo,
			"getSubnetDetail": "/vpc/v2/getSubnetDetail?responseFormatType=json&subnetNo=" + a.subnetNo,
		} {
			before := a.vpcs.Store().Visits()
			if code, body := signedCall(a.srv, benchCred, http.MethodPost, uri); code != http.StatusOK {
				t.Fatalf("%s: %d %s", uri, code, body)
			}
			out[name] = a.vpcs.Store().Visits() - before
		}
		return out
	}
	s, l := visited(small), visited(large)
	for name, n := range s {
		if n == 0 {
			t.Errorf("%s looked at no record: the visit count does not measure reads", name)
		}
		if l[name] != n {
			t.Errorf("%s looked at %d records with 10,000 subnets in the account, %d without; want a read to look only at what it reads", name, l[name], n)
		}
		t.Logf("%s: %d records looked at", name, n)
	}
}
