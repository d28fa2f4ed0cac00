#!/usr/bin/env python3
"""Parse Query-protocol response bodies with botocore, as the aws CLI and
boto3 do, and check them against the service model.

    botoparse.py SERVICE OPERATION FILE [STATUS]
        Parse one body (STATUS defaults to 200) and print the result as JSON.
    botoparse.py -
        Read a JSON list of {"service", "operation", "file", "status"} on
        stdin and print a JSON list of {"file", "parsed", "problems"} or
        {"file", "error"} (used by api/golden_test.go).

Golden files are indented for reading: whitespace between tags is removed
before parsing, which gives back the exact bytes the server sent.

"parsed" is what an SDK user sees: botocore's QueryParser output, plus (for
IAM) the json_decode_policies handler that URL-decodes and JSON-parses
policy documents. Timestamps are printed in ISO 8601.

"problems" lists what botocore tolerates but AWS never sends: elements the
model does not know, members out of the model's order, scalars in the wrong
format, required members that are missing, a wrong namespace or root
element, or an error Type that does not match the HTTP status.
"""

import datetime
import json
import re
import sys
import xml.etree.ElementTree as ET

try:
    import botocore.session
    from botocore import handlers, parsers
except ImportError:  # pragma: no cover
    sys.stderr.write("botoparse.py: botocore is missing (apt-get install python3-botocore)\n")
    sys.exit(3)

_session = botocore.session.get_session()
_models = {}

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def model(service):
    if service not in _models:
        _models[service] = _session.get_service_model(service)
    return _models[service]


def compact(body):
    return re.sub(rb">\s*\n\s*<", b"><", body.strip())


def local(tag):
    return tag.rsplit("}", 1)[-1]


def member_wire_name(name, shape):
    return shape.serialization.get("name", name)


def check_shape(shape, node, path, problems):
    """Compares the element node with shape, appending problems."""
    kind = shape.type_name
    children = list(node)
    if kind == "structure":
        order = {}
        for i, (name, member) in enumerate(shape.members.items()):
            order[member_wire_name(name, member)] = (i, name, member)
        last = -1
        seen = set()
        for child in children:
            tag = local(child.tag)
            if tag not in order:
                problems.append(f"{path}/{tag}: not a member of {shape.name}")
                continue
            i, name, member = order[tag]
            if tag in seen:
                problems.append(f"{path}/{tag}: repeated")
            seen.add(tag)
            if i < last:
                problems.append(f"{path}/{tag}: out of the model's member order")
            last = max(last, i)
            check_shape(member, child, f"{path}/{tag}", problems)
        for name in shape.required_members:
            wire = member_wire_name(name, shape.members[name])
            if wire not in seen:
                problems.append(f"{path}/{wire}: required member missing")
    elif kind == "list":
        if shape.serialization.get("flattened"):
            problems.append(f"{path}: flattened lists are not checked")
            return
        item = member_wire_name("member", shape.member)
        for i, child in enumerate(children):
            if local(child.tag) != item:
                problems.append(f"{path}/{local(child.tag)}: list element is not <{item}>")
                continue
            check_shape(shape.member, child, f"{path}/{item}[{i + 1}]", problems)
        if node.text and node.text.strip():
            problems.append(f"{path}: text in a list")
    elif kind == "map":
        key = member_wire_name("key", shape.key)
        value = member_wire_name("value", shape.value)
        for i, entry in enumerate(children):
            if local(entry.tag) != "entry":
                problems.append(f"{path}/{local(entry.tag)}: map element is not <entry>")
                continue
            tags = [local(c.tag) for c in entry]
            if tags != [key, value]:
                problems.append(f"{path}/entry[{i + 1}]: children {tags}, want [{key!r}, {value!r}]")
                continue
            check_shape(shape.key, entry[0], f"{path}/entry[{i + 1}]/{key}", problems)
            check_shape(shape.value, entry[1], f"{path}/entry[{i + 1}]/{value}", problems)
    else:
        if children:
            problems.append(f"{path}: scalar {shape.name} has child elements")
            return
        text = node.text or ""
        if kind == "boolean" and text not in ("true", "false"):
            problems.append(f"{path}: boolean {text!r}")
        elif kind in ("integer", "long") and not re.fullmatch(r"-?\d+", text):
            problems.append(f"{path}: integer {text!r}")
        elif kind == "timestamp" and not TIMESTAMP.match(text):
            problems.append(f"{path}: timestamp {text!r}")


