#!/usr/bin/env python3
"""Sign requests with botocore for sigv4's cross-check test (botocore_test.go).

Reads a JSON list of cases on stdin and writes a JSON list of signed
requests on stdout: {"name", "method", "url", "headers": [[k, v], ...],
"body": base64}. Each case names the botocore signer in "auth":
"header" (SigV4Auth), "s3-header" (S3SigV4Auth), "query" (SigV4QueryAuth)
or "s3-query" (S3SigV4QueryAuth). botocore signs with the current time,
or with "now" (YYYYMMDDTHHMMSSZ) when a case gives it.
"""
import base64
import contextlib
import datetime
import json
import sys
from unittest import mock

import botocore.auth
from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SIGNERS = {
    "header": SigV4Auth,
    "s3-header": S3SigV4Auth,
}
QUERY_SIGNERS = {
    "query": SigV4QueryAuth,
    "s3-query": S3SigV4QueryAuth,
}


@contextlib.contextmanager
def clock(now):
    """Stop the clock botocore.auth reads (datetime.datetime.now/utcnow) at now."""
    if not now:
        yield
        return
    fixed = datetime.datetime.strptime(now, "%Y%m%dT%H%M%SZ")

    class Fixed(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return fixed

        @classmethod
        def now(cls, tz=None):
            return fixed.replace(tzinfo=tz) if tz else fixed

    with mock.patch.object(botocore.auth.datetime, "datetime", Fixed):
        yield


def sign(case):
    creds = Credentials(case["access_key"], case["secret_key"], case.get("token") or None)
    body = base64.b64decode(case.get("body", ""))
    request = AWSRequest(method=case["method"], url=case["url"], data=body,
                         headers=dict(case.get("headers", [])))
    kind = case["auth"]
    if kind in SIGNERS:
        auth = SIGNERS[kind](creds, case["service"], case["region"])
    else:
        auth = QUERY_SIGNERS[kind](creds, case["service"], case["region"],
                                   expires=case.get("expires", 900))
    with clock(case.get("now")):
        auth.add_auth(request)
    prepared = request.prepare()
    out_body = prepared.body or b""
    if isinstance(out_body, str):
        out_body = out_body.encode("utf-8")
    return {
        "name": case["name"],
        "method": prepared.method,
        "url": prepared.url,
        "headers": [[k, v] for k, v in prepared.headers.items()],
        "body": base64.b64encode(out_body).decode("ascii"),
    }


def main():
    cases = json.load(sys.stdin)
    json.dump([sign(c) for c in cases], sys.stdout, indent=1)


if __name__ == "__main__":
    main()
