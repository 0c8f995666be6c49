// Package pipelinetest builds the video pipeline of examples/video-pipeline
// in an ncplocal through the NCP APIs (the same objects the example's
// configuration declares: a VPC and subnet for the actions, upload and
// output buckets, the bucket event rule, the VOD Station category, the
// Cloud Functions package, the example's two python actions, their
// sequence and the object_storage trigger, and optionally a channel with
// a Global Edge CDN over the output bucket), so that tests and benchmarks
// can drive the real upload → trigger → sequence → add-files → encode
// path without running OpenTofu. The ncplocal may run in-process or as a
// process of its own: only its URL is used.
package pipelinetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	cfclient "github.com/ncplabs/terraform-provider-ncp/internal/client/cloudfunctions"
	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	vodclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
	vpcclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/videopipeline"
	cfwire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
	oswire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
	vodwire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// Config describes the pipeline to build.
type Config struct {
	// URL is ncplocal's address; AccessKey and SecretKey one of its keys.
	URL, AccessKey, SecretKey string
	// RepoRoot is the repository's root (the actions' code is read from
	// there).
	RepoRoot string
	// Prefix starts every name (3 to 12 lower-case letters and digits).
	Prefix string
	// Options are the category's encoding option IDs.
	Options []int64
	// CDN also creates a channel with a Global Edge CDN over the output
	// bucket, for playback.
	CDN bool
	// NotificationURL, when set, is the category's callback URL.
	NotificationURL string
}

// Pipeline is a pipeline built in an ncplocal, with clients of it.
type Pipeline struct {
	Config
	Core    *client.Client
	Objects *osclient.Client
	VOD     *vodclient.Client
	CF      *cfclient.Client
	Edge    *geclient.Client

	UploadBucket, OutputBucket string
	Category                   *vodwire.Category
	Package, Sequence, Trigger string
	// ChannelID is the channel's ID when Config.CDN is set.
	ChannelID string
}

// Step names of the example's sequence.
const (
	FindCategory = "find-category"
	AddFiles     = "add-files"
)

