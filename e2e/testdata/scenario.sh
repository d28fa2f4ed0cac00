#!/usr/bin/env bash
# scenario.sh PHASE drives Gatehouse with the aws CLI, as a person would.
#
#   setup   root creates an administrator; the administrator creates a
#           developer, who is denied word for word; the developer's key is
#           rotated; the administrator locks itself out and root restores it.
#   verify  after a restart of the server: everything setup left is there.
#
# Environment (set by cli_test.go):
#   AWS_CLI                 the aws executable to run (v1 or v2)
#   AWS_ENDPOINT_URL        the server, e.g. http://127.0.0.1:4590
#   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY   the root user's key
#   AWS_DEFAULT_REGION      any region of the account's partition (us-west-2, say)
#   ACCOUNT_ID              the account's 12-digit ID
#   SCENARIO_PREFIX         prefix of every name created, so runs do not collide
#   SCENARIO_STATE          file where setup leaves keys for verify
#
# It prints one line per step and "SETUP OK" or "VERIFY OK" at the end; any
# failure prints "FAIL: ..." on stderr and exits 1.
set -euo pipefail

phase=${1:?usage: scenario.sh setup|verify}
: "${AWS_CLI:?}" "${AWS_ENDPOINT_URL:?}" "${ACCOUNT_ID:?}" "${SCENARIO_PREFIX:?}" "${SCENARIO_STATE:?}"
P=$SCENARIO_PREFIX
ROOT_ID=$AWS_ACCESS_KEY_ID
ROOT_SECRET=$AWS_SECRET_ACCESS_KEY
ARN=arn:aws:iam::$ACCOUNT_ID
ADMIN_POLICY=arn:aws:iam::aws:policy/AdministratorAccess

# as ID SECRET ARGS...: run the aws CLI with the key ID/SECRET.
as() {
	local id=$1 secret=$2
	shift 2
	AWS_ACCESS_KEY_ID=$id AWS_SECRET_ACCESS_KEY=$secret \
		"$AWS_CLI" --endpoint-url "$AWS_ENDPOINT_URL" --output text "$@"
}
root() { as "$ROOT_ID" "$ROOT_SECRET" "$@"; }
admin() { as "$ADMIN_ID" "$ADMIN_SECRET" "$@"; }
dev() { as "$DEV_ID" "$DEV_SECRET" "$@"; }

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_eq GOT WANT WHAT
expect_eq() {
	[ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"
	echo "ok: $3"
}

# expect_error CODE OPERATION MESSAGE ARGS...: ARGS must fail with the AWS
# error CODE; the CLI's error line must be exactly AWS's, MESSAGE included
# (an empty MESSAGE checks the code only).
expect_error() {
	local code=$1 op=$2 msg=$3 err line
	shift 3
	if err=$("$@" 2>&1 >/dev/null); then
		fail "'$*' succeeded; want $code"
	fi
	line=$(printf '%s\n' "$err" | grep '^An error occurred' || true)
	local want="An error occurred ($code) when calling the $op operation: "
	case $line in
	"$want"*) ;;
	*) fail "'$*': want '$want...', got: $err" ;;
	esac
	if [ -n "$msg" ] && [ "$line" != "$want$msg" ]; then
		fail "'$*':
 got: $line
want: $want$msg"
	fi
	echo "denied: $code $op"
}

# save NAME...: record variables for the verify phase.
save() {
	local name
	for name in "$@"; do
		printf '%s=%s\n' "$name" "${!name}" >>"$SCENARIO_STATE"
	done
}

