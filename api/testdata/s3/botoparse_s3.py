#!/usr/bin/env python3
"""Parse recorded S3 (REST-XML) responses with botocore, as boto3 and the
aws CLI do, and check them against the s3 service model. The sibling of
../botoparse.py (Query) and ../botoparse_json.py (REST-JSON).

    botoparse_s3.py -
        Read a JSON list of {"operation", "file", "status", "autoEncoding"}
        on stdin and print a JSON list of {"file", "parsed", "problems"} or
        {"file", "error"} (used by api/s3_golden_test.go).
    botoparse_s3.py OPERATION FILE
        Parse one golden and print the result as JSON.
    botoparse_s3.py --operations
        Print the s3 model's operations as a JSON list of {"name",
        "method", "requestUri"} (used by api/s3_sweep_test.go).

A golden file (testdata/s3/golden/<name>.txt, written by
api/s3_golden_test.go) is the request, a line "-------- response --------",
then the response: status line, headers, a blank line, and the body
followed by one newline when there is a body. An application/xml body is
indented one element per line: whitespace between tags is removed again
here, which gives back the exact bytes the server sent (the XML
declaration keeps its own line).

"parsed" is what an SDK user sees: the response goes through the
before-parse handlers of an s3 client (_handle_200_error turns a 200
carrying <Error> into a 500), botocore's RestXMLParser for the
operation's output shape, and the client's after-call handlers
(parse_get_bucket_location, decode_list_object* for encoding-type=url when
botocore set it, which it does by default: "autoEncoding"). For an
error status, "parsed" has the Error (Code, Message and S3's extra
elements) the ClientError carries. Timestamps are printed in ISO 8601;
a streamed Body is printed as text.

"problems" lists what botocore tolerates but S3 never sends: elements the
model does not know, lists or scalars in the wrong form, a wrong namespace
or root element, a body where the operation has none, header values in
the wrong format, and error documents that are not S3's <Error> (no
namespace, Code and Message first, RequestId and HostId equal to the
x-amz-request-id and x-amz-id-2 headers).
"""

import datetime
import email.utils
import io
import json
import re
import sys
import xml.etree.ElementTree as ET

try:
    import botocore.session
    from botocore import parsers
    from botocore.awsrequest import HeadersDict
    from botocore.response import StreamingBody
except ImportError:  # pragma: no cover
    sys.stderr.write("botoparse_s3.py: botocore is missing (apt-get install python3-botocore)\n")
    sys.exit(3)

SEPARATOR = "\n-------- response --------\n"
NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")

# The root elements S3 sends (aws-s3.md §11). botocore ignores the root's
# name; other SDKs may not.
ROOTS = {
    "ListBuckets": "ListAllMyBucketsResult",
    "GetBucketLocation": "LocationConstraint",
    "GetBucketVersioning": "VersioningConfiguration",
    "GetBucketTagging": "Tagging",
    "ListObjects": "ListBucketResult",
    "ListObjectsV2": "ListBucketResult",
    "ListObjectVersions": "ListVersionsResult",
    "DeleteObjects": "DeleteResult",
    "CreateMultipartUpload": "InitiateMultipartUploadResult",
    "CompleteMultipartUpload": "CompleteMultipartUploadResult",
    "ListParts": "ListPartsResult",
    "ListMultipartUploads": "ListMultipartUploadsResult",
    "CopyObject": "CopyObjectResult",
    "UploadPartCopy": "CopyPartResult",
    "GetObjectTagging": "Tagging",
    "GetPublicAccessBlock": "PublicAccessBlockConfiguration",
    "GetBucketPolicyStatus": "PolicyStatus",
}

_session = botocore.session.get_session()
_model = _session.get_service_model("s3")
# A client, for its event handlers only: nothing is ever sent.
_client = _session.create_client(
    "s3", region_name="us-east-1", aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret"
)


class _HTTPResponse:
    """What the after-call handlers read of botocore's AWSResponse."""

    def __init__(self, status, headers, body):
        self.status_code = status
        self.headers = headers
        self.content = body
        self.raw = True


