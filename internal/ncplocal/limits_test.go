package ncplocal_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// TestVpcsPerRegion: NCP's limit of 3 VPCs per account and region holds by
// default; Options.VpcsPerRegion raises it (as NCP does on request) for
// every account, and a negative value is refused.
func TestVpcsPerRegion(t *testing.T) {
	t.Parallel()
	create := func(srv *ncplocal.Server, i int) (int, string) {
		uri := fmt.Sprintf("/vpc/v2/createVpc?responseFormatType=json&ipv4CidrBlock=10.%d.0.0%%2F16", i)
		req, err := http.NewRequest(http.MethodPost, srv.URL()+uri, nil)
		if err != nil {
			t.Fatal(err)
		}
		cred, stamp := ncplocal.DefaultCredential, apigw.Timestamp(time.Now())
		req.Header.Set(apigw.HeaderTimestamp, stamp)
		req.Header.Set(apigw.HeaderAccessKey, cred.AccessKey)
		req.Header.Set(apigw.HeaderSignatureV2, apigw.Sign(http.MethodPost, uri, stamp, cred.AccessKey, cred.SecretKey))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tt := range []struct {
		name    string
		limit   int
		allowed int
	}{
		{"NCP's default", 0, 3},
		{"raised", 5, 5},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := ncplocal.StartTest(t, ncplocal.Options{VpcsPerRegion: tt.limit})
			for i := range tt.allowed {
				if code, body := create(srv, i); code != http.StatusOK {
					t.Fatalf("VPC %d of %d: HTTP %d %s", i+1, tt.allowed, code, body)
				}
			}
			code, body := create(srv, tt.allowed)
			if code != http.StatusBadRequest || !strings.Contains(body, wire.CodeLimitExceeded) ||
				!strings.Contains(body, fmt.Sprintf("at most %d VPCs", tt.allowed)) {
				t.Errorf("VPC %d beyond the limit of %d: HTTP %d %s, want 400 with code %s", tt.allowed+1, tt.allowed, code, body, wire.CodeLimitExceeded)
			}
		})
	}
	if _, err := ncplocal.New(ncplocal.Options{VpcsPerRegion: -1}); err == nil {
		t.Error("New accepted VpcsPerRegion -1")
	}
}
