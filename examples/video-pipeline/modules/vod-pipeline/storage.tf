# Storage: uploaded videos land in the upload bucket; VOD Station writes the
# renditions into the output bucket, which the channel streams.

resource "ncp_object_storage_bucket" "upload" {
  bucket_name   = "${var.name_prefix}-upload-${var.bucket_suffix}"
  force_destroy = true
}

resource "ncp_object_storage_bucket" "output" {
  bucket_name   = "${var.name_prefix}-output-${var.bucket_suffix}"
  force_destroy = true
}

# The bucket event rule the trigger listens to: a new object in the upload
# bucket whose key ends with video_suffix. NCP documents the console as the
# way to make these rules; the resource writes them through the S3
# bucket-notification API (see its documentation). No NCP API documents
# event rules [?] (ncp-api.md §4.4): the event names are S3's, and the target
# names the service the rule notifies.
resource "ncp_object_storage_bucket_event" "upload" {
  bucket_name = ncp_object_storage_bucket.upload.bucket_name
  name        = "${var.name_prefix}-on-upload"
  events      = ["s3:ObjectCreated:*"]
  suffix      = var.video_suffix
  target      = "cloud_functions"
}
