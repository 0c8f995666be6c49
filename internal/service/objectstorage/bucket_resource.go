// Package objectstorage holds the resources of NCP Object Storage, the
// S3-compatible service: ncp_object_storage_bucket.
package objectstorage

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/fwmodel"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

var (
	_ resource.Resource                = (*bucketResource)(nil)
	_ resource.ResourceWithConfigure   = (*bucketResource)(nil)
	_ resource.ResourceWithImportState = (*bucketResource)(nil)
)

// resourceTypeName is the suffix of the resource type after "ncp".
const resourceTypeName = "_object_storage_bucket"

// resourceDisplayName names the resource in diagnostics.
const resourceDisplayName = "Object Storage bucket"

// NewBucketResource returns the ncp_object_storage_bucket resource.
func NewBucketResource() resource.Resource {
	return &bucketResource{}
}

// bucketResource is ncp_object_storage_bucket. meta and conn are nil until
// the provider is configured.
type bucketResource struct {
	meta *conns.Meta
	conn *osclient.Client
}

// Metadata returns the type name ncp_object_storage_bucket.
func (r *bucketResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + resourceTypeName
}

// Configure builds the Object Storage client of the provider block.
func (r *bucketResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	meta := framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
	if meta == nil {
		return
	}
	conn, err := osclient.New(meta.Client)
	if err != nil {
		resp.Diagnostics.AddError("Cannot build the Object Storage client", err.Error())
		return
	}
	r.meta, r.conn = meta, conn
}

// Create creates the bucket, waits until it answers HeadBucket and reads
// its creation date from the bucket listing.
func (r *bucketResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan bucketResourceModel
	ctx, cancel, ok := framework.BeginCreate(ctx, r.meta, req.Plan, &plan, &plan.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	name := plan.BucketName.ValueString()
	if err := createBucket(ctx, r.conn, name); err != nil {
		addCreateError(&resp.Diagnostics, name, err)
		return
	}

	// The bucket exists from here on: record it at once, so that a failure
	// below leaves it in the state (tainted, to be replaced) rather than
	// orphaned in NCP.
	plan.ID = types.StringValue(name)
	plan.CreationDate = types.StringNull()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}

	created := newCreatedBucket(r.conn, name, bucketMissingGrace)
	if err := waitBucketAvailable(ctx, r.meta.Wait, created); err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error waiting for %s %q to become available", resourceDisplayName, name), err)
		return
	}
	date, err := waitBucketCreationDate(ctx, r.meta.Wait, created)
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading the creation date of %s %q", resourceDisplayName, name), err)
		return
	}
	plan.CreationDate = types.StringValue(formatCreationDate(date))
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Read refreshes the bucket with a single HeadBucket call. creation_date
// never changes, so it is kept from the state; it is read from the bucket
// listing only when the state has none (after an import).
func (r *bucketResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state bucketResourceModel
	ctx, cancel, ok := framework.BeginRead(ctx, r.meta, req.State, &state, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	name := state.ID.ValueString()

	err := FindBucket(ctx, r.conn, name)
	if client.IsNotFound(err) {
		framework.AddNotFoundWarning(&resp.Diagnostics, resourceDisplayName, name)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading %s %q", resourceDisplayName, name), err)
		return
	}

	state.BucketName = types.StringValue(name)
	if state.ForceDestroy.IsNull() || state.ForceDestroy.IsUnknown() {
		state.ForceDestroy = types.BoolValue(false)
	}
	if state.CreationDate.IsNull() || state.CreationDate.IsUnknown() {
		created, err := findBucketCreationDate(ctx, r.conn, name)
		switch {
		case client.IsNotFound(err):
			// Not listed yet (eventual consistency): leave it empty, the
			// next refresh fills it in.
			state.CreationDate = types.StringNull()
		case err != nil:
			framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading the creation date of %s %q", resourceDisplayName, name), err)
			return
		default:
			state.CreationDate = types.StringValue(formatCreationDate(created))
		}
	}
	resp.Diagnostics.Append(fwmodel.SetState(ctx, &resp.State, &state)...)
}

// Update changes force_destroy (and the timeouts), which live in the state
// only: bucket_name forces a replacement, so no API is called.
func (r *bucketResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state bucketResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = state.ID
	plan.CreationDate = state.CreationDate
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete deletes the bucket, first emptying it when force_destroy is set,
// and waits until it answers HeadBucket with 404. A bucket already gone
// counts as deleted.
func (r *bucketResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state bucketResourceModel
	ctx, cancel, ok := framework.BeginDelete(ctx, r.meta, req.State, &state, &state.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	name := state.ID.ValueString()
	if err := deleteBucket(ctx, r.conn, name, state.ForceDestroy.ValueBool()); err != nil {
		if reconcile.HasCode(err, wire.CodeBucketNotEmpty) {
			resp.Diagnostics.AddError(fmt.Sprintf("%s %q is not empty", resourceDisplayName, name),
				fmt.Sprintf("NCP refused to delete bucket %q because it still holds objects. To delete the bucket "+
					"together with everything in it, set force_destroy = true, apply that change, then destroy again; "+
					"or empty the bucket yourself first.\n\n%s", name, framework.NCPErrorDetail(err)))
			return
		}
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error deleting %s %q", resourceDisplayName, name), err)
		return
	}
	if err := waitBucketDeleted(ctx, r.meta.Wait, r.conn, name); err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error waiting for %s %q to be deleted", resourceDisplayName, name), err)
	}
}

// bucketImport is the import format of a bucket: its name.
var bucketImport = reconcile.ImportFormat{What: "an Object Storage bucket", Is: "its name, such as my-bucket"}

// ImportState imports a bucket by its name. force_destroy starts false;
// Read fills in creation_date.
func (r *bucketResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	reconcile.ImportByID(ctx, bucketImport, req, resp, attrBucketName)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrForceDestroy), false)...)
	}
}

