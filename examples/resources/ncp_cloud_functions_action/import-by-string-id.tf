# An action is imported by "<package>/<name>".
import {
  to = ncp_cloud_functions_action.hello
  id = "media/hello"
}
