package e2e_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/acctest/tofucli"
	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	vodclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	gewire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
	vodwire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

var resourceType = regexp.MustCompile(`(?m)^\s*(?:resource|data)\s+"(ncp_[a-z0-9_]+)"`)

// exampleTypes lists the ncp_ resource and data source types the example's
// files (module included) declare.
func exampleTypes(t *testing.T, dir string) []string {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".tf") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range resourceType.FindAllStringSubmatch(string(b), -1) {
			seen[m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// appliedExample is examples/video-pipeline applied against an ncplocal of
// its own.
type appliedExample struct {
	srv     *ncplocal.Server
	h       *tofucli.Harness
	dir     string
	outputs map[string]string
}

// out returns the example's output name (empty when unset or not a string).
func (e *appliedExample) out(name string) string { return e.outputs[name] }

// applyExample applies examples/video-pipeline, exactly as it is in the
// repository (root configuration and module), against a new ncplocal
// whose state lives in a temporary data dir (the encoder's work files and
// the packager's cache go there too).
func applyExample(t *testing.T) *appliedExample {
	t.Helper()
	srv := acctest.StartServer(t, func(o *ncplocal.Options) { o.DataDir = t.TempDir() })
	env := acctest.Env(srv)
	env["TF_VAR_vod_api_url"] = srv.URL()
	env["TF_VAR_access_key"] = ncplocal.DefaultCredential.AccessKey
	env["TF_VAR_secret_key"] = ncplocal.DefaultCredential.SecretKey
	env["TF_VAR_player_base_url"] = srv.URL()
	h := tofucli.New(t, env)

	dir := tofucli.CopyTree(t, filepath.Join(tofucli.RepoRoot(t), "examples", "video-pipeline"))
	h.MustRun(t, dir, nil, "get", "-no-color")

	// Every type the example uses must be served by the provider; say which
	// are missing before OpenTofu's longer validation errors.
	schema, _ := h.MustRun(t, dir, nil, "providers", "schema", "-json")
	var ps struct {
		Schemas map[string]struct {
			Resources   map[string]json.RawMessage `json:"resource_schemas"`
			DataSources map[string]json.RawMessage `json:"data_source_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.Unmarshal([]byte(schema[strings.Index(schema, "{"):]), &ps); err != nil {
		t.Fatalf("tofu providers schema -json: %v", err)
	}
	var missing []string
	for _, typ := range exampleTypes(t, dir) {
		found := false
		for _, p := range ps.Schemas {
			_, r := p.Resources[typ]
			_, d := p.DataSources[typ]
			found = found || r || d
		}
		if !found {
			missing = append(missing, typ)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("the provider does not serve %s, which examples/video-pipeline uses (VOD Station and Global Edge: issue 7; Cloud Functions and bucket events: issue 8)",
			strings.Join(missing, ", "))
	}

	h.Apply(t, dir)
	out, _ := h.MustRun(t, dir, nil, "output", "-json", "-no-color")
	var outputs map[string]struct {
		Value any `json:"value"`
	}
	if err := json.Unmarshal([]byte(out), &outputs); err != nil {
		t.Fatalf("tofu output -json: %v\n%s", err, out)
	}
	e := &appliedExample{srv: srv, h: h, dir: dir, outputs: map[string]string{}}
	for name, o := range outputs {
		if s, ok := o.Value.(string); ok {
			e.outputs[name] = s
		}
	}
	return e
}

// TestVideoPipelineExample applies examples/video-pipeline, the
// configuration `make demo` applies, exactly as it is in the repository
// (root configuration and module), so the example a user starts from is
// checked on every test run: every output is set, ncplocal holds what the
// tutorial describes, an uploaded video goes through the whole pipeline to
// the player page (UploadToPlayer, on the same apply), the second plan is
// empty and destroy leaves nothing.
func TestVideoPipelineExample(t *testing.T) {
	t.Parallel()
	ex := applyExample(t)
	srv, h, dir, str := ex.srv, ex.h, ex.dir, ex.out
	for _, name := range []string{"vpc_no", "subnet_no", "upload_bucket", "output_bucket", "category_name", "trigger_name",
		"sequence_name", "channel_id", "cdn_domain", "play_url_template", "player_url"} {
		if str(name) == "" {
			t.Errorf("output %s is empty", name)
		}
	}
	if str("upload_bucket") != "video-upload-demo" || str("output_bucket") != "video-output-demo" ||
		str("trigger_name") != "video-upload" || str("sequence_name") != "video-pipeline/video-encode-upload" ||
		str("player_url") != srv.URL()+"/_ncplocal/player/" {
		t.Errorf("outputs = %+v", ex.outputs)
	}
	if !regexp.MustCompile(`^vs-\d{14}-\w{7}$`).MatchString(str("channel_id")) {
		t.Errorf("channel_id = %q, want vs-YYYYMMDDhhmmss-XXXXXXX", str("channel_id"))
	}

	var inv struct {
		Vpcs    []wire.Vpc    `json:"vpcs"`
		Subnets []wire.Subnet `json:"subnets"`
	}
	if _, err := acctest.DecodeInventory(srv, ncplocal.DefaultCredential.AccountID, "vpc", &inv); err != nil {
		t.Fatal(err)
	}
	if len(inv.Vpcs) != 1 || inv.Vpcs[0].VpcNo != str("vpc_no") || inv.Vpcs[0].Ipv4CidrBlock != "10.0.0.0/16" {
		t.Errorf("ncplocal VPCs = %+v, want the one VPC %s with 10.0.0.0/16", inv.Vpcs, str("vpc_no"))
	}
	if len(inv.Subnets) != 1 {
		t.Fatalf("ncplocal subnets = %+v, want one", inv.Subnets)
	}
	if s := inv.Subnets[0]; s.SubnetNo != str("subnet_no") || s.ZoneCode != "KR-2" ||
		s.SubnetType == nil || s.SubnetType.Code != wire.SubnetTypePrivate {
		t.Errorf("subnet = %+v, want the tutorial's private KR-2 subnet", s)
	}
	_, buckets := inventoryNames(t, srv, ncplocal.DefaultCredential.AccountID)
	if strings.Join(buckets, ",") != "video-output-demo,video-upload-demo" {
		t.Errorf("buckets = %v", buckets)
	}

	// VOD Station asked ncplocal's Global Edge for the channel's CDN: one
	// profile holding one running edge, the domain the channel shows.
	checkChannelEdge(t, srv, str("channel_id"), str("cdn_domain"))
	checkChannelStreamsCategory(t, srv, str("channel_id"), str("category_name"))

	// A video uploaded to the upload bucket goes through the trigger, the
	// sequence, VOD Station's encoding and the channel's CDN to the player.
	t.Run("UploadToPlayer", func(t *testing.T) { checkUploadToPlayer(t, ex) })

	// The upload changed nothing the configuration manages.
	h.PlanEmpty(t, dir)
	// NCP leaves a deleted channel's edge, and a profile with edges cannot
	// be deleted: the channel's destroy removes its edge
	// (delete_cdn_on_destroy), so the profile goes too and nothing is left;
	// the buckets go with the upload and the renditions (force_destroy).
	h.Destroy(t, dir)
	if vpcs, buckets := inventoryNames(t, srv, ncplocal.DefaultCredential.AccountID); len(vpcs)+len(buckets) != 0 {
		t.Errorf("after destroy ncplocal still holds VPCs %v and buckets %v", vpcs, buckets)
	}
	if acct := inventoryAccount(t, srv, ncplocal.DefaultCredential.AccountID); len(acct) != 0 {
		t.Errorf("after destroy ncplocal still holds %v", acct)
	}
}

// inventoryAccount returns the services that still hold something in the
// account (the inventory leaves out a service with nothing there).
func inventoryAccount(t *testing.T, srv *ncplocal.Server, account string) []string {
	t.Helper()
	var services []string
	for svc := range srv.Inventory().Accounts[account] {
		services = append(services, svc)
	}
	sort.Strings(services)
	return services
}

// checkChannelStreamsCategory checks that the channel may stream what the
// category writes into its bucket: a category writing private renditions
// (access control PRIVATE, VOD Station's default) needs a channel that
// allows private files, or no video of the pipeline plays.
func checkChannelStreamsCategory(t *testing.T, srv *ncplocal.Server, channelID, categoryName string) {
	t.Helper()
	ctx := context.Background()
	vod := vodclient.New(acctest.NewClient(t, srv, ncplocal.DefaultCredential))
	ch, err := vod.GetChannel(ctx, channelID)
	if err != nil {
		t.Fatal(err)
	}
	cats, err := vod.AllCategories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cats {
		if c.Name != categoryName {
			continue
		}
		if c.Output.BucketName != ch.StorageBucketName {
			t.Errorf("category %s writes into %s; the channel streams %s", c.Name, c.Output.BucketName, ch.StorageBucketName)
		}
		if c.Output.AccessControl != vodwire.AccessPublicRead && !ch.AccessPrivateFiles {
			t.Errorf("category %s writes %s renditions but channel %s does not allow private files: nothing would play", c.Name, c.Output.AccessControl, ch.ID)
		}
		return
	}
	t.Errorf("no category %q among %+v", categoryName, cats)
}

// checkChannelEdge checks, through the VOD Station and Global Edge APIs,
// that channel channelID is READY with an edge of the account's only
// Global Edge profile, RUNNING, whose domain is cdnDomain.
func checkChannelEdge(t *testing.T, srv *ncplocal.Server, channelID, cdnDomain string) {
	t.Helper()
	ctx := context.Background()
	c := acctest.NewClient(t, srv, ncplocal.DefaultCredential)
	ch, err := vodclient.New(c).GetChannel(ctx, channelID)
	if err != nil {
		t.Fatal(err)
	}
	if ch.ChannelStatus != vodwire.ChannelReady || ch.CdnEdgeID == nil || ch.CdnDomain != cdnDomain {
		t.Errorf("channel %+v: want READY with an edge and cdnDomain %q", ch, cdnDomain)
		return
	}
	ge := geclient.New(c)
	profiles, err := ge.ListProfiles(ctx)
	if err != nil || len(profiles) != 1 {
		t.Fatalf("Global Edge profiles %+v, %v; want the example's one", profiles, err)
	}
	edges, err := ge.ListEdges(ctx, profiles[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(edges) != 1 || edges[0].ID != *ch.CdnEdgeID || edges[0].StatusType != gewire.StatusRunning || edges[0].DomainName != cdnDomain {
		t.Errorf("edges of profile %d: %+v; want the channel's edge %d RUNNING at %s", profiles[0].ID, edges, *ch.CdnEdgeID, cdnDomain)
	}
}
