output "vpc_no" {
  description = "ID of the VPC."
  value       = ncp_vpc.this.vpc_no
}

output "subnet_no" {
  description = "ID of the private subnet."
  value       = ncp_subnet.private.subnet_no
}

output "upload_bucket" {
  description = "Name of the bucket that receives uploaded videos."
  value       = ncp_object_storage_bucket.upload.bucket_name
}

output "output_bucket" {
  description = "Name of the bucket that receives transcoded videos."
  value       = ncp_object_storage_bucket.output.bucket_name
}
