# Inputs of the vod-pipeline module. Every name the module creates starts
# with name_prefix; bucket names also end with bucket_suffix, because bucket
# names are global on NCP Object Storage.

variable "name_prefix" {
  description = "Prefix of every name the module creates (VPC, subnet, buckets, category, profile, channel, package, actions, trigger): 3 to 12 lower-case letters, digits or '-', starting with a letter."
  type        = string
  default     = "video"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,11}$", var.name_prefix))
    error_message = "name_prefix must be 3 to 12 lower-case letters, digits or '-', starting with a letter (it becomes part of bucket and channel names)."
  }
}

variable "bucket_suffix" {
  description = "Suffix of the two bucket names (<name_prefix>-upload-<suffix>, <name_prefix>-output-<suffix>). Bucket names are global on NCP Object Storage: choose one of your own there."
  type        = string
  default     = "demo"

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", var.bucket_suffix))
    error_message = "bucket_suffix must be 1 to 32 lower-case letters, digits or '-', and must start and end with a letter or digit."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC: a /16 to /28 inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr)) && tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 28
    error_message = "vpc_cidr must be an IPv4 CIDR block with a prefix length from /16 to /28, such as 10.0.0.0/16."
  }
}

variable "subnet_cidr" {
  description = "IPv4 CIDR block of the private subnet the actions run in; it must lie inside vpc_cidr."
  type        = string
  default     = "10.0.1.0/24"

  validation {
    condition     = can(cidrnetmask(var.subnet_cidr))
    error_message = "subnet_cidr must be an IPv4 CIDR block such as 10.0.1.0/24."
  }
}

variable "zone" {
  description = "Zone of the private subnet. The tutorial uses KR-2."
  type        = string
  default     = "KR-2"

  validation {
    condition     = can(regex("^[A-Z]{2,4}-[0-9]$", var.zone))
    error_message = "zone must be an NCP zone code such as KR-1 or KR-2."
  }
}

variable "video_suffix" {
  description = "Only uploaded objects whose key ends with this suffix start an encoding (the bucket event's suffix filter). Empty means every object."
  type        = string
  default     = ".mp4"
}

variable "category_name" {
  description = "Name of the VOD Station category; the actions look the category up by this name. Empty means <name_prefix>-category."
  type        = string
  default     = ""
}

variable "encoding_option_ids" {
  description = "VOD Station encoding options (renditions) of the category, by ID: 1 = AVC_SD_1Pass_30fps, 2 = AVC_SD_1Pass_30fps_1, 3 = AVC_HD_1Pass_30fps, ... (the ncp_vod_encoding_options data source lists them)."
  type        = list(number)
  default     = [1, 2, 3]

  validation {
    condition     = length(var.encoding_option_ids) > 0 && alltrue([for id in var.encoding_option_ids : id >= 1 && floor(id) == id])
    error_message = "encoding_option_ids must list at least one encoding option ID, each a whole number of 1 or more."
  }
}

variable "output_path" {
  description = "Folder of the output bucket where VOD Station writes the renditions (the category's output file path); the category's name is added below it."
  type        = string
  default     = "/encoded"

  validation {
    condition     = length(var.output_path) >= 1 && length(var.output_path) <= 256 && !can(regex("[<>:\"\\\\?*%]", var.output_path))
    error_message = "output_path must be 1 to 256 characters without < > : \" \\ ? * %."
  }
}

variable "segment_duration" {
  description = "Length in seconds of the HLS segments the channel serves (5 to 20)."
  type        = number
  default     = 5

  validation {
    condition     = var.segment_duration >= 5 && var.segment_duration <= 20 && floor(var.segment_duration) == var.segment_duration
    error_message = "segment_duration must be a whole number of seconds from 5 to 20."
  }
}

variable "cdn_region_type" {
  description = "Where the channel's Global Edge CDN serves: KOREA, JAPAN or GLOBAL."
  type        = string
  default     = "KOREA"

  validation {
    condition     = contains(["KOREA", "JAPAN", "GLOBAL"], var.cdn_region_type)
    error_message = "cdn_region_type must be KOREA, JAPAN or GLOBAL."
  }
}

variable "vod_api_url" {
  description = "Base URL of the VOD Station API the actions call (the package's API_URL parameter): https://vodstation.apigw.ntruss.com on NCP, ncplocal's URL locally."
  type        = string
  default     = "https://vodstation.apigw.ntruss.com"

  validation {
    condition     = can(regex("^https?://[^/\\s]+$", var.vod_api_url))
    error_message = "vod_api_url must be a scheme and host (and port) without a path, such as https://vodstation.apigw.ntruss.com."
  }
}

variable "region" {
  description = "NCP region code the actions send to VOD Station (the package's REGION parameter)."
  type        = string
  default     = "KR"

  validation {
    condition     = can(regex("^[A-Z]{2,4}$", var.region))
    error_message = "region must be an NCP region code such as KR."
  }
}

variable "access_key" {
  description = "Access key the actions sign their VOD Station calls with (the package's NCLOUD_ACCESS_KEY parameter). Use a sub-account key limited to VOD Station."
  type        = string

  validation {
    condition     = length(var.access_key) > 0
    error_message = "access_key must not be empty: the actions sign their VOD Station calls with it."
  }
}

variable "secret_key" {
  description = "Secret key matching access_key. It is passed to the package as a sensitive parameter (NCLOUD_SECRET_KEY): never shown in plans or logs."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.secret_key) > 0
    error_message = "secret_key must not be empty: the actions sign their VOD Station calls with it."
  }
}

variable "notification_url" {
  description = "URL VOD Station calls back for every encoding job status (WAITING, RUNNING, COMPLETE, FAILURE). Empty means no callback."
  type        = string
  default     = ""

  validation {
    condition     = var.notification_url == "" || can(regex("^https?://", var.notification_url))
    error_message = "notification_url must be empty or an http(s) URL."
  }
}

variable "action_runtime" {
  description = "Cloud Functions runtime of the two actions."
  type        = string
  default     = "python:3.13"

  validation {
    condition     = startswith(var.action_runtime, "python:")
    error_message = "action_runtime must be a Python runtime such as python:3.13: the actions are written in Python."
  }
}

variable "action_timeout" {
  description = "Time limit of each action in milliseconds (500 to 300000)."
  type        = number
  default     = 30000

  validation {
    condition     = var.action_timeout >= 500 && var.action_timeout <= 300000
    error_message = "action_timeout must be from 500 to 300000 milliseconds."
  }
}

variable "action_memory" {
  description = "Memory of each action in MB: 128, 256, 512 or 1024."
  type        = number
  default     = 128

  validation {
    condition     = contains([128, 256, 512, 1024], var.action_memory)
    error_message = "action_memory must be 128, 256, 512 or 1024."
  }
}

variable "player_base_url" {
  description = "Base URL of a player page that lists the encoded videos; ncplocal serves one at <ncplocal URL>/_ncplocal/player/. Empty means no player_url output (NCP itself has no such page)."
  type        = string
  default     = ""
}
