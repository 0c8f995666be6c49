resource "ncp_vpc" "main" {
  ipv4_cidr_block = "10.0.0.0/16"
}

resource "ncp_subnet" "functions" {
  vpc_no         = ncp_vpc.main.vpc_no
  zone           = "KR-1"
  subnet         = "10.0.1.0/24"
  network_acl_no = ncp_vpc.main.default_network_acl_no
  subnet_type    = "PRIVATE"
}

resource "ncp_cloud_functions_package" "media" {
  name = "media"
}

# Inline code.
resource "ncp_cloud_functions_action" "hello" {
  package = ncp_cloud_functions_package.media.name
  name    = "hello"
  runtime = "python:3.13"
  code    = <<-PY
    def main(args):
        return {"greeting": "Hello, " + args.get("name", "world")}
  PY

  vpc {
    vpc_no    = ncp_vpc.main.vpc_no
    subnet_no = ncp_subnet.functions.subnet_no
  }
}

# Code from one file: editing the file plans an update (content_hash).
resource "ncp_cloud_functions_action" "register" {
  package     = ncp_cloud_functions_package.media.name
  name        = "register"
  runtime     = "python:3.13"
  source_file = "${path.module}/functions/register.py"
  memory      = 512
  timeout     = 120000 # ms

  parameters = {
    category_name = "uploads"
  }

  vpc {
    vpc_no    = ncp_vpc.main.vpc_no
    subnet_no = ncp_subnet.functions.subnet_no
  }
}

# Code made of several files: the provider zips the folder (it needs
# __main__.py at its top for Python).
resource "ncp_cloud_functions_action" "transcode" {
  package    = ncp_cloud_functions_package.media.name
  name       = "transcode"
  runtime    = "python:3.13"
  source_dir = "${path.module}/functions/transcode"

  sensitive_parameters = {
    webhook_token = "example-token"
  }

  vpc {
    vpc_no    = ncp_vpc.main.vpc_no
    subnet_no = ncp_subnet.functions.subnet_no
  }
}
