# Network: the VPC and the private KR-2 subnet the actions run in (Cloud
# Functions on platform=vpc needs a VPC and a subnet for every basic action).

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
