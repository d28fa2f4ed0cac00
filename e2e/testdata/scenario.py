"""scenario.py PHASE drives Gatehouse with boto3, as a program would.

  setup   root creates an administrator; the administrator creates a
          developer, who is denied word for word; the developer's key is
          rotated; the administrator locks itself out and root restores it.
  verify  after a restart of the server: everything setup left is there.

Environment (set by cli_test.go): AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY (the root user's key), AWS_DEFAULT_REGION, ACCOUNT_ID,
SCENARIO_PREFIX (prefix of every name created) and SCENARIO_STATE (a JSON
file where setup leaves keys for verify).

It prints one line per step and "SETUP OK" or "VERIFY OK" at the end; any
failure raises, which exits with status 1.
"""

import json
import os
import sys

import boto3
from botocore.exceptions import ClientError

ENDPOINT = os.environ["AWS_ENDPOINT_URL"]
REGION = os.environ["AWS_DEFAULT_REGION"]
ACCOUNT = os.environ["ACCOUNT_ID"]
P = os.environ["SCENARIO_PREFIX"]
STATE = os.environ["SCENARIO_STATE"]
ROOT = (os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"])
ARN = "arn:aws:iam::" + ACCOUNT
ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"
READ_POLICY = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["iam:GetUser", "iam:ListUsers"], "Resource": "*"}],
})


def client(service, key):
    """A boto3 client for service signed with key (id, secret)."""
    return boto3.client(service, endpoint_url=ENDPOINT, region_name=REGION,
                        aws_access_key_id=key[0], aws_secret_access_key=key[1])


def expect_eq(got, want, what):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))
    print("ok:", what)


def expect_error(code, message, status, call, *args, **kwargs):
    """call(*args, **kwargs) must fail with AWS error code, HTTP status and,
    when message is not None, exactly that message."""
    try:
        call(*args, **kwargs)
    except ClientError as e:
        err = e.response["Error"]
        got_status = e.response["ResponseMetadata"]["HTTPStatusCode"]
        if err.get("Code") != code or got_status != status:
            raise AssertionError("want %s (HTTP %d), got %s (HTTP %d): %s"
                                 % (code, status, err.get("Code"), got_status, err.get("Message")))
        if message is not None and err.get("Message") != message:
            raise AssertionError("%s message:\n got: %s\nwant: %s" % (code, err.get("Message"), message))
        print("denied:", code, e.operation_name)
        return
    raise AssertionError("%s succeeded; want %s" % (call.__name__, code))


def new_key(iam, user):
    k = iam.create_access_key(UserName=user)["AccessKey"]
    return (k["AccessKeyId"], k["SecretAccessKey"])


def not_authorized(user, action, resource):
    return ("User: %s:user/%s is not authorized to perform: %s on resource: %s "
            "because no identity-based policy allows the %s action" % (ARN, user, action, resource, action))


