"""The video pipeline's two Cloud Functions actions, run in this order by the
sequence the upload trigger starts:

  find_category  looks the VOD Station category up by CATEGORY_NAME and passes
                 the uploaded object (and its bucket) on;
  add_files      asks VOD Station to encode that object with the category's
                 encoding options (PUT /api/v2/category/{id}/add-files).

Both are entry points of this one file (the actions' exec.main). They keep the
approach of NAVER Cloud's tutorial "동영상 서비스 자동화 하기" (signed calls to
the VOD Station API with the package's parameters) and fix its flaws:

  * the category is the one named CATEGORY_NAME, looked for on every page of
    the list, not the last one listed;
  * the upload bucket comes from the event (bucket_name) or the
    UPLOAD_BUCKET_NAME parameter, never a name written in the code;
  * a missing parameter, an HTTP error or an unexpected answer raises
    PipelineError with a message saying what and where, so the activation
    records it as its error;
  * only the standard library is used: the API Gateway signature v2 is an
    HMAC-SHA256 computed with hmac/hashlib (ncp-api.md §1.1), the calls use
    urllib.

Parameters (package < action < trigger < event; the sequence passes
find_category's result on to add_files):

  API_URL              VOD Station base URL, e.g. https://vodstation.apigw.ntruss.com
  NCLOUD_ACCESS_KEY    access key the calls are signed with
  NCLOUD_SECRET_KEY    its secret key (a sensitive package parameter)
  REGION               region code sent as x-ncp-region_code (default KR)
  CATEGORY_NAME        find_category: the category to encode with
  UPLOAD_BUCKET_NAME   find_category: the bucket, when the event has none
  NOTIFICATION_URL     add_files: callback URL for the job statuses (optional)
  object_name          the event: key of the uploaded object
  bucket_name          the event: its bucket (also accepted: bucket)

Only object_name is documented for NCP's Object Storage event payload (the
tutorial reads it); the other keys are [?] (ncp-api.md §4.4), which is why the
bucket can also come from UPLOAD_BUCKET_NAME. The add-files answer's per-file
fields other than id are [?] too (§2.3); only id is relied on.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

# Categories asked for per page while looking for CATEGORY_NAME.
PAGE_SIZE = 50
# Bound on the pages read, so that a server answering a wrong total cannot
# keep the action looping until its time limit.
MAX_PAGES = 200
# Seconds a VOD Station call may take.
HTTP_TIMEOUT = 20


class PipelineError(Exception):
    """A failure the activation reports as its error."""


def required(args, key):
    """Returns the non-empty parameter key, or raises naming it."""
    value = args.get(key)
    if value is None or (isinstance(value, str) and value.strip() == ""):
        raise PipelineError(
            "missing parameter %s: set it on the package, the action or the trigger "
            "(or in the event)" % key
        )
    return value


def sign(method, request_uri, timestamp, access_key, secret_key):
    """API Gateway signature v2: Base64(HMAC-SHA256(secret key,
    METHOD + " " + path-and-query + "\\n" + timestamp + "\\n" + access key))."""
    message = "%s %s\n%s\n%s" % (method, request_uri, timestamp, access_key)
    digest = hmac.new(secret_key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def describe_error(status, raw):
    """The gateway envelope's code, message and details, or the raw body."""
    try:
        err = json.loads(raw).get("error") or {}
    except (ValueError, AttributeError):
        err = {}
    if isinstance(err, dict) and err.get("errorCode"):
        text = "%s %s" % (err.get("errorCode"), err.get("message", ""))
        if err.get("details"):
            text += ": %s" % err["details"]
        return "HTTP %d, error %s" % (status, text.strip())
    body = raw.strip()[:300] or "(empty body)"
    return "HTTP %d: %s" % (status, body)


