package cloudfunctions_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	cfclient "github.com/ncplabs/terraform-provider-ncp/internal/client/cloudfunctions"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	vpcclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
	oswire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// env is an ncplocal started for one test, with clients of it.
type env struct {
	t   *testing.T
	srv *ncplocal.Server
	cf  *cfclient.Client
	os  *osclient.Client
	vpc *vpcclient.Client
	// vpcNo and subnetNo are a VPC and a subnet of the account.
	vpcNo, subnetNo int64
}

func newCore(t *testing.T, url string, secret string) *client.Client {
	t.Helper()
	c, err := client.New(client.Config{
		AccessKey: ncplocal.DefaultCredential.AccessKey, SecretKey: secret, Region: "KR",
		Endpoints:              client.Endpoints{Ncloud: url, CloudFunctions: url, ObjectStorage: url},
		ObjectStoragePathStyle: true,
		MaxRetries:             3, RetryMinDelay: time.Millisecond, RetryMaxDelay: 5 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newEnv(t *testing.T) *env {
	t.Helper()
	srv := ncplocal.StartTest(t, ncplocal.Options{})
	core := newCore(t, srv.URL(), ncplocal.DefaultCredential.SecretKey)
	osc, err := osclient.New(core)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, srv: srv, cf: cfclient.New(core), os: osc, vpc: vpcclient.New(core)}
}

// withSubnet creates a VPC and a subnet for basic actions.
func (e *env) withSubnet() *env {
	e.t.Helper()
	ctx := context.Background()
	v, err := e.vpc.CreateVpc(ctx, vpcclient.CreateVpcInput{Ipv4CidrBlock: "10.0.0.0/16", Name: "cf-vpc"})
	if err != nil {
		e.t.Fatal(err)
	}
	var acl string
	for acl == "" {
		acls, err := e.vpc.GetNetworkAclList(ctx, v.VpcNo)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, a := range acls {
			if a.IsDefault {
				acl = a.NetworkAclNo
			}
		}
		if acl == "" {
			time.Sleep(10 * time.Millisecond)
		}
	}
	sn, err := e.vpc.CreateSubnet(ctx, vpcclient.CreateSubnetInput{VpcNo: v.VpcNo, ZoneCode: "KR-2", Subnet: "10.0.1.0/24",
		NetworkAclNo: acl, SubnetType: "PRIVATE", Name: "cf-subnet"})
	if err != nil {
		e.t.Fatal(err)
	}
	e.vpcNo, e.subnetNo = atoi(e.t, v.VpcNo), atoi(e.t, sn.SubnetNo)
	return e
}

func atoi(t *testing.T, s string) int64 {
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("not a number: %q", s)
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

// pyAction is a basic python action body of the env's subnet.
func (e *env) pyAction(code string, params wire.Parameters) *wire.ActionRequest {
	return &wire.ActionRequest{Parameters: params, Exec: &wire.Exec{Kind: "python:3.13", Code: code},
		Limits: &wire.Limits{Timeout: 30000, Memory: 256}, VPC: []wire.VPCLink{{VpcNo: e.vpcNo, SubnetNo: e.subnetNo}}}
}

// wantCode fails unless err is a Cloud Functions error with code and, when
// detail is not empty, details containing it.
func wantCode(t *testing.T, what string, err error, code, detail string) {
	t.Helper()
	var ce *client.Error
	if !errors.As(err, &ce) {
		t.Errorf("%s: got %v, want error %s", what, err, code)
		return
	}
	if ce.Code != code || ce.HTTPStatus != wire.Statuses[code] || ce.Message != wire.Messages[code] {
		t.Errorf("%s: got %s %q (HTTP %d), want %s %q (HTTP %d)", what, ce.Code, ce.Message, ce.HTTPStatus, code, wire.Messages[code], wire.Statuses[code])
	}
	if detail != "" && !strings.Contains(ce.Details, detail) {
		t.Errorf("%s: details %q do not mention %q", what, ce.Details, detail)
	}
}

// makeBucketRule creates a bucket with one event rule.
func (e *env) makeBucketRule(bucket, rule, prefix string) {
	e.t.Helper()
	ctx := context.Background()
	if err := e.os.CreateBucket(ctx, bucket); err != nil {
		e.t.Fatal(err)
	}
	if err := e.os.PutBucketEventRules(ctx, bucket, []oswire.EventRule{{Name: rule, Events: []string{oswire.EventObjectCreatedAll},
		Prefix: prefix, Target: "cloudfunctions"}}); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) upload(bucket, key, body string) {
	e.t.Helper()
	_, err := e.os.S3().PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
		Body: strings.NewReader(body)})
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) listKeys(bucket string) []string {
	e.t.Helper()
	out, err := e.os.S3().ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil {
		e.t.Fatal(err)
	}
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	return keys
}

var _ types.Object

// activations polls a list until it holds at least n activations (or the
// deadline passes) and returns it.
func waitActivations(t *testing.T, list func() (*wire.ActivationList, error), n int) []wire.Activation {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		l, err := list()
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Activations) >= n || time.Now().After(deadline) {
			return l.Activations
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func newOS(t *testing.T, core *client.Client) *osclient.Client {
	t.Helper()
	c, err := osclient.New(core)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// queryOf returns the query of "path?query", with platform=vpc.
func queryOf(path string) url.Values {
	q := url.Values{wire.ParamPlatform: {wire.PlatformVPC}}
	if _, raw, ok := strings.Cut(path, "?"); ok {
		extra, _ := url.ParseQuery(raw)
		for k, v := range extra {
			q[k] = v
		}
	}
	return q
}

func rawJSON(s string) json.RawMessage { return json.RawMessage(s) }

func vpcClientOf(core *client.Client) *vpcclient.Client { return vpcclient.New(core) }
