"""s3_boto3.py PHASE drives Gatehouse's S3 with boto3, as a program would.

  transfer   upload_file and download_file of a 20 MiB file through the
             transfer manager (multipart up, ranged GETs down), put_object
             and get_object with ChecksumAlgorithm='SHA256', and a wrong
             SHA-256 refused with BadDigest.
  keepalive  an empty put_object from a file, then another put_object on
             the same connection, with a 5 s read timeout and no retries.

Environment (set by s3_boto3_test.go): AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, S3_BUCKET (created by the script)
and WORK_DIR (a scratch directory).

It prints one line per step and "S3 OK" at the end; any failure raises,
which exits with status 1.
"""

import base64
import hashlib
import os
import sys

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

MIB = 1 << 20
BUCKET = os.environ["S3_BUCKET"]
WORK = os.environ["WORK_DIR"]


def client(**config):
    return boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"],
                        region_name=os.environ["AWS_DEFAULT_REGION"],
                        config=Config(**config))


def expect_eq(got, want, what):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))
    print("ok:", what)


def sha256_b64(b):
    return base64.b64encode(hashlib.sha256(b).digest()).decode()


def transfer():
    s3 = client()
    s3.create_bucket(Bucket=BUCKET)

    data = os.urandom(20 * MIB)
    src, dst = os.path.join(WORK, "big.bin"), os.path.join(WORK, "big.down")
    with open(src, "wb") as f:
        f.write(data)
    cfg = TransferConfig(multipart_threshold=8 * MIB, multipart_chunksize=8 * MIB)
    s3.upload_file(src, BUCKET, "big.bin", Config=cfg)
    head = s3.head_object(Bucket=BUCKET, Key="big.bin")
    expect_eq(head["ContentLength"], len(data), "size of the uploaded file")
    expect_eq(head["ETag"].endswith('-3"'), True, "multipart ETag of three parts (%s)" % head["ETag"])
    s3.download_file(BUCKET, "big.bin", dst, Config=cfg)
    with open(dst, "rb") as f:
        expect_eq(f.read() == data, True, "downloaded bytes equal the uploaded ones")

    body = ("checksummed ✓ " * 1000).encode()
    want = sha256_b64(body)
    put = s3.put_object(Bucket=BUCKET, Key="sum.txt", Body=body, ChecksumAlgorithm="SHA256")
    expect_eq(put.get("ChecksumSHA256"), want, "put_object ChecksumSHA256")
    got = s3.get_object(Bucket=BUCKET, Key="sum.txt", ChecksumMode="ENABLED")
    expect_eq(got["Body"].read() == body, True, "get_object bytes")
    expect_eq(got.get("ChecksumSHA256"), want, "get_object ChecksumSHA256")

    try:
        s3.put_object(Bucket=BUCKET, Key="bad.txt", Body=body, ChecksumSHA256=sha256_b64(b"other bytes"))
        raise AssertionError("put_object with a wrong ChecksumSHA256 succeeded")
    except ClientError as e:
        expect_eq((e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]),
                  ("BadDigest", 400), "wrong ChecksumSHA256 refused")
    try:
        s3.head_object(Bucket=BUCKET, Key="bad.txt")
        raise AssertionError("the refused object was stored")
    except ClientError as e:
        expect_eq(e.response["Error"]["Code"], "404", "refused object not stored")


def keepalive():
    # botocore sends "Expect: 100-continue" with a file body. If the answer
    # to an empty one comes without "100 Continue", botocore keeps a stale
    # status line for the connection and the next PUT on it waits for its
    # read timeout (60 s by default) before being sent again.
    s3 = client(read_timeout=5, retries={"total_max_attempts": 1})
    s3.create_bucket(Bucket=BUCKET)
    empty, small = os.path.join(WORK, "empty"), os.path.join(WORK, "small")
    open(empty, "wb").close()
    with open(small, "wb") as f:
        f.write(b"small\n")
    for name, path in [("small", small), ("empty", empty), ("after-empty", small), ("again", small)]:
        with open(path, "rb") as f:
            s3.put_object(Bucket=BUCKET, Key=name, Body=f)
        print("ok: put_object", name)
    expect_eq(s3.get_object(Bucket=BUCKET, Key="empty")["Body"].read(), b"", "empty object")


if __name__ == "__main__":
    {"transfer": transfer, "keepalive": keepalive}[sys.argv[1]]()
    print("S3 OK")
