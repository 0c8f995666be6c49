output "vpc_no" {
  description = "ID of the VPC."
  value       = module.pipeline.vpc_no
}

output "subnet_no" {
  description = "ID of the private subnet."
  value       = module.pipeline.subnet_no
}

output "upload_bucket" {
  description = "Name of the bucket that receives uploaded videos."
  value       = module.pipeline.upload_bucket
}

output "output_bucket" {
  description = "Name of the bucket that receives the encoded renditions."
  value       = module.pipeline.output_bucket
}

output "category_name" {
  description = "Name of the VOD Station category."
  value       = module.pipeline.category_name
}

output "trigger_name" {
  description = "Name of the Object Storage trigger."
  value       = module.pipeline.trigger_name
}

output "sequence_name" {
  description = "The sequence the trigger runs (package/sequence)."
  value       = module.pipeline.sequence_name
}

output "channel_id" {
  description = "ID of the VOD Station channel."
  value       = module.pipeline.channel_id
}

output "cdn_domain" {
  description = "Domain of the channel's Global Edge CDN."
  value       = module.pipeline.cdn_domain
}

output "output_path" {
  description = "Folder of the output bucket the renditions go to."
  value       = module.pipeline.output_path
}

output "encrypted_bucket_name" {
  description = "The output bucket's name as it appears in playback URLs."
  value       = module.pipeline.encrypted_bucket_name
}

output "play_url_template" {
  description = "Playback URL template of the channel."
  value       = module.pipeline.play_url_template
}

output "player_url" {
  description = "The player page (ncplocal only)."
  value       = module.pipeline.player_url
}
