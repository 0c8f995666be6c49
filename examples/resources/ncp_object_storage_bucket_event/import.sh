# A bucket event rule is imported by "<bucket_name>/<rule name>", also one
# made in NCP's console (Object Storage > bucket > Bucket Events): write its
# events, prefix and suffix in the configuration, and the first plan shows
# any difference.
terraform import ncp_object_storage_bucket_event.upload example-upload-bucket/on-upload
