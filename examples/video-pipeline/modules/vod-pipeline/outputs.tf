output "vpc_no" {
  description = "ID of the VPC."
  value       = ncp_vpc.this.vpc_no
}

output "subnet_no" {
  description = "ID of the private subnet the actions run in."
  value       = ncp_subnet.private.subnet_no
}

output "upload_bucket" {
  description = "Name of the bucket that receives uploaded videos; an upload whose key ends with video_suffix starts an encoding."
  value       = ncp_object_storage_bucket.upload.bucket_name
}

output "output_bucket" {
  description = "Name of the bucket that receives the encoded renditions."
  value       = ncp_object_storage_bucket.output.bucket_name
}

output "category_id" {
  description = "ID of the VOD Station category."
  value       = ncp_vod_category.this.id
}

output "category_name" {
  description = "Name of the VOD Station category (the actions' CATEGORY_NAME)."
  value       = ncp_vod_category.this.name
}

output "output_path" {
  description = "Folder of the output bucket the renditions go to (under a folder named after the category)."
  value       = var.output_path
}

output "package_name" {
  description = "Name of the Cloud Functions package."
  value       = ncp_cloud_functions_package.this.name
}

output "sequence_name" {
  description = "Name of the sequence the trigger runs (package/sequence)."
  value       = "${ncp_cloud_functions_package.this.name}/${ncp_cloud_functions_sequence.encode.name}"
}

output "trigger_name" {
  description = "Name of the Object Storage trigger; its activations show every run of the pipeline."
  value       = ncp_cloud_functions_trigger.upload.name
}

output "channel_id" {
  description = "ID of the VOD Station channel (vs-YYYYMMDDhhmmss-XXXXXXX)."
  value       = ncp_vod_channel.this.id
}

output "cdn_domain" {
  description = "Domain of the channel's Global Edge CDN."
  value       = ncp_vod_channel.this.cdn_domain
}

output "encrypted_bucket_name" {
  description = "The output bucket's name as it appears in playback URLs."
  value       = ncp_vod_channel.this.encrypted_bucket_name
}

output "play_url_template" {
  description = "Playback URL template of the channel, as VOD Station reports it: https://<cdn domain>/hls/<encrypted bucket name>/<path>/<file>/index.m3u8."
  value       = ncp_vod_channel.this.play_url
}

output "player_url" {
  description = "The player page listing the encoded videos (ncplocal only); null when player_base_url is empty."
  value       = var.player_base_url != "" ? "${trimsuffix(var.player_base_url, "/")}/_ncplocal/player/" : null
}
