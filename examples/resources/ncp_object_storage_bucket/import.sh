# An Object Storage bucket is imported by its name. force_destroy starts as
# false; set it in the configuration to change it.
terraform import ncp_object_storage_bucket.logs example-logs-bucket
