package ncplocal_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vserver"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

// Fuzz targets of whole requests through the server: what arrives on
// ncplocal's port from anyone. Every target checks that the server never
// answers a client's input with a 5xx of its own making (a handler panic
// is a 500 and is recorded), and that a refused request changed nothing.

// fuzzServer is one in-memory server with the built-in services, the
// Object Storage service kept at hand for its snapshots.
type fuzzServer struct {
	srv *ncplocal.Server
	s3  *objectstorage.Service
}

func newFuzzServer(f *testing.F) *fuzzServer {
	f.Helper()
	fs := &fuzzServer{}
	srv, err := ncplocal.New(ncplocal.Options{Services: func(env emu.Env) []emu.Service {
		vpcs := vpc.New(env)
		fs.s3 = objectstorage.New(env)
		return []emu.Service{vpcs, vserver.New(env, vpcs), fs.s3}
	}})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = srv.Close() })
	fs.srv = srv
	return fs
}

// serve answers r in-process.
func (fs *fuzzServer) serve(r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	fs.srv.Handler().ServeHTTP(w, r)
	return w
}

// admin answers an admin GET and returns its body.
func (fs *fuzzServer) admin(t *testing.T, p string) string {
	t.Helper()
	w := fs.serve(httptest.NewRequest(http.MethodGet, p, nil))
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", p, w.Code, w.Body)
	}
	return w.Body.String()
}

// state is everything a request could change: the inventory of every
// account, the Object Storage snapshot (ACLs, tags, CORS, bodies' digests,
// uploads), the fault rules, the transition settings and the config.
func (fs *fuzzServer) state(t *testing.T) string {
	t.Helper()
	snap, err := fs.s3.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, p := range []string{"/_ncplocal/inventory", "/_ncplocal/faults", "/_ncplocal/transitions", "/_ncplocal/config"} {
		b.WriteString(fs.admin(t, p) + "\n")
	}
	b.Write(snap)
	return b.String()
}

// checkAnswer fails on a handler panic and on a 5xx that is not an honest
// "not implemented".
func (fs *fuzzServer) checkAnswer(t *testing.T, what string, w *httptest.ResponseRecorder) {
	t.Helper()
	if p := fs.srv.TakePanics(); len(p) > 0 {
		t.Fatalf("%s: a handler panicked: %s", what, p[0])
	}
	if w.Code >= 500 && w.Code != http.StatusNotImplemented {
		t.Fatalf("%s: HTTP %d for client input: %.300s", what, w.Code, w.Body)
	}
}

// validRequest reports whether method and target make an HTTP request line
// net/http would hand to a handler.
func validRequest(method, target string) bool {
	if method == "" || strings.ContainsAny(method, " \t\r\n()<>@,;:\\\"/[]?={}") || !strings.HasPrefix(target, "/") ||
		strings.ContainsAny(target, " \t\r\n#") {
		return false
	}
	for _, c := range method + target {
		if c < 0x21 || c > 0x7e {
			return false
		}
	}
	_, err := url.ParseRequestURI(target)
	return err == nil
}

// Signature modes of FuzzGatewayRequest.
const (
	sigValid    = iota // signed by the key's owner
	sigOtherURI        // a valid signature of another request target
	sigWrongKey        // signed with a wrong secret
	sigNone            // no signature header
	sigStale           // signed, with a timestamp beyond the skew
	sigModes
)

