# A bucket event rule, also one made in NCP's console, is imported by
# "<bucket_name>/<rule name>".
import {
  to = ncp_object_storage_bucket_event.upload
  id = "example-upload-bucket/on-upload"
}
