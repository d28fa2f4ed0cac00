#!/usr/bin/env python3
"""Dump the HTTP status each botocore service model gives the errors of
each operation, as the AWS SDKs read them.

    model_errors.py SERVICE...
        Print a JSON object {service: {"operations": {operation:
        {errorCode: status}}, "errors": {errorCode: status}}} for each
        botocore service name given (iam, sts, account, taxsettings,
        invoicing ...): the errors each operation lists, and every error
        shape of the model (a service may answer an error its model does
        not list for the operation, such as an AccessDeniedException).
        errorCode is the code on the wire (the shape's error.code, else
        the shape's name); only errors whose shape declares
        error.httpStatusCode are listed. Used by
        api/error_status_test.go.
"""

import json
import sys

try:
    import botocore.session
except ImportError:  # pragma: no cover
    sys.stderr.write("model_errors.py: botocore is missing (apt-get install python3-botocore)\n")
    sys.exit(3)


def add(errors, shape):
    meta = shape.metadata.get("error", {})
    if "httpStatusCode" in meta:
        errors[meta.get("code", shape.name)] = meta["httpStatusCode"]


def statuses(session, service):
    model = session.get_service_model(service)
    operations, every = {}, {}
    for name in model.operation_names:
        op = model.operation_model(name)
        errors = {}
        for shape in op.error_shapes:
            add(errors, shape)
        operations[name] = errors
    for shape in model.error_shapes:
        add(every, shape)
    return {"operations": operations, "errors": every}


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    session = botocore.session.get_session()
    json.dump({s: statuses(session, s) for s in argv[1:]}, sys.stdout, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
