# The last 5 runs of the upload trigger, newest first.
data "ncp_cloud_functions_activations" "upload" {
  trigger = "video-uploaded"
  limit   = 5
}

# The runs of one action ("<package>/<action>").
data "ncp_cloud_functions_activations" "register" {
  action = "media/register"
}

output "last_upload_succeeded" {
  value = try(data.ncp_cloud_functions_activations.upload.activations[0].success, null)
}