def check_document(service, operation, body, status):
    m = model(service)
    ns = m.metadata["xmlNamespace"]
    problems = []
    root = ET.fromstring(body)
    if not root.tag.startswith("{" + ns + "}"):
        problems.append(f"root element {root.tag}: namespace is not {ns}")
    if status >= 300:
        if local(root.tag) != "ErrorResponse":
            problems.append(f"error root element is <{local(root.tag)}>, want <ErrorResponse>")
        tags = [local(c.tag) for c in root]
        if tags != ["Error", "RequestId"]:
            problems.append(f"ErrorResponse children {tags}, want ['Error', 'RequestId']")
        err = root.find("{%s}Error" % ns)
        if err is not None:
            tags = [local(c.tag) for c in err]
            if tags != ["Type", "Code", "Message"]:
                problems.append(f"Error children {tags}, want ['Type', 'Code', 'Message']")
            want = "Receiver" if status >= 500 else "Sender"
            typ = err.find("{%s}Type" % ns)
            if typ is None or typ.text != want:
                problems.append(f"Error/Type is {typ.text if typ is not None else None!r}, want {want!r} for HTTP {status}")
        return problems
    op = m.operation_model(operation)
    if local(root.tag) != operation + "Response":
        problems.append(f"root element is <{local(root.tag)}>, want <{operation}Response>")
    tags = [local(c.tag) for c in root]
    out = op.output_shape
    want = ([out.serialization["resultWrapper"]] if out is not None else []) + ["ResponseMetadata"]
    if tags != want:
        problems.append(f"{operation}Response children {tags}, want {want}")
    if out is not None:
        result = root.find("{%s}%s" % (ns, out.serialization["resultWrapper"]))
        if result is not None:
            check_shape(out, result, out.serialization["resultWrapper"], problems)
    meta = root.find("{%s}ResponseMetadata" % ns)
    if meta is not None and [local(c.tag) for c in meta] != ["RequestId"]:
        problems.append("ResponseMetadata children are not ['RequestId']")
    return problems


def parse(service, operation, path, status):
    with open(path, "rb") as f:
        body = compact(f.read())
    m = model(service)
    op = m.operation_model(operation) if status < 300 else None
    parser = parsers.create_parser(m.metadata["protocol"])
    response = {"body": body, "headers": {}, "status_code": status}
    parsed = parser.parse(response, op.output_shape if op is not None else None)
    if op is not None and service == "iam":
        handlers.json_decode_policies(parsed, op)
    parsed.get("ResponseMetadata", {}).pop("HTTPHeaders", None)
    return parsed, check_document(service, operation, body, status)


def jsonable(v):
    if isinstance(v, datetime.datetime):
        return v.isoformat()
    if isinstance(v, (bytes, bytearray)):  # blobs, base64-decoded by botocore
        return bytes(v).decode("latin-1")
    raise TypeError(f"{type(v).__name__} is not JSON")


def main(argv):
    if len(argv) == 2 and argv[1] == "-":
        out = []
        for job in json.load(sys.stdin):
            try:
                parsed, problems = parse(job["service"], job["operation"], job["file"], job["status"])
                out.append({"file": job["file"], "parsed": parsed, "problems": problems})
            except Exception as e:  # report and go on with the other files
                out.append({"file": job["file"], "error": f"{type(e).__name__}: {e}"})
        json.dump(out, sys.stdout, default=jsonable, indent=1)
        return 0
    if len(argv) not in (4, 5):
        sys.stderr.write(__doc__)
        return 2
    status = int(argv[4]) if len(argv) == 5 else 200
    parsed, problems = parse(argv[1], argv[2], argv[3], status)
    json.dump({"parsed": parsed, "problems": problems}, sys.stdout, default=jsonable, indent=2)
    sys.stdout.write("\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