def call(args, method, path, query=None, body=None):
    """Sends one signed VOD Station call and returns the decoded JSON answer.

    The string to sign holds the path and query exactly as sent; the body is
    not signed."""
    api_url = str(required(args, "API_URL")).rstrip("/")
    access_key = str(required(args, "NCLOUD_ACCESS_KEY"))
    secret_key = str(required(args, "NCLOUD_SECRET_KEY"))
    region = str(args.get("REGION") or "KR")

    request_uri = urllib.parse.quote(path)
    if query:
        request_uri += "?" + urllib.parse.urlencode(query)
    timestamp = str(int(time.time() * 1000))
    headers = {
        "x-ncp-apigw-timestamp": timestamp,
        "x-ncp-iam-access-key": access_key,
        "x-ncp-apigw-signature-v2": sign(method, request_uri, timestamp, access_key, secret_key),
        "x-ncp-region_code": region,
        "Accept": "application/json",
    }
    data = None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        headers["Content-Type"] = "application/json; charset=utf-8"
    req = urllib.request.Request(api_url + request_uri, data=data, headers=headers, method=method)
    what = "%s %s" % (method, path)
    try:
        with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT) as resp:
            raw = resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        raw = e.read().decode("utf-8", "replace")
        raise PipelineError("VOD Station %s failed: %s" % (what, describe_error(e.code, raw))) from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise PipelineError("VOD Station %s: cannot reach %s: %s" % (what, api_url, reason)) from None
    try:
        answer = json.loads(raw)
    except ValueError:
        raise PipelineError("VOD Station %s answered something that is not JSON: %r" % (what, raw[:300])) from None
    if not isinstance(answer, dict) or "content" not in answer:
        raise PipelineError("VOD Station %s answered without a content field: %r" % (what, raw[:300]))
    return answer


def upload_bucket(args):
    """The uploaded object's bucket: from the event, else UPLOAD_BUCKET_NAME."""
    for key in ("bucket_name", "bucket", "UPLOAD_BUCKET_NAME"):
        value = args.get(key)
        if isinstance(value, str) and value.strip():
            return value
    raise PipelineError(
        "missing bucket: the event has no bucket_name and the UPLOAD_BUCKET_NAME parameter is not set"
    )


def find_category(args):
    """Step 1: the category named CATEGORY_NAME, and the object to encode."""
    name = str(required(args, "CATEGORY_NAME"))
    object_name = str(required(args, "object_name"))
    bucket = upload_bucket(args)

    matches, seen = [], []
    page = 1
    while page <= MAX_PAGES:
        answer = call(args, "GET", "/api/v2/category", {"pageNo": page, "pageSizeNo": PAGE_SIZE})
        items = answer.get("content") or []
        if not isinstance(items, list):
            raise PipelineError("VOD Station GET /api/v2/category: content is not a list")
        for item in items:
            if not isinstance(item, dict):
                continue
            seen.append(str(item.get("name")))
            if item.get("name") == name:
                matches.append(item)
        total = answer.get("total")
        if not items or len(items) < PAGE_SIZE or (isinstance(total, int) and page * PAGE_SIZE >= total):
            break
        page += 1

    if not matches:
        listed = ", ".join(seen[:20]) + (", ..." if len(seen) > 20 else "")
        raise PipelineError(
            "no VOD Station category is named %r (%d categories listed%s)"
            % (name, len(seen), ": " + listed if seen else "")
        )
    if len(matches) > 1:
        raise PipelineError(
            "%d VOD Station categories are named %r (ids %s): rename one so that CATEGORY_NAME names a single category"
            % (len(matches), name, ", ".join(str(m.get("id")) for m in matches))
        )
    category_id = matches[0].get("id")
    if category_id is None:
        raise PipelineError("VOD Station category %r has no id in the list answer" % name)
    print("category %r is id %s; encoding %s/%s" % (name, category_id, bucket, object_name))
    return {
        "category_id": category_id,
        "category_name": name,
        "bucket_name": bucket,
        "object_name": object_name,
    }


def add_files(args):
    """Step 2: encode the object with the category's encoding options."""
    category_id = required(args, "category_id")
    object_name = str(required(args, "object_name"))
    bucket = upload_bucket(args)

    body = {"bucketName": bucket, "pathList": [object_name]}
    notification = args.get("NOTIFICATION_URL")
    if isinstance(notification, str) and notification.strip():
        # The current docs call it "notification"; the tutorial and the old
        # docs "notificationUrl" (ncp-api.md §2.3). Sent as the tutorial does.
        body["notificationUrl"] = notification
    path = "/api/v2/category/%s/add-files" % category_id
    answer = call(args, "PUT", path, body=body)

    files = answer.get("content")
    if not isinstance(files, list) or not files:
        raise PipelineError("VOD Station PUT %s returned no file for %s/%s" % (path, bucket, object_name))
    file_ids = [f.get("id") for f in files if isinstance(f, dict) and f.get("id") is not None]
    if not file_ids:
        raise PipelineError("VOD Station PUT %s returned files without ids: %r" % (path, files))
    print("VOD Station is encoding %s/%s: file ids %s" % (bucket, object_name, file_ids))
    return {
        "category_id": category_id,
        "bucket_name": bucket,
        "object_name": object_name,
        "file_ids": file_ids,
        "files": files,
    }


def main(args):
    """Both steps in one activation (for an action used on its own)."""
    return add_files(dict(args, **find_category(args)))
