# A bucket. Bucket names are shared by all NCP accounts: 3 to 63 lowercase
# letters, digits, hyphens and periods, starting and ending with a letter or
# a digit.
resource "ncp_object_storage_bucket" "logs" {
  bucket_name = "example-logs-bucket"
}

# A scratch bucket that Terraform may destroy together with its objects.
resource "ncp_object_storage_bucket" "scratch" {
  bucket_name   = "example-scratch-bucket"
  force_destroy = true

  timeouts {
    create = "10m"
    delete = "30m" # emptying a large bucket takes a while
  }
}

output "logs_bucket_created" {
  value = ncp_object_storage_bucket.logs.creation_date # e.g. "2026-11-25T12:00:00Z"
}
