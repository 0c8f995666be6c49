# Stage 1: the network and the storage of the video pipeline.
#
# Uploaded videos land in the upload bucket; transcoded renditions go to the
# output bucket. The private subnet will host the pipeline's functions and
# servers in later stages.

resource "ncp_vpc" "this" {
  name            = "${var.name_prefix}-vpc"
  ipv4_cidr_block = var.vpc_cidr
}

resource "ncp_subnet" "private" {
  vpc_no         = ncp_vpc.this.vpc_no
  subnet         = var.subnet_cidr
  zone           = var.zone
  network_acl_no = ncp_vpc.this.default_network_acl_no
  subnet_type    = "PRIVATE"
  usage_type     = "GEN"
  name           = "${var.name_prefix}-private"
}

resource "ncp_object_storage_bucket" "upload" {
  bucket_name   = "${var.name_prefix}-upload-${var.bucket_suffix}"
  force_destroy = true
}

resource "ncp_object_storage_bucket" "output" {
  bucket_name   = "${var.name_prefix}-output-${var.bucket_suffix}"
  force_destroy = true
}
