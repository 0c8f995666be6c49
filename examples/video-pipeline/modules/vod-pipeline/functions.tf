# Cloud Functions: an upload fires the trigger, which runs the sequence
# find-category -> add-files. Both actions come from functions/vod_pipeline.py
# (one file, two entry points) and sign their VOD Station calls with the
# package's default parameters.

locals {
  package_name  = "${var.name_prefix}-pipeline"
  actions_code  = "${path.module}/functions/vod_pipeline.py"
  find_category = "${var.name_prefix}-find-category"
  add_files     = "${var.name_prefix}-add-files"
  sequence_name = "${var.name_prefix}-encode-upload"
}

resource "ncp_cloud_functions_package" "this" {
  name        = local.package_name
  description = "Encodes every video uploaded to ${ncp_object_storage_bucket.upload.bucket_name} with VOD Station."

  # The tutorial's default parameters.
  parameters = {
    API_URL           = var.vod_api_url
    REGION            = var.region
    NCLOUD_ACCESS_KEY = var.access_key
  }
  # Merged into the package's parameters like the others, but never shown in
  # plans, state diffs or logs.
  sensitive_parameters = {
    NCLOUD_SECRET_KEY = var.secret_key
  }
}

resource "ncp_cloud_functions_action" "find_category" {
  package     = ncp_cloud_functions_package.this.name
  name        = local.find_category
  description = "Looks the VOD Station category up by CATEGORY_NAME and passes the uploaded object on."
  runtime     = var.action_runtime
  source_file = local.actions_code
  main        = "find_category"
  memory      = var.action_memory
  timeout     = var.action_timeout

  parameters = {
    CATEGORY_NAME = ncp_vod_category.this.name
    # Used when the event does not name the bucket.
    UPLOAD_BUCKET_NAME = ncp_object_storage_bucket.upload.bucket_name
  }

  vpc {
    vpc_no    = ncp_vpc.this.vpc_no
    subnet_no = ncp_subnet.private.subnet_no
  }
}

resource "ncp_cloud_functions_action" "add_files" {
  package     = ncp_cloud_functions_package.this.name
  name        = local.add_files
  description = "Asks VOD Station to encode the uploaded object with the category's encoding options."
  runtime     = var.action_runtime
  source_file = local.actions_code
  main        = "add_files"
  memory      = var.action_memory
  timeout     = var.action_timeout

  parameters = var.notification_url != "" ? { NOTIFICATION_URL = var.notification_url } : {}

  vpc {
    vpc_no    = ncp_vpc.this.vpc_no
    subnet_no = ncp_subnet.private.subnet_no
  }
}

resource "ncp_cloud_functions_sequence" "encode" {
  package     = ncp_cloud_functions_package.this.name
  name        = local.sequence_name
  description = "find-category, then add-files."
  actions = [
    "${ncp_cloud_functions_package.this.name}/${ncp_cloud_functions_action.find_category.name}",
    "${ncp_cloud_functions_package.this.name}/${ncp_cloud_functions_action.add_files.name}",
  ]
}

resource "ncp_cloud_functions_trigger" "upload" {
  name        = "${var.name_prefix}-upload"
  type        = "object_storage"
  description = "Runs ${local.sequence_name} for every new video in ${ncp_object_storage_bucket.upload.bucket_name}."

  object_storage {
    bucket_name     = ncp_object_storage_bucket.upload.bucket_name
    event_rule_name = ncp_object_storage_bucket_event.upload.name
  }

  actions = ["${ncp_cloud_functions_package.this.name}/${ncp_cloud_functions_sequence.encode.name}"]
}