// Setup builds the pipeline.
func Setup(ctx context.Context, cfg Config) (*Pipeline, error) {
	core, err := client.New(client.Config{
		AccessKey: cfg.AccessKey, SecretKey: cfg.SecretKey, Region: "KR",
		Endpoints: client.Endpoints{Ncloud: cfg.URL, VODStation: cfg.URL, GlobalEdge: cfg.URL, CloudFunctions: cfg.URL,
			ObjectStorage: cfg.URL},
		ObjectStoragePathStyle: true,
		RetryMinDelay:          10 * time.Millisecond, RetryMaxDelay: 200 * time.Millisecond,
	})
	if err != nil {
		return nil, err
	}
	objs, err := osclient.New(core)
	if err != nil {
		return nil, err
	}
	p := &Pipeline{Config: cfg, Core: core, Objects: objs, VOD: vodclient.New(core), CF: cfclient.New(core), Edge: geclient.New(core),
		UploadBucket: cfg.Prefix + "-upload", OutputBucket: cfg.Prefix + "-output",
		Package: cfg.Prefix + "-pipeline", Sequence: cfg.Prefix + "-encode-upload", Trigger: cfg.Prefix + "-upload"}
	code, err := os.ReadFile(filepath.Join(cfg.RepoRoot, videopipeline.ActionsFile))
	if err != nil {
		return nil, err
	}
	vpcNo, subnetNo, err := p.network(ctx)
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	for _, b := range []string{p.UploadBucket, p.OutputBucket} {
		if err := objs.CreateBucket(ctx, b); err != nil {
			return nil, fmt.Errorf("bucket %s: %w", b, err)
		}
	}
	rule := cfg.Prefix + "-on-upload"
	if err := objs.PutBucketEventRules(ctx, p.UploadBucket, []oswire.EventRule{{Name: rule,
		Events: []string{oswire.EventObjectCreatedAll}, Target: "cloudfunctions"}}); err != nil {
		return nil, fmt.Errorf("event rule: %w", err)
	}
	var notify *string
	if cfg.NotificationURL != "" {
		notify = &cfg.NotificationURL
	}
	if p.Category, err = p.VOD.CreateCategory(ctx, vodwire.CategoryRequest{Name: cfg.Prefix + "-category", EncodingOptions: cfg.Options,
		NotificationURL: notify, Output: &vodwire.Output{BucketName: p.OutputBucket, FilePath: "/videos"}}); err != nil {
		return nil, fmt.Errorf("category: %w", err)
	}
	if _, err := p.CF.PutPackage(ctx, p.Package, &cfwire.PackageRequest{Parameters: cfwire.Parameters{
		"API_URL": cfg.URL, "REGION": "KR", "NCLOUD_ACCESS_KEY": cfg.AccessKey, "NCLOUD_SECRET_KEY": cfg.SecretKey}}, cfg.SecretKey); err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	steps := map[string]cfwire.Parameters{
		FindCategory: {"CATEGORY_NAME": p.Category.Name, "UPLOAD_BUCKET_NAME": p.UploadBucket},
		AddFiles:     {},
	}
	for _, name := range []string{FindCategory, AddFiles} {
		main := "find_category"
		if name == AddFiles {
			main = "add_files"
		}
		if _, err := p.CF.PutAction(ctx, p.Package, p.Prefix+"-"+name, "", &cfwire.ActionRequest{Parameters: steps[name],
			Exec:   &cfwire.Exec{Kind: "python:3.13", Code: string(code), Main: main},
			Limits: &cfwire.Limits{Timeout: 60000, Memory: 256}, VPC: []cfwire.VPCLink{{VpcNo: vpcNo, SubnetNo: subnetNo}}}); err != nil {
			return nil, fmt.Errorf("action %s: %w", name, err)
		}
	}
	if _, err := p.CF.PutAction(ctx, p.Package, p.Sequence, cfwire.ActionTypeSequence, &cfwire.ActionRequest{
		Exec: &cfwire.Exec{Kind: cfwire.KindSequence, Components: []string{p.Package + "/" + p.Prefix + "-" + FindCategory,
			p.Package + "/" + p.Prefix + "-" + AddFiles}}}); err != nil {
		return nil, fmt.Errorf("sequence: %w", err)
	}
	if _, err := p.CF.PutTrigger(ctx, p.Trigger, cfwire.TriggerTypeObjectStorage, &cfwire.TriggerRequest{
		ObjectStorageLink: []cfwire.ObjectStorageLink{{BucketName: p.UploadBucket, EventRuleName: rule}}}); err != nil {
		return nil, fmt.Errorf("trigger: %w", err)
	}
	if _, err := p.CF.LinkAction(ctx, p.Trigger, cfwire.ActionRef{Package: p.Package, Action: p.Sequence}); err != nil {
		return nil, fmt.Errorf("trigger link: %w", err)
	}
	if cfg.CDN {
		profile, err := p.Edge.CreateProfile(ctx, cfg.Prefix+"-profile")
		if err != nil {
			return nil, fmt.Errorf("profile: %w", err)
		}
		yes := true
		ch, err := p.VOD.CreateChannel(ctx, vodwire.CreateChannelRequest{Name: cfg.Prefix + "-channel", StorageBucketName: p.OutputBucket,
			ProtocolList: []string{vodwire.ProtocolHLS}, SegmentDuration: 5, CreateCdn: &yes,
			// The category writes PRIVATE renditions (NCP's default), as the
			// example's does, so the channel must allow private files to play them.
			AccessPrivateFiles: &yes,
			Cdn:                &vodwire.ChannelCdn{ProfileID: profile, RegionType: "KOREA"}})
		if err != nil {
			return nil, fmt.Errorf("channel: %w", err)
		}
		p.ChannelID = ch.ID
	}
	return p, nil
}

