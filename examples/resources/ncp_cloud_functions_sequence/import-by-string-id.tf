# A sequence is imported by "<package>/<name>".
import {
  to = ncp_cloud_functions_sequence.on_upload
  id = "media/on-upload"
}
