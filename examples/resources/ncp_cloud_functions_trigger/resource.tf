# Runs the sequence for every .mp4 uploaded under uploads/.
resource "ncp_object_storage_bucket_event" "upload" {
  bucket_name = ncp_object_storage_bucket.upload.bucket_name
  name        = "on-upload"
  events      = ["s3:ObjectCreated:*"]
  prefix      = "uploads/"
  suffix      = ".mp4"
}

resource "ncp_cloud_functions_trigger" "upload" {
  name = "video-uploaded"
  type = "object_storage"

  object_storage {
    bucket_name     = ncp_object_storage_bucket_event.upload.bucket_name
    event_rule_name = ncp_object_storage_bucket_event.upload.name
  }

  actions = [ncp_cloud_functions_sequence.on_upload.id]
}

# Runs an action at 09:00 KST (00:00 UTC) on weekdays: cron expressions are
# evaluated in Korea Standard Time.
resource "ncp_cloud_functions_trigger" "morning" {
  name        = "weekday-morning"
  type        = "cron"
  cron        = "0 9 * * 1-5"
  description = "Daily report"
  parameters = {
    report = "daily"
  }

  actions = [ncp_cloud_functions_action.hello.id]
}