// bucketKind names buckets in messages and import hints.
var bucketKind = reconcile.Kind{Name: resourceDisplayName, ResourceType: "ncp" + resourceTypeName, Key: attrBucketName, QuoteID: true}

// createBucket creates bucket name, reconciling uncertain outcomes
// (reconcile.CreateReconciled) by the name, which is global.
//
// Before the first CreateBucket, HeadBucket checks that the bucket does not
// exist yet: 200 means this account already owns it (made by hand, or
// managed by another configuration), reported with a hint to import it;
// 403 means another account owns it (or it is not visible yet), and
// CreateBucket is left to answer BucketAlreadyExists; 404 means it is free.
//
// So when CreateBucket later fails in a way that leaves unknown whether NCP
// created the bucket (client.IsAmbiguous), a bucket HeadBucket finds can
// only be the one this call made, and is adopted; 404 or 403 means it was
// not created (or does not show yet) and CreateBucket is sent again, up to
// conn.Attempts() times in all. A later attempt answered with
// BucketAlreadyOwnedByYou means an earlier, uncertain one did create it
// (HeadBucket may lag behind a creation): it is adopted. On the first
// attempt BucketAlreadyOwnedByYou and BucketAlreadyExists are errors.
//
// What remains is the race of someone else creating the same name between
// the check and CreateBucket, which the check cannot close.
func createBucket(ctx context.Context, conn *osclient.Client, name string) error {
	_, err := reconcile.CreateReconciled(ctx, reconcile.Create[string]{
		Kind:     bucketKind,
		Attempts: conn.Attempts(),
		Journal:  conn.Journal(),
		Key:      name,
		Send:     func(ctx context.Context) (string, error) { return name, conn.CreateBucket(ctx, name) },
		Lookup: func(ctx context.Context) ([]string, error) {
			switch err := FindBucket(ctx, conn, name); {
			case err == nil:
				return []string{name}, nil
			case client.IsNotFound(err), isForbidden(err):
				return nil, nil
			default:
				return nil, err
			}
		},
		ID:       func(id string) string { return id },
		Describe: func(string) string { return "(owned by this account)" },
		Owned: func(err error) (string, bool) {
			return name, reconcile.HasCode(err, wire.CodeBucketAlreadyOwnedByYou)
		},
	})
	return err
}

// deleteBucket deletes bucket name (reconcile.DeleteReconciled); with force
// each attempt empties the bucket first, so that objects written while it
// was emptied, which make DeleteBucket answer BucketNotEmpty, are deleted by
// the next one. A bucket that does not exist counts as deleted.
func deleteBucket(ctx context.Context, conn *osclient.Client, name string, force bool) error {
	return reconcile.DeleteReconciled(ctx, reconcile.Delete{
		Attempts: conn.Attempts(),
		Send: func(ctx context.Context) error {
			if force {
				objects, uploads, err := conn.EmptyBucket(ctx, name)
				if err != nil {
					return err
				}
				tflog.Debug(ctx, "emptied bucket before deleting it", map[string]any{
					"bucket": name, "objects_deleted": objects, "uploads_aborted": uploads,
				})
			}
			return conn.DeleteBucket(ctx, name)
		},
		Status: func(ctx context.Context) (string, error) {
			_, st, err := statusBucket(conn, name)(ctx)
			return st, err
		},
		Idle: []string{bucketStatusAvailable},
		Blocked: func(_ context.Context, err error) (bool, error) {
			return force && reconcile.HasCode(err, wire.CodeBucketNotEmpty), nil
		},
	})
}

// addCreateError reports a failed creation; a bucket this account already
// owns, or a name already taken, gets a hint to import the bucket or choose
// another name.
func addCreateError(diags *diag.Diagnostics, name string, err error) {
	detail := framework.NCPErrorDetail(err)
	importHint := fmt.Sprintf("import it instead of creating it:\n\n"+
		"  terraform import ncp%s.<name> %s\n\nor add an import block with id = %q.", resourceTypeName, name, name)
	var exists *reconcile.ExistsError
	switch {
	case errors.As(err, &exists):
		reconcile.AddCreateError(diags, "", err)
	case reconcile.HasCode(err, wire.CodeBucketAlreadyOwnedByYou):
		diags.AddError(fmt.Sprintf("%s %q already exists", resourceDisplayName, name),
			fmt.Sprintf("Your account already owns bucket %q. To manage it with Terraform, %s\n\n%s", name, importHint, detail))
	case reconcile.HasCode(err, wire.CodeBucketAlreadyExists):
		diags.AddError(fmt.Sprintf("%s name %q is already taken", resourceDisplayName, name),
			fmt.Sprintf("Bucket names are shared by all NCP accounts, and %q is already in use. If another account "+
				"owns it, choose another bucket_name. If your account owns it, %s\n\n%s", name, importHint, detail))
	default:
		framework.AddNCPError(diags, fmt.Sprintf("Error creating %s %q", resourceDisplayName, name), err)
	}
}