// FuzzGatewayRequest sends whole API Gateway requests (any method, request
// target and form body) through the server, signed correctly or not. No
// request gets a 5xx; one that is not correctly signed gets the gateway's
// 401 (or 404 for a path no API serves), and its details never show the
// access key; any refused request leaves every account as it was.
func FuzzGatewayRequest(f *testing.F) {
	fs := newFuzzServer(f)
	for _, seed := range []struct {
		method, target, body string
		mode                 uint8
	}{
		// The documented examples (ncp-api.md §1.1, §5).
		{"GET", "/vpc/v2/getVpcList?regionCode=KR", "", sigValid},
		{"POST", "/vpc/v2/createVpc", "regionCode=KR&vpcName=test-vpc&ipv4CidrBlock=10.0.0.0%2F16&responseFormatType=json", sigValid},
		{"GET", "/vpc/v2/createVpc?vpcName=fuzz-vpc&ipv4CidrBlock=10.1.0.0%2F16&responseFormatType=json", "", sigValid},
		{"GET", "/vserver/v2/getRegionList?responseFormatType=json", "", sigValid},
		{"GET", "/vserver/v2/getZoneList?regionCode=KR", "", sigValid},
		// Issue 10 item 1: paging whose offset overflows.
		{"GET", "/vpc/v2/getVpcList?pageNo=9223372036854775807&pageSize=2", "", sigValid},
		{"POST", "/vpc/v2/getSubnetList", "pageNo=4611686018427387904&pageSize=4&responseFormatType=json", sigValid},
		{"GET", "/vpc/v2/getNetworkAclList?pageNo=2147483647&pageSize=1000", "", sigValid},
		{"GET", "/vpc/v2/getRouteTableList?pageNo=-1&pageSize=1", "", sigValid},
		{"GET", "/vserver/v2/getAccessControlGroupList?pageNo=99999999999999999999&pageSize=1", "", sigValid},
		// Issue 10 item 12 and malformed parameters.
		{"GET", "/vpc/v2/createSubnet?vpcNo=1&subnet=192.168.0.0%2F24&zoneCode=KR-1&networkAclNo=1&subnetTypeCode=PRIVATE", "", sigValid},
		{"GET", "/vpc/v2/getVpcList?vpcNoList.1=1&vpcNoList.3=2", "", sigValid},
		{"GET", "/vpc/v2/getVpcList?vpcNoList=1", "", sigValid},
		{"GET", "/vpc/v2/getVpcList?%zz", "", sigValid},
		{"POST", "/vpc/v2/getVpcList", "%zz=1&responseFormatType=json", sigValid},
		{"POST", "/vpc/v2/getVpcList?regionCode=KR", "regionCode=JPN", sigValid},
		{"GET", "/vpc/v2/getVpcList?responseFormatType=JSON", "", sigValid},
		{"GET", "/vpc/v2/noSuchAction", "", sigValid},
		{"DELETE", "/vpc/v2/deleteVpc?vpcNo=1", "", sigValid},
		{"GET", "/vpc/v2/deleteVpc?vpcNo=00001", "", sigValid},
		{"GET", "/vpc/v2/getVpcDetail?vpcNo=18446744073709551616", "", sigValid},
		{"GET", "/nowhere", "", sigValid},
		// Not correctly signed.
		{"GET", "/vpc/v2/getVpcList", "", sigOtherURI},
		{"POST", "/vpc/v2/createVpc?vpcName=x&ipv4CidrBlock=10.0.0.0%2F16", "", sigWrongKey},
		{"GET", "/vpc/v2/getVpcList", "", sigNone},
		{"GET", "/vpc/v2/getVpcList", "", sigStale},
	} {
		f.Add(seed.method, seed.target, seed.body, seed.mode)
	}
	cred := ncplocal.DefaultCredential
	f.Fuzz(func(t *testing.T, method, target, body string, mode uint8) {
		if !validRequest(method, target) || len(body) > 1<<16 {
			return
		}
		mode %= sigModes
		r := httptest.NewRequest(method, target, strings.NewReader(body))
		if body != "" {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		now := time.Now()
		secret, signedURI := cred.SecretKey, target
		switch mode {
		case sigOtherURI:
			signedURI = target + "x"
		case sigWrongKey:
			secret += "x"
		case sigStale:
			now = now.Add(-apigw.MaxClockSkew - time.Minute)
		}
		ts := apigw.Timestamp(now)
		r.Header.Set(apigw.HeaderTimestamp, ts)
		r.Header.Set(apigw.HeaderAccessKey, cred.AccessKey)
		if mode != sigNone {
			r.Header.Set(apigw.HeaderSignatureV2, apigw.Sign(method, signedURI, ts, cred.AccessKey, secret))
		}
		before := fs.state(t)
		w := fs.serve(r)
		fs.checkAnswer(t, method+" "+target, w)
		if mode != sigValid && w.Code != http.StatusUnauthorized && w.Code != http.StatusNotFound {
			t.Fatalf("%s %s (signature mode %d): HTTP %d, want 401: %.300s", method, target, mode, w.Code, w.Body)
		}
		if strings.Contains(w.Body.String(), cred.AccessKey) {
			t.Fatalf("the answer shows the access key: %.300s", w.Body)
		}
		if w.Code >= 400 {
			if after := fs.state(t); after != before {
				t.Fatalf("%s %s was refused (HTTP %d) but changed the state:\nbefore %.500s\nafter  %.500s", method, target, w.Code, before, after)
			}
		}
	})
}

// FuzzAdminRequest sends any method, path and body to the admin API: no
// request gets a 5xx, and one it refuses (4xx) changes nothing: not the
// accounts, the fault rules, the transition settings or the config.
func FuzzAdminRequest(f *testing.F) {
	fs := newFuzzServer(f)
	for _, seed := range []struct{ method, path, body string }{
		// The documented examples (README, admin index).
		{"GET", "/_ncplocal/", ""},
		{"GET", "/_ncplocal/health", ""},
		{"GET", "/_ncplocal/inventory", ""},
		{"GET", "/_ncplocal/calls", ""},
		{"DELETE", "/_ncplocal/calls", ""},
		{"PUT", "/_ncplocal/faults", `{"rules":[{"pattern":"^/vpc/v2/createSubnet","rate":0.5,"kinds":["429","503","reset"]}]}`},
		{"PUT", "/_ncplocal/faults", `{"rules":[{"pattern":"(","rate":0.5,"kinds":["429"]}]}`},
		{"PUT", "/_ncplocal/faults", `{"rules":[{"pattern":"x","rate":2,"kinds":["code:"]}]}`},
		{"PUT", "/_ncplocal/faults", `{"rules":[{"pattern":"x","rate":NaN}]}`},
		{"POST", "/_ncplocal/faults", `{"rules":[{"pattern":"x","rate":1e999,"kinds":["service"]}]}`},
		{"DELETE", "/_ncplocal/faults", ""},
		{"PUT", "/_ncplocal/transitions", `{"kind":"vpc/subnet","transition":"create","progression":"manual"}`},
		{"PUT", "/_ncplocal/transitions", `{"kind":"vpc/vpc","transition":"create","progression":"time","duration":"5s"}`},
		{"PUT", "/_ncplocal/transitions", `{"kind":"vpc/vpc","transition":"create","progression":"time","duration":"-9223372036854775808ns"}`},
		{"PUT", "/_ncplocal/transitions", `{"kind":"nope","transition":"create","progression":"manual"}`},
		{"POST", "/_ncplocal/transitions/advance", `{"account":"ncplocal","kind":"vpc/subnet","id":"10005"}`},
		{"POST", "/_ncplocal/transitions/advance", `{"id":"1"}`},
		{"DELETE", "/_ncplocal/transitions", ""},
		{"PUT", "/_ncplocal/config", `{"asyncDelay":"500ms"}`},
		{"PUT", "/_ncplocal/config", `{"asyncDelay":"-1s"}`},
		{"PUT", "/_ncplocal/config", `{"asyncDelay":"2562047h48m"}`},
		{"PUT", "/_ncplocal/config", `{"asyncDelay":1}`},
		{"PUT", "/_ncplocal/config", `{"asyncDelay":"1s"} {}`},
		{"PUT", "/_ncplocal/config", `{"other":true}`},
		{"POST", "/_ncplocal/reset", ""},
		{"GET", "/_ncplocal/reset", ""},
		{"PATCH", "/_ncplocal/config", "{}"},
		{"GET", "/_ncplocal/nothing", ""},
		{"GET", "/_ncplocal", ""},
	} {
		f.Add(seed.method, seed.path, seed.body)
	}
	f.Fuzz(func(t *testing.T, method, path, body string) {
		target := "/_ncplocal/" + strings.TrimPrefix(path, "/_ncplocal/")
		if !validRequest(method, target) || len(body) > 1<<16 {
			return
		}
		r := httptest.NewRequest(method, target, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		before := fs.state(t)
		w := fs.serve(r)
		fs.checkAnswer(t, method+" "+target, w)
		if w.Code >= 400 {
			if after := fs.state(t); after != before {
				t.Fatalf("%s %s %.200q was refused (HTTP %d) but changed the state:\nbefore %.500s\nafter  %.500s", method, target, body, w.Code, before, after)
			}
		}
		// Keep the server usable for the next input: an accepted rule
		// could inject faults into the state checks' own requests.
		if w.Code < 400 && method != http.MethodGet {
			fs.serve(httptest.NewRequest(http.MethodPost, "/_ncplocal/reset", nil))
			fs.serve(httptest.NewRequest(http.MethodDelete, "/_ncplocal/faults", nil))
			fs.serve(httptest.NewRequest(http.MethodDelete, "/_ncplocal/transitions", nil))
			fs.serve(httptest.NewRequest(http.MethodPut, "/_ncplocal/config", strings.NewReader(`{"asyncDelay":"0s"}`)))
		}
	})
}

// s3Bucket is the bucket FuzzS3Request's server holds, with one object.
const s3Bucket = "fuzz-bucket"

// FuzzS3Request sends whole Object Storage requests through the server,
// signed with SigV4 by the AWS SDK: any method, path, query, one extra
// header and body, including every XML body S3 reads (ACLs, tags, CORS,
// DeleteObjects, CompleteMultipartUpload, CreateBucketConfiguration). No
// request gets a 5xx other than 501 NotImplemented, and a refused one
// changes nothing.
func FuzzS3Request(f *testing.F) {
	fs := newFuzzServer(f)
	creds := aws.Credentials{AccessKeyID: ncplocal.DefaultCredential.AccessKey, SecretAccessKey: ncplocal.DefaultCredential.SecretKey}
	send := func(t testing.TB, method, path, query, header string, body []byte) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, "/", bytes.NewReader(body))
		r.URL.Path, r.URL.RawQuery = path, query
		r.RequestURI = r.URL.RequestURI()
		r.Host = "127.0.0.1:4510"
		if name, value, ok := strings.Cut(header, ":"); ok && name != "" {
			r.Header.Set(name, value)
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])
		r.Header.Set("X-Amz-Content-Sha256", hash)
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hash, "s3", "kr-standard", time.Now()); err != nil {
			t.Skip("the SDK does not sign this request")
		}
		return fs.serve(r)
	}
	if w := send(f, http.MethodPut, "/"+s3Bucket, "", "", nil); w.Code != http.StatusOK {
		f.Fatalf("create bucket: %d %s", w.Code, w.Body)
	}
	if w := send(f, http.MethodPut, "/"+s3Bucket+"/key", "", "", []byte("body")); w.Code != http.StatusOK {
		f.Fatalf("put object: %d %s", w.Code, w.Body)
	}
	md5Header := func(b string) string { return "Content-Md5:" + contentMD5([]byte(b)) }
	for _, seed := range []struct{ method, path, query, header, body string }{
		{"GET", "/", "", "", ""},
		{"GET", "/" + s3Bucket, "list-type=2&prefix=k&delimiter=%2F&max-keys=1", "", ""},
		{"GET", "/" + s3Bucket, "list-type=2&max-keys=-1", "", ""},
		{"GET", "/" + s3Bucket, "list-type=2&continuation-token=%%%", "", ""},
		{"GET", "/" + s3Bucket, "encoding-type=url&marker=\xff", "", ""},
		{"GET", "/" + s3Bucket + "/key", "", "Range:bytes=9223372036854775807-", ""},
		{"GET", "/" + s3Bucket + "/key", "", "Range:bytes=-0", ""},
		{"GET", "/" + s3Bucket + "/key", "", "If-Modified-Since:garbage", ""},
		{"GET", "/" + s3Bucket + "/key", "partNumber=18446744073709551617", "", ""},
		{"HEAD", "/" + s3Bucket + "/key", "", "X-Amz-Checksum-Mode:ENABLED", ""},
		{"PUT", "/" + s3Bucket + "/new", "", "X-Amz-Checksum-Crc32:AAAAAA==", "data"},
		{"PUT", "/" + s3Bucket + "/new", "", "X-Amz-Checksum-Sha256:not-base64", "data"},
		{"PUT", "/" + s3Bucket + "/new", "", "X-Amz-Tagging:a=b&a=c", "data"},
		{"PUT", "/" + s3Bucket + "/new", "", "X-Amz-Meta-\xff:x", "data"},
		{"PUT", "/" + s3Bucket + "/" + strings.Repeat("k", 1025), "", "", "data"},
		{"PUT", "/" + s3Bucket + "/copy", "", "X-Amz-Copy-Source:/" + s3Bucket + "/key", ""},
		{"PUT", "/" + s3Bucket + "/copy", "", "X-Amz-Copy-Source:%zz", ""},
		{"PUT", "/" + s3Bucket + "/copy", "", "X-Amz-Copy-Source-Range:bytes=0-1", ""},
		{"PUT", "/" + s3Bucket + "/key", "tagging", "", `<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>`},
		{"PUT", "/" + s3Bucket + "/key", "tagging", "", `<Tagging><TagSet><Tag><Key></Key><Value>v</Value></Tag></TagSet></Tagging>`},
		{"PUT", "/" + s3Bucket + "/key", "tagging", "", `<Tagging><TagSet>`},
		{"PUT", "/" + s3Bucket, "acl", "X-Amz-Acl:public-read", ""},
		{"PUT", "/" + s3Bucket, "acl", "X-Amz-Acl:bogus", ""},
		{"PUT", "/" + s3Bucket, "acl", "", `<AccessControlPolicy><Owner><ID>x</ID></Owner><AccessControlList/></AccessControlPolicy>`},
		{"PUT", "/" + s3Bucket + "/key", "acl", "X-Amz-Acl:public-read", ""},
		{"PUT", "/" + s3Bucket, "cors", md5Header(`<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`),
			`<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`},
		{"PUT", "/" + s3Bucket, "cors", md5Header(`<CORSConfiguration><CORSRule><AllowedMethod>BREW</AllowedMethod></CORSRule></CORSConfiguration>`),
			`<CORSConfiguration><CORSRule><AllowedMethod>BREW</AllowedMethod></CORSRule></CORSConfiguration>`},
		{"PUT", "/" + s3Bucket, "cors", md5Header(`<CORSConfiguration><CORSRule><MaxAgeSeconds>-1</MaxAgeSeconds><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`),
			`<CORSConfiguration><CORSRule><MaxAgeSeconds>-1</MaxAgeSeconds><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`},
		{"POST", "/" + s3Bucket, "delete", md5Header(`<Delete><Object><Key>key</Key></Object><Quiet>true</Quiet></Delete>`),
			`<Delete><Object><Key>key</Key></Object><Quiet>true</Quiet></Delete>`},
		{"POST", "/" + s3Bucket, "delete", md5Header(`<Delete></Delete>`), `<Delete></Delete>`},
		{"POST", "/" + s3Bucket, "delete", "", `<Delete><Object><Key>key</Key></Object></Delete>`},
		{"POST", "/" + s3Bucket + "/mp", "uploads", "", ""},
		{"POST", "/" + s3Bucket + "/mp", "uploadId=nope", "", `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"x"</ETag></Part></CompleteMultipartUpload>`},
		{"PUT", "/" + s3Bucket + "/mp", "uploadId=nope&partNumber=0", "", "part"},
		{"PUT", "/" + s3Bucket + "/mp", "uploadId=nope&partNumber=10001", "", "part"},
		{"GET", "/" + s3Bucket, "uploads", "", ""},
		{"PUT", "/another-bucket", "", "", `<CreateBucketConfiguration><LocationConstraint>kr-standard</LocationConstraint></CreateBucketConfiguration>`},
		{"PUT", "/another-bucket", "", "", `<CreateBucketConfiguration><LocationConstraint>us-east-1</LocationConstraint></CreateBucketConfiguration>`},
		{"PUT", "/another-bucket", "", "X-Amz-Bucket-Object-Lock-Enabled:true", ""},
		{"PUT", "/버킷-abc", "", "", ""},
		{"PUT", "/Bad_Bucket", "", "", ""},
		{"PUT", "/" + s3Bucket, "versioning", "", `<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`},
		{"DELETE", "/" + s3Bucket, "", "", ""},
		{"DELETE", "/" + s3Bucket + "/key", "", "", ""},
		{"PATCH", "/" + s3Bucket + "/key", "", "", ""},
		{"OPTIONS", "/" + s3Bucket + "/key", "", "Origin:http://example.com", ""},
		{"GET", "/" + s3Bucket + "/key", "X-Amz-Signature=00", "", ""},
	} {
		f.Add(seed.method, seed.path, seed.query, seed.header, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, method, path, query, header string, body []byte) {
		if !validRequest(method, "/") || !strings.HasPrefix(path, "/") || len(body) > 1<<16 ||
			strings.ContainsAny(header, "\r\n") || strings.HasPrefix(path, "/_ncplocal") {
			return
		}
		before := fs.state(t)
		w := send(t, method, path, query, header, body)
		fs.checkAnswer(t, method+" "+path+"?"+query, w)
		if w.Code >= 400 {
			if after := fs.state(t); after != before {
				t.Fatalf("%s %s?%s (%s) was refused (HTTP %d) but changed the state:\nbefore %.500s\nafter  %.500s\n%.300s",
					method, path, query, header, w.Code, before, after, w.Body)
			}
		}
		// Keep the bucket and its object for the next input.
		if w.Code < 300 && method != http.MethodGet && method != http.MethodHead {
			if w := send(t, http.MethodPut, "/"+s3Bucket, "", "", nil); w.Code != http.StatusOK && w.Code != http.StatusConflict {
				t.Fatalf("recreate bucket: %d", w.Code)
			}
			send(t, http.MethodPut, "/"+s3Bucket+"/key", "", "", []byte("body"))
		}
	})
}

// contentMD5 is the Content-MD5 header value of b.
func contentMD5(b []byte) string {
	sum := md5.Sum(b)
	return base64.StdEncoding.EncodeToString(sum[:])
}