setup() {
	: >"$SCENARIO_STATE"
	expect_eq "$(root sts get-caller-identity --query Arn)" "$ARN:root" "root identity"

	# Root's one job: an IAM administrator with its own key.
	root iam create-user --user-name "$P-admin" >/dev/null
	root iam attach-user-policy --user-name "$P-admin" --policy-arn "$ADMIN_POLICY"
	local out
	out=$(root iam create-access-key --user-name "$P-admin" --query 'AccessKey.[AccessKeyId,SecretAccessKey]')
	read -r ADMIN_ID ADMIN_SECRET <<<"$out"
	save ADMIN_ID ADMIN_SECRET
	local caller
	caller=$(admin sts get-caller-identity --query Arn)
	echo "caller: $caller"
	expect_eq "$caller" "$ARN:user/$P-admin" "admin identity"

	# A developer with no permissions is denied exactly as AWS words it.
	admin iam create-user --user-name "$P-dev" >/dev/null
	out=$(admin iam create-access-key --user-name "$P-dev" --query 'AccessKey.[AccessKeyId,SecretAccessKey]')
	read -r DEV_ID DEV_SECRET <<<"$out"
	expect_error AccessDenied CreateUser \
		"User: $ARN:user/$P-dev is not authorized to perform: iam:CreateUser on resource: $ARN:user/$P-intruder because no identity-based policy allows the iam:CreateUser action" \
		dev iam create-user --user-name "$P-intruder"

	# Key rotation: a second key, the first deactivated (and refused), then deleted.
	out=$(admin iam create-access-key --user-name "$P-dev" --query 'AccessKey.[AccessKeyId,SecretAccessKey]')
	local new_id new_secret
	read -r new_id new_secret <<<"$out"
	admin iam update-access-key --user-name "$P-dev" --access-key-id "$DEV_ID" --status Inactive
	expect_error InvalidClientTokenId GetCallerIdentity "The security token included in the request is invalid." \
		dev sts get-caller-identity
	admin iam delete-access-key --user-name "$P-dev" --access-key-id "$DEV_ID"
	OLD_DEV_ID=$DEV_ID
	OLD_DEV_SECRET=$DEV_SECRET
	DEV_ID=$new_id
	DEV_SECRET=$new_secret
	save DEV_ID DEV_SECRET OLD_DEV_ID OLD_DEV_SECRET
	expect_eq "$(admin iam list-access-keys --user-name "$P-dev" --query 'AccessKeyMetadata[].AccessKeyId')" "$DEV_ID" "keys after rotation"
	expect_eq "$(dev sts get-caller-identity --query Arn)" "$ARN:user/$P-dev" "rotated key works"

	# The developer gets read access through a group.
	admin iam create-group --group-name "$P-devs" >/dev/null
	admin iam add-user-to-group --group-name "$P-devs" --user-name "$P-dev"
	admin iam create-policy --policy-name "$P-read" \
		--policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetUser","iam:ListUsers"],"Resource":"*"}]}' >/dev/null
	admin iam attach-group-policy --group-name "$P-devs" --policy-arn "$ARN:policy/$P-read"
	expect_eq "$(dev iam get-user --user-name "$P-admin" --query User.UserName)" "$P-admin" "developer reads through the group"

	# Lock-out: the administrator detaches its own AdministratorAccess...
	admin iam detach-user-policy --user-name "$P-admin" --policy-arn "$ADMIN_POLICY"
	expect_error AccessDenied GetUser \
		"User: $ARN:user/$P-admin is not authorized to perform: iam:GetUser on resource: $ARN:user/$P-admin because no identity-based policy allows the iam:GetUser action" \
		admin iam get-user --user-name "$P-admin"
	# ...and root, whom IAM policies do not govern, restores it.
	root iam attach-user-policy --user-name "$P-admin" --policy-arn "$ADMIN_POLICY"
	expect_eq "$(admin iam get-user --user-name "$P-admin" --query User.UserName)" "$P-admin" "administrator restored"
	echo "SETUP OK"
}

verify() {
	# shellcheck disable=SC1090
	. "$SCENARIO_STATE"
	expect_eq "$(admin sts get-caller-identity --query Arn)" "$ARN:user/$P-admin" "admin key after restart"
	expect_eq "$(admin iam list-attached-user-policies --user-name "$P-admin" --query 'AttachedPolicies[].PolicyArn')" "$ADMIN_POLICY" "admin policies after restart"
	expect_eq "$(admin iam get-group --group-name "$P-devs" --query 'Users[].UserName')" "$P-dev" "group after restart"
	expect_eq "$(dev iam get-user --user-name "$P-dev" --query User.Arn)" "$ARN:user/$P-dev" "developer key and group policy after restart"
	expect_error InvalidClientTokenId GetCallerIdentity "The security token included in the request is invalid." \
		as "$OLD_DEV_ID" "$OLD_DEV_SECRET" sts get-caller-identity
	echo "VERIFY OK"
}

case $phase in
setup) setup ;;
verify) verify ;;
*) fail "unknown phase $phase" ;;
esac
