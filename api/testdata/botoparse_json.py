#!/usr/bin/env python3
"""Parse REST-JSON response bodies (the Account Management API) with
botocore's RestJSONParser, as the aws CLI and boto3 do, and check them
against the service model. The sibling of botoparse.py (Query protocol).

    botoparse_json.py -
        Read a JSON list of {"service", "operation", "file", "status",
        "errorType"} on stdin and print a JSON list of {"file", "parsed",
        "problems"} or {"file", "error"} (used by api/account_golden_test.go).

"problems" lists what botocore tolerates but AWS never sends: members the
model does not know, required members that are missing, values of the
wrong JSON type, timestamps botocore cannot read, an error without
message, or an error code the operation's model does not list.
"""

import datetime
import json
import sys

try:
    import botocore.session
    from botocore import parsers
except ImportError:  # pragma: no cover
    sys.stderr.write("botoparse_json.py: botocore is missing (apt-get install python3-botocore)\n")
    sys.exit(3)

_session = botocore.session.get_session()
_models = {}


def model(service):
    if service not in _models:
        _models[service] = _session.get_service_model(service)
    return _models[service]


def check_shape(shape, value, path, problems):
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(f"{path}: {type(value).__name__}, want an object")
            return
        for k, v in value.items():
            if k not in shape.members:
                problems.append(f"{path}.{k}: not a member of {shape.name}")
                continue
            check_shape(shape.members[k], v, f"{path}.{k}", problems)
        for name in shape.required_members:
            if name not in value:
                problems.append(f"{path}.{name}: required member missing")
    elif kind == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: {type(value).__name__}, want a list")
            return
        for i, v in enumerate(value):
            check_shape(shape.member, v, f"{path}[{i}]", problems)
    elif kind == "string":
        if not isinstance(value, str):
            problems.append(f"{path}: {type(value).__name__}, want a string")
        elif shape.enum and value not in shape.enum:
            problems.append(f"{path}: {value!r} is not in the enum {shape.enum}")
    elif kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{path}: {value!r}, want an integer")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: {value!r}, want a boolean")
    elif kind == "timestamp":
        try:
            parsers.DEFAULT_TIMESTAMP_PARSER(value)
        except Exception as e:  # noqa: BLE001
            problems.append(f"{path}: timestamp {value!r}: {e}")


def parse(job):
    with open(job["file"], "rb") as f:
        body = json.dumps(json.load(f), separators=(",", ":")).encode()
    m = model(job["service"])
    op = m.operation_model(job["operation"])
    status = job["status"]
    headers = {"x-amzn-requestid": "00000000-0000-4000-8000-000000000000", "content-type": "application/json"}
    if job.get("errorType"):
        headers["x-amzn-errortype"] = job["errorType"]
    parser = parsers.create_parser(m.metadata["protocol"])
    response = {"body": body, "headers": headers, "status_code": status}
    problems = []
    if status < 300:
        parsed = parser.parse(response, op.output_shape)
        if op.output_shape is not None:
            check_shape(op.output_shape, json.loads(body), op.output_shape.name, problems)
        elif json.loads(body) != {}:
            problems.append("an operation without output answered a non-empty object")
    else:
        parsed = parser.parse(response, None)
        err = parsed.get("Error", {})
        if not err.get("Message"):
            problems.append("error without a message")
        codes = [e.name for e in op.error_shapes]
        if err.get("Code") not in codes:
            problems.append(f"error code {err.get('Code')!r} is not one of {op.name}'s errors {codes}")
        else:
            # As botocore's client does (_add_modeled_error_fields): the
            # error shape's members (reason, fieldList) join the result.
            shape = m.shape_for(err["Code"])
            fields = json.loads(body)
            fields.pop("__type", None)  # the JSON 1.0 protocol's error code
            check_shape(shape, fields, err["Code"], problems)
            modeled = parser.parse(response, shape)
            modeled.pop("ResponseMetadata", None)
            parsed.update(modeled)
    parsed.get("ResponseMetadata", {}).pop("HTTPHeaders", None)
    return parsed, problems


def jsonable(v):
    if isinstance(v, datetime.datetime):
        return v.isoformat()
    raise TypeError(f"{type(v).__name__} is not JSON")


def main(argv):
    if len(argv) != 2 or argv[1] != "-":
        sys.stderr.write(__doc__)
        return 2
    out = []
    for job in json.load(sys.stdin):
        try:
            parsed, problems = parse(job)
            out.append({"file": job["file"], "parsed": parsed, "problems": problems})
        except Exception as e:  # report and go on with the other files
            out.append({"file": job["file"], "error": f"{type(e).__name__}: {e}"})
    json.dump(out, sys.stdout, default=jsonable, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
