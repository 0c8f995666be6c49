# A trigger is imported by its name, with its links (actions).
terraform import ncp_cloud_functions_trigger.upload video-uploaded