def read_golden(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    if SEPARATOR not in text:
        raise ValueError("no response separator")
    resp = text.split(SEPARATOR, 1)[1]
    head, _, body = resp.partition("\n\n")
    lines = head.split("\n")
    status = int(lines[0].split(" ")[1])
    headers = HeadersDict()
    for line in lines[1:]:
        name, _, value = line.partition(": ")
        headers[name] = value
    if body:
        if not body.endswith("\n"):
            raise ValueError("the body does not end with a newline")
        body = body[:-1]
    raw = body.encode("utf-8")
    if headers.get("Content-Type") == "application/xml" and raw:
        raw = compact(raw)
    return status, headers, raw


def compact(body):
    decl = b""
    if body.startswith(b"<?xml"):
        decl, _, body = body.partition(b"\n")
        decl += b"\n"
    return decl + re.sub(rb">\s*\n\s*<", b"><", body.strip())


def local(tag):
    return tag.rsplit("}", 1)[-1]


def member_key_name(shape, name):
    """The element name of a member, as botocore's RestXMLParser reads it."""
    if shape.type_name == "list" and shape.serialization.get("flattened"):
        n = shape.member.serialization.get("name")
        if n is not None:
            return n
    return shape.serialization.get("name", name)


def check_scalar(shape, text, path, problems, where="xml"):
    kind = shape.type_name
    if kind == "boolean" and text not in ("true", "false"):
        problems.append(f"{path}: boolean {text!r}")
    elif kind in ("integer", "long") and not re.fullmatch(r"-?\d+", text):
        problems.append(f"{path}: integer {text!r}")
    elif kind == "timestamp":
        fmt = shape.serialization.get("timestampFormat", "iso8601" if where == "xml" else "rfc822")
        if fmt == "iso8601" and not TIMESTAMP.match(text):
            problems.append(f"{path}: timestamp {text!r}")
        elif fmt == "rfc822":
            try:
                if not text.endswith(" GMT"):
                    raise ValueError("not GMT")
                email.utils.parsedate_to_datetime(text)
            except (TypeError, ValueError):
                problems.append(f"{path}: HTTP date {text!r}")
    elif kind == "string" and shape.enum and text not in shape.enum:
        problems.append(f"{path}: {text!r} is not one of {shape.enum}")


def check_shape(shape, node, path, problems):
    """Compares the element node with shape, appending problems."""
    kind = shape.type_name
    children = list(node)
    if kind == "structure":
        members = {}
        for name, member in shape.members.items():
            if member.serialization.get("location"):
                continue  # headers, status
            members[member_key_name(member, name)] = member
        seen = set()
        for child in children:
            tag = local(child.tag)
            member = members.get(tag)
            if member is None:
                problems.append(f"{path}/{tag}: not a member of {shape.name}")
                continue
            flattened = member.type_name == "list" and member.serialization.get("flattened")
            if tag in seen and not flattened:
                problems.append(f"{path}/{tag}: repeated")
            seen.add(tag)
            if flattened:
                check_shape(member.member, child, f"{path}/{tag}", problems)
            else:
                check_shape(member, child, f"{path}/{tag}", problems)
        for name in shape.required_members:
            member = shape.members[name]
            if not member.serialization.get("location") and member_key_name(member, name) not in seen:
                problems.append(f"{path}/{member_key_name(member, name)}: required member missing")
    elif kind == "list":
        item = shape.member.serialization.get("name", "member")
        for i, child in enumerate(children):
            if local(child.tag) != item:
                problems.append(f"{path}/{local(child.tag)}: list element is not <{item}>")
                continue
            check_shape(shape.member, child, f"{path}/{item}[{i + 1}]", problems)
        if node.text and node.text.strip():
            problems.append(f"{path}: text in a list")
    elif kind == "map":
        problems.append(f"{path}: maps are not checked")
    else:
        if children:
            problems.append(f"{path}: scalar {shape.name} has child elements")
            return
        check_scalar(shape, node.text or "", path, problems)


def check_headers(out, headers, problems):
    if out is None:
        return
    for name, member in out.members.items():
        if member.serialization.get("location") != "header":
            continue
        wire = member.serialization.get("name", name)
        value = headers.get(wire)
        if value is not None:
            check_scalar(member, value, f"header {wire}", problems, where="header")


def check_success(op, status, headers, body, problems):
    out = op.output_shape
    check_headers(out, headers, problems)
    payload = out.serialization.get("payload") if out is not None else None
    body_members = []
    if out is not None:
        body_members = [n for n, m in out.members.items() if not m.serialization.get("location")]
    if payload and out.members[payload].type_name in ("blob", "string"):
        return  # the body is the payload as it is
    if op.name == "GetBucketLocation":
        shape = None
    elif payload:
        shape = out.members[payload]
    elif body_members:
        shape = out
    else:
        if body:
            problems.append(f"a body for an operation without one: {body[:80]!r}")
        return
    if not body:
        problems.append("no body")
        return
    if not body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'):
        problems.append("the body does not start with the XML declaration")
    if headers.get("Content-Type") != "application/xml":
        problems.append(f"Content-Type {headers.get('Content-Type')!r}, want application/xml")
    root = ET.fromstring(body)
    if not root.tag.startswith("{" + NAMESPACE + "}"):
        problems.append(f"root element {root.tag}: namespace is not {NAMESPACE}")
    outside = set()
    for parent in root.iter():
        for el in parent:
            if el.tag.startswith("{" + NAMESPACE + "}") or not parent.tag.startswith("{" + NAMESPACE + "}"):
                continue
            outside.add(f"{local(parent.tag)}/{el.tag}")
    for path in sorted(outside):
        problems.append(f"<{path}> is not in the S3 namespace (an xmlns that drops it)")
    want = ROOTS.get(op.name)
    if want and local(root.tag) != want:
        problems.append(f"root element is <{local(root.tag)}>, want <{want}>")
    if shape is None:
        if list(root):
            problems.append("LocationConstraint has child elements")
        return
    check_shape(shape, root, local(root.tag), problems)


def check_error(op, status, headers, body, problems):
    if op.http["method"] == "HEAD" or status == 304:
        if body:
            problems.append(f"a body in a HEAD or 304 answer: {body[:80]!r}")
        return
    if not body:
        problems.append("an error without a body")
        return
    if headers.get("Content-Type") != "application/xml":
        problems.append(f"Content-Type {headers.get('Content-Type')!r}, want application/xml")
    root = ET.fromstring(body)
    if root.tag != "Error":
        problems.append(f"error root element is <{root.tag}>, want <Error> without a namespace")
    tags = [c.tag for c in root]
    if tags[:2] != ["Code", "Message"]:
        problems.append(f"Error children {tags}, want Code and Message first")
    for tag, header in (("RequestId", "x-amz-request-id"), ("HostId", "x-amz-id-2")):
        el = root.find(tag)
        if el is None:
            problems.append(f"Error/{tag} missing")
        elif el.text != headers.get(header):
            problems.append(f"Error/{tag} {el.text!r} is not the {header} header {headers.get(header)!r}")
    for c in root:
        if list(c):
            problems.append(f"Error/{c.tag} has child elements")


def parse(job):
    status, headers, body = read_golden(job["file"])
    op = _model.operation_model(job["operation"])
    problems = []
    for h in ("x-amz-request-id", "x-amz-id-2"):
        if not headers.get(h):
            problems.append(f"no {h} header")
    # As botocore's convert_to_response_dict: a streamed body for a
    # success of an operation with streaming output, the bytes otherwise.
    response = {"headers": headers, "status_code": status, "body": body, "context": {"operation_name": op.name}}
    if op.has_streaming_output and status < 300:
        response["body"] = StreamingBody(io.BytesIO(body), len(body))
    customized = {}
    _client.meta.events.emit(
        f"before-parse.s3.{op.name}",
        operation_model=op,
        response_dict=response,
        customized_response_dict=customized,
    )
    parser = parsers.create_parser("rest-xml")
    parsed = parser.parse(response, op.output_shape)
    parsed.update(customized)
    http = _HTTPResponse(response["status_code"], headers, body)
    context = {"encoding_type_auto_set": True} if job.get("autoEncoding") else {}
    _client.meta.events.emit(
        f"after-call.s3.{op.name}", http_response=http, parsed=parsed, model=op, context=context
    )
    if response["status_code"] != status:
        problems.append(f"botocore turned HTTP {status} into {response['status_code']}")
    if response["status_code"] < 300:
        check_success(op, status, headers, body, problems)
    else:
        check_error(op, status, headers, body, problems)
    if "Body" in parsed and hasattr(parsed["Body"], "read"):
        parsed["Body"] = parsed["Body"].read()
    parsed.get("ResponseMetadata", {}).pop("HTTPHeaders", None)
    return parsed, problems


def jsonable(v):
    if isinstance(v, datetime.datetime):
        return v.isoformat()
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode("utf-8", "replace")
    raise TypeError(f"{type(v).__name__} is not JSON")


def main(argv):
    if len(argv) == 2 and argv[1] == "-":
        out = []
        for job in json.load(sys.stdin):
            try:
                parsed, problems = parse(job)
                out.append({"file": job["file"], "parsed": parsed, "problems": problems})
            except Exception as e:  # report and go on with the other files
                out.append({"file": job["file"], "error": f"{type(e).__name__}: {e}"})
        json.dump(out, sys.stdout, default=jsonable, indent=1)
        return 0
    if len(argv) == 2 and argv[1] == "--operations":
        ops = []
        for name in _model.operation_names:
            http = _model.operation_model(name).http
            ops.append({"name": name, "method": http["method"], "requestUri": http["requestUri"]})
        json.dump(ops, sys.stdout, indent=1)
        return 0
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    parsed, problems = parse({"operation": argv[1], "file": argv[2], "autoEncoding": True})
    json.dump({"parsed": parsed, "problems": problems}, sys.stdout, default=jsonable, indent=2)
    sys.stdout.write("\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
