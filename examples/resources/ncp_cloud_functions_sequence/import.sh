# A sequence is imported by "<package>/<name>".
terraform import ncp_cloud_functions_sequence.on_upload media/on-upload
