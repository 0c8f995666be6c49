# The tutorial's whole setup in one plan: network, buckets, bucket event,
# VOD Station category and channel with a Global Edge CDN, and the Cloud
# Functions package, actions, sequence and trigger that encode every upload.

module "pipeline" {
  source = "./modules/vod-pipeline"

  name_prefix         = var.name_prefix
  bucket_suffix       = var.bucket_suffix
  vpc_cidr            = var.vpc_cidr
  subnet_cidr         = var.subnet_cidr
  zone                = var.zone
  encoding_option_ids = var.encoding_option_ids
  vod_api_url         = var.vod_api_url
  access_key          = var.access_key
  secret_key          = var.secret_key
  notification_url    = var.notification_url
  player_base_url     = var.player_base_url
}
