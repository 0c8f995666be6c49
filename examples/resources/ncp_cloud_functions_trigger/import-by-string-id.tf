# A trigger is imported by its name, with its links (actions).
import {
  to = ncp_cloud_functions_trigger.upload
  id = "video-uploaded"
}