def setup():
    root = client("iam", ROOT)
    expect_eq(client("sts", ROOT).get_caller_identity()["Arn"], ARN + ":root", "root identity")

    # Root's one job: an IAM administrator with its own key.
    root.create_user(UserName=P + "-admin")
    root.attach_user_policy(UserName=P + "-admin", PolicyArn=ADMIN_POLICY)
    admin_key = new_key(root, P + "-admin")
    caller = client("sts", admin_key).get_caller_identity()["Arn"]
    print("caller:", caller)
    expect_eq(caller, "%s:user/%s-admin" % (ARN, P), "admin identity")
    admin = client("iam", admin_key)

    # A developer with no permissions is denied exactly as AWS words it.
    admin.create_user(UserName=P + "-dev")
    old_key = new_key(admin, P + "-dev")
    expect_error("AccessDenied",
                 not_authorized(P + "-dev", "iam:CreateUser", "%s:user/%s-intruder" % (ARN, P)), 403,
                 client("iam", old_key).create_user, UserName=P + "-intruder")

    # Key rotation: a second key, the first deactivated (and refused), then deleted.
    dev_key = new_key(admin, P + "-dev")
    admin.update_access_key(UserName=P + "-dev", AccessKeyId=old_key[0], Status="Inactive")
    expect_error("InvalidClientTokenId", "The security token included in the request is invalid.", 403,
                 client("sts", old_key).get_caller_identity)
    admin.delete_access_key(UserName=P + "-dev", AccessKeyId=old_key[0])
    keys = [k["AccessKeyId"] for k in admin.list_access_keys(UserName=P + "-dev")["AccessKeyMetadata"]]
    expect_eq(keys, [dev_key[0]], "keys after rotation")
    expect_eq(client("sts", dev_key).get_caller_identity()["Arn"], "%s:user/%s-dev" % (ARN, P), "rotated key works")

    # The developer gets read access through a group; the policy reads back as a document.
    admin.create_group(GroupName=P + "-devs")
    admin.add_user_to_group(GroupName=P + "-devs", UserName=P + "-dev")
    policy_arn = admin.create_policy(PolicyName=P + "-read", PolicyDocument=READ_POLICY)["Policy"]["Arn"]
    doc = admin.get_policy_version(PolicyArn=policy_arn, VersionId="v1")["PolicyVersion"]["Document"]
    expect_eq(doc, json.loads(READ_POLICY), "policy document round trip")
    admin.attach_group_policy(GroupName=P + "-devs", PolicyArn=policy_arn)
    dev = client("iam", dev_key)
    expect_eq(dev.get_user(UserName=P + "-admin")["User"]["UserName"], P + "-admin", "developer reads through the group")

    # Lock-out: the administrator detaches its own AdministratorAccess...
    admin.detach_user_policy(UserName=P + "-admin", PolicyArn=ADMIN_POLICY)
    expect_error("AccessDenied",
                 not_authorized(P + "-admin", "iam:GetUser", "%s:user/%s-admin" % (ARN, P)), 403,
                 admin.get_user, UserName=P + "-admin")
    # ...and root, whom IAM policies do not govern, restores it.
    root.attach_user_policy(UserName=P + "-admin", PolicyArn=ADMIN_POLICY)
    expect_eq(admin.get_user(UserName=P + "-admin")["User"]["UserName"], P + "-admin", "administrator restored")

    with open(STATE, "w") as f:
        json.dump({"ADMIN_ID": admin_key[0], "ADMIN_SECRET": admin_key[1],
                   "DEV_ID": dev_key[0], "DEV_SECRET": dev_key[1],
                   "OLD_DEV_ID": old_key[0], "OLD_DEV_SECRET": old_key[1]}, f)
    print("SETUP OK")


def verify():
    with open(STATE) as f:
        s = json.load(f)
    admin_key = (s["ADMIN_ID"], s["ADMIN_SECRET"])
    dev_key = (s["DEV_ID"], s["DEV_SECRET"])
    admin = client("iam", admin_key)
    expect_eq(client("sts", admin_key).get_caller_identity()["Arn"], "%s:user/%s-admin" % (ARN, P), "admin key after restart")
    attached = [p["PolicyArn"] for p in admin.list_attached_user_policies(UserName=P + "-admin")["AttachedPolicies"]]
    expect_eq(attached, [ADMIN_POLICY], "admin policies after restart")
    members = [u["UserName"] for u in admin.get_group(GroupName=P + "-devs")["Users"]]
    expect_eq(members, [P + "-dev"], "group after restart")
    expect_eq(client("iam", dev_key).get_user(UserName=P + "-dev")["User"]["Arn"], "%s:user/%s-dev" % (ARN, P),
              "developer key and group policy after restart")
    expect_error("InvalidClientTokenId", "The security token included in the request is invalid.", 403,
                 client("sts", (s["OLD_DEV_ID"], s["OLD_DEV_SECRET"])).get_caller_identity)
    print("VERIFY OK")


if __name__ == "__main__":
    phases = {"setup": setup, "verify": verify}
    if len(sys.argv) != 2 or sys.argv[1] not in phases:
        sys.exit("usage: scenario.py setup|verify")
    phases[sys.argv[1]]()
