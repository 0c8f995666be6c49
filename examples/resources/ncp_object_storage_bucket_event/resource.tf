resource "ncp_object_storage_bucket" "upload" {
  bucket_name = "example-upload-bucket"
}

# Sends the creation of .mp4 objects under uploads/ to Cloud Functions; an
# object_storage trigger names the rule.
resource "ncp_object_storage_bucket_event" "upload" {
  bucket_name = ncp_object_storage_bucket.upload.bucket_name
  name        = "on-upload"
  events      = ["s3:ObjectCreated:*"]
  prefix      = "uploads/"
  suffix      = ".mp4"
}
