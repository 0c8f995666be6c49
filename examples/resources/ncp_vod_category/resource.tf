resource "ncp_object_storage_bucket" "output" {
  bucket_name = "my-vod-output"
}

# Files added to the category are encoded with the options of template 1
# ("Practical content") into /vod/movies/ of the output bucket.
resource "ncp_vod_category" "movies" {
  name                 = "movies"
  encoding_template_id = 1
  thumbnail            = true
  notification_url     = "https://example.com/vod-callback"

  output = {
    bucket_name    = ncp_object_storage_bucket.output.bucket_name
    file_path      = "/vod"
    access_control = "PUBLIC_READ"
  }
}
