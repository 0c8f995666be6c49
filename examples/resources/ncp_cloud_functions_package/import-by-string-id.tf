# A package is imported by its name.
import {
  to = ncp_cloud_functions_package.media
  id = "media"
}