// network creates the VPC and private subnet the actions run in.
func (p *Pipeline) network(ctx context.Context) (vpcNo, subnetNo int64, err error) {
	vpcs := vpcclient.New(p.Core)
	v, err := vpcs.CreateVpc(ctx, vpcclient.CreateVpcInput{Ipv4CidrBlock: "10.0.0.0/16", Name: p.Prefix + "-vpc"})
	if err != nil {
		return 0, 0, err
	}
	var acl string
	for acl == "" {
		acls, err := vpcs.GetNetworkAclList(ctx, v.VpcNo)
		if err != nil {
			return 0, 0, err
		}
		for _, a := range acls {
			if a.IsDefault {
				acl = a.NetworkAclNo
			}
		}
		if acl == "" && !sleep(ctx, 20*time.Millisecond) {
			return 0, 0, ctx.Err()
		}
	}
	for {
		sn, err := vpcs.CreateSubnet(ctx, vpcclient.CreateSubnetInput{VpcNo: v.VpcNo, ZoneCode: "KR-2", Subnet: "10.0.1.0/24",
			NetworkAclNo: acl, SubnetType: "PRIVATE", Name: p.Prefix + "-private"})
		if err == nil {
			if _, err := fmt.Sscan(sn.SubnetNo, &subnetNo); err != nil {
				return 0, 0, err
			}
			break
		}
		// The VPC may still be being created (INIT).
		var ce *client.Error
		if !errors.As(err, &ce) || !sleep(ctx, 100*time.Millisecond) {
			return 0, 0, err
		}
	}
	if _, err := fmt.Sscan(v.VpcNo, &vpcNo); err != nil {
		return 0, 0, err
	}
	return vpcNo, subnetNo, nil
}

// Upload puts body into the upload bucket under key, with an ordinary S3
// client; the bucket event starts the pipeline.
func (p *Pipeline) Upload(ctx context.Context, key string, body []byte) error {
	_, err := p.Objects.S3().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(p.UploadBucket), Key: aws.String(key),
		Body: bytes.NewReader(body), ContentType: aws.String("video/mp4")})
	return err
}

// Jobs lists every encoding job of the account (all pages of the status
// API).
func (p *Pipeline) Jobs(ctx context.Context) ([]vodwire.StatusItem, error) {
	var all []vodwire.StatusItem
	for no := 1; ; no++ {
		items, total, err := p.VOD.ListStatus(ctx, vodclient.StatusFilter{Page: vodclient.Page{No: no, Size: 100}})
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if len(items) == 0 || len(all) >= total {
			return all, nil
		}
	}
}

// Finished reports whether every job listed is COMPLETE or FAILURE.
func Finished(jobs []vodwire.StatusItem) bool {
	return !slices.ContainsFunc(jobs, func(j vodwire.StatusItem) bool {
		return j.Status != vodwire.JobComplete && j.Status != vodwire.JobFailure
	})
}

// WaitJobs polls the status API every interval until it lists want jobs,
// all finished, and returns them; seen is called with each listing.
func (p *Pipeline) WaitJobs(ctx context.Context, want int, interval time.Duration, seen func([]vodwire.StatusItem)) ([]vodwire.StatusItem, error) {
	for {
		jobs, err := p.Jobs(ctx)
		if err != nil {
			return nil, err
		}
		if seen != nil {
			seen(jobs)
		}
		if len(jobs) >= want && Finished(jobs) {
			return jobs, nil
		}
		if !sleep(ctx, interval) {
			return jobs, fmt.Errorf("waiting for %d finished encoding jobs (have %d listed): %w", want, len(jobs), ctx.Err())
		}
	}
}

// Activations lists every activation of the account.
func (p *Pipeline) Activations(ctx context.Context) ([]cfwire.Activation, error) {
	var all []cfwire.Activation
	for no := 1; ; no++ {
		l, err := p.CF.ListActivations(ctx, cfclient.ActivationQuery{PageNo: no, PageSize: 100})
		if err != nil {
			return nil, err
		}
		all = append(all, l.Activations...)
		if len(l.Activations) == 0 || len(all) >= l.TotalCount {
			return all, nil
		}
	}
}

// Channel waits until the channel is READY with a RUNNING CDN edge and
// returns it.
func (p *Pipeline) Channel(ctx context.Context) (*vodwire.Channel, error) {
	for {
		ch, err := p.VOD.GetChannel(ctx, p.ChannelID)
		if err != nil {
			return nil, err
		}
		if ch.ChannelStatus == vodwire.ChannelReady && ch.CdnDomain != "" && ch.CdnEdgeID != nil {
			if st, err := p.Edge.EdgeStatus(ctx, *ch.CdnEdgeID); err == nil && st == "RUNNING" {
				return ch, nil
			}
		}
		if !sleep(ctx, 50*time.Millisecond) {
			return nil, fmt.Errorf("waiting for channel %s: %w", p.ChannelID, ctx.Err())
		}
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
