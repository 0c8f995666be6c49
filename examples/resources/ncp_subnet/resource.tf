resource "ncp_vpc" "example" {
  name            = "example-vpc"
  ipv4_cidr_block = "10.0.0.0/16"
}

# A private subnet in zone KR-2, using the VPC's default network ACL.
resource "ncp_subnet" "private" {
  vpc_no         = ncp_vpc.example.vpc_no
  subnet         = "10.0.1.0/24"
  zone           = "KR-2"
  network_acl_no = ncp_vpc.example.default_network_acl_no
  subnet_type    = "PRIVATE"
  name           = "example-private"
}

# A public subnet for load balancers.
resource "ncp_subnet" "lb" {
  vpc_no         = ncp_vpc.example.vpc_no
  subnet         = "10.0.2.0/24"
  zone           = "KR-2"
  network_acl_no = ncp_vpc.example.default_network_acl_no
  subnet_type    = "PUBLIC"
  usage_type     = "LOADB"
  name           = "example-lb"
}
