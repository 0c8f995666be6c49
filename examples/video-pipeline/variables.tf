variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
  default     = "video"
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC."
  type        = string
  default     = "10.0.0.0/16"
}

variable "subnet_cidr" {
  description = "IPv4 CIDR block of the private subnet; must lie inside vpc_cidr."
  type        = string
  default     = "10.0.1.0/24"
}

variable "zone" {
  description = "Zone of the subnet, for example KR-1 or KR-2."
  type        = string
  default     = "KR-2"
}

variable "bucket_suffix" {
  description = "Suffix of the bucket names. Bucket names are global on NCP Object Storage: choose one of your own there."
  type        = string
  default     = "demo"
}
