# The root configuration's inputs; the module validates them (see
# modules/vod-pipeline/variables.tf for the rules).

variable "name_prefix" {
  description = "Prefix of every name the pipeline creates."
  type        = string
  default     = "video"
}

variable "bucket_suffix" {
  description = "Suffix of the bucket names. Bucket names are global on NCP Object Storage: choose one of your own there."
  type        = string
  default     = "demo"
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC."
  type        = string
  default     = "10.0.0.0/16"
}

variable "subnet_cidr" {
  description = "IPv4 CIDR block of the private subnet; must lie inside vpc_cidr."
  type        = string
  default     = "10.0.1.0/24"
}

variable "zone" {
  description = "Zone of the subnet, for example KR-1 or KR-2 (the tutorial uses KR-2)."
  type        = string
  default     = "KR-2"
}

variable "encoding_option_ids" {
  description = "VOD Station encoding options (renditions) of the category."
  type        = list(number)
  default     = [1, 2, 3]
}

variable "vod_api_url" {
  description = "VOD Station API base URL the actions call: https://vodstation.apigw.ntruss.com on NCP, ncplocal's URL locally (make demo sets it)."
  type        = string
  default     = "https://vodstation.apigw.ntruss.com"
}

variable "access_key" {
  description = "Access key the actions sign their VOD Station calls with (TF_VAR_access_key). Prefer a sub-account key limited to VOD Station."
  type        = string
}

variable "secret_key" {
  description = "Secret key matching access_key (TF_VAR_secret_key); a sensitive package parameter, never shown."
  type        = string
  sensitive   = true
}

variable "notification_url" {
  description = "Callback URL for the encoding job statuses; empty for none."
  type        = string
  default     = ""
}

variable "player_base_url" {
  description = "Base URL of ncplocal, whose player page lists the encoded videos (make demo sets it); empty on NCP."
  type        = string
  default     = ""
}
