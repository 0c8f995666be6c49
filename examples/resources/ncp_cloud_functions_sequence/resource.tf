# Runs register, then transcode, each getting the previous one's result.
# Reordering the list updates the sequence in place.
resource "ncp_cloud_functions_sequence" "on_upload" {
  package = ncp_cloud_functions_package.media.name
  name    = "on-upload"
  actions = [
    ncp_cloud_functions_action.register.id, # "media/register"
    ncp_cloud_functions_action.transcode.id,
  ]
}
