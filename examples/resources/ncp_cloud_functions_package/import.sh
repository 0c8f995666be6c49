# A package is imported by its name. Every parameter is read into
# sensitive_parameters (NCP does not say which are secrets); the next plan
# moves the others to parameters, an update that changes nothing in NCP.
terraform import ncp_cloud_functions_package.media media
