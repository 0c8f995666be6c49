# VOD Station and Global Edge: the category says how to encode (which
# renditions, into which folder of the output bucket); the channel streams
# the output bucket over HLS through a Global Edge CDN made for it.

locals {
  category_name = var.category_name != "" ? var.category_name : "${var.name_prefix}-category"
}

resource "ncp_vod_category" "this" {
  name                = local.category_name
  encoding_option_ids = var.encoding_option_ids
  thumbnail           = false
  notification_url    = var.notification_url != "" ? var.notification_url : null

  # Renditions stay private in the bucket; the channel streams them
  # (access_private_files below).
  output = {
    bucket_name    = ncp_object_storage_bucket.output.bucket_name
    file_path      = var.output_path
    access_control = "PRIVATE"
  }
}

resource "ncp_global_edge_profile" "this" {
  name = "${var.name_prefix}-profile"
}

resource "ncp_vod_channel" "this" {
  name                = "${var.name_prefix}-channel"
  storage_bucket_name = ncp_object_storage_bucket.output.bucket_name
  protocols           = ["HLS"]
  segment_duration    = var.segment_duration
  # The category writes its renditions as private objects (access_control
  # PRIVATE, VOD Station's default), and a channel streams private objects
  # only when it allows private files: without this, every playback URL
  # of the pipeline's videos is refused.
  access_private_files = true

  cdn = {
    profile_id  = ncp_global_edge_profile.this.id
    region_type = var.cdn_region_type
  }
}
