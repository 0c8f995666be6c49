# An action is imported by "<package>/<name>" ("-/<name>" for an action in
# no package). Inline source is read into code; with source_file or
# source_dir in the configuration, the first plan only switches the
# attribute (the content_hash stays the same).
terraform import ncp_cloud_functions_action.hello media/hello
