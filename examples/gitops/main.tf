# The video pipeline's network and storage, run from CI: the state lives in
# NCP Object Storage (OpenTofu's s3 backend) with an S3-native lock file, a
# change request gets a saved plan, and the merge applies exactly that plan.
#
# The backend's settings come from backend.hcl (see backend.hcl.example),
# its keys from the CI secrets (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY),
# the provider's from NCLOUD_ACCESS_KEY / NCLOUD_SECRET_KEY.

terraform {
  required_version = ">= 1.10" # use_lockfile

  backend "s3" {}

  required_providers {
    ncp = {
      source = "ncplabs/ncp"
    }
  }
}

provider "ncp" {}

variable "name_prefix" {
  description = "Prefix of every name this configuration creates."
  type        = string
  default     = "gitops"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,11}$", var.name_prefix))
    error_message = "name_prefix must be 3 to 12 lower-case letters, digits or '-', starting with a letter."
  }
}

variable "bucket_suffix" {
  description = "Suffix of the bucket name; bucket names are global on NCP Object Storage."
  type        = string
  default     = "ci"
}

variable "subnets" {
  description = "Private subnets of the VPC: name suffix => CIDR block inside 10.10.0.0/16."
  type        = map(string)
  default     = { app = "10.10.1.0/24" }
}

resource "ncp_vpc" "this" {
  name            = "${var.name_prefix}-vpc"
  ipv4_cidr_block = "10.10.0.0/16"
}

resource "ncp_subnet" "private" {
  for_each = var.subnets

  vpc_no         = ncp_vpc.this.vpc_no
  subnet         = each.value
  zone           = "KR-2"
  network_acl_no = ncp_vpc.this.default_network_acl_no
  subnet_type    = "PRIVATE"
  usage_type     = "GEN"
  name           = "${var.name_prefix}-${each.key}"
}

resource "ncp_object_storage_bucket" "upload" {
  bucket_name   = "${var.name_prefix}-upload-${var.bucket_suffix}"
  force_destroy = true
}

output "vpc_no" {
  description = "ID of the VPC."
  value       = ncp_vpc.this.vpc_no
}

output "subnet_nos" {
  description = "IDs of the private subnets, by name suffix."
  value       = { for k, s in ncp_subnet.private : k => s.subnet_no }
}
