# A VPC. NCP creates a default network ACL, access control group and public
# and private route tables with it; their numbers are exported.
resource "ncp_vpc" "example" {
  name            = "example-vpc"
  ipv4_cidr_block = "10.0.0.0/16"
}

# Without a name, the provider generates one ("tf-vpc-<8 random characters>").
resource "ncp_vpc" "scratch" {
  ipv4_cidr_block = "192.168.0.0/24"

  timeouts {
    create = "30m"
    delete = "30m"
  }
}

output "default_network_acl_no" {
  value = ncp_vpc.example.default_network_acl_no
}
