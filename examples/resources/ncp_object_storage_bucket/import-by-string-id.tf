# An Object Storage bucket is imported by its name.
import {
  to = ncp_object_storage_bucket.logs
  id = "example-logs-bucket"
}
