#!/usr/bin/env bash
# sessions.sh run: MFA and temporary credentials with the aws CLI v1.
#
# Root creates the user cli-dev (an access key; it may assume roles and
# manage its own MFA device) and the role cli-ops (trusts the account,
# with MFA only; IAMReadOnlyAccess). cli-dev creates a virtual MFA device
# and enables it with two consecutive TOTP codes, is refused cli-ops
# without MFA, gets an MFA session with a fresh code (a reused code is
# refused), assumes cli-ops with it, lists users and is refused CreateUser
# word for word.
#
# TOTP codes are computed here by a python3 one-liner (hmac, struct,
# base64: no extra package) from the seed file the CLI writes.
#
# Environment (set by sessions_test.go):
#   AWS_CLI                 the aws executable to run (v1)
#   AWS_ENDPOINT_URL        the server, e.g. http://127.0.0.1:4590
#   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY   the root user's key
#   AWS_DEFAULT_REGION      any region of the account's partition
#   ACCOUNT_ID              the account's 12-digit ID
#   SCENARIO_STATE          file where the secrets used are left for the test
#
# It prints one line per step and "SESSIONS OK" at the end; any failure
# prints "FAIL: ..." on stderr and exits 1.
set -euo pipefail

phase=${1:?usage: sessions.sh run}
: "${AWS_CLI:?}" "${AWS_ENDPOINT_URL:?}" "${ACCOUNT_ID:?}" "${SCENARIO_STATE:?}"
ROOT_ID=$AWS_ACCESS_KEY_ID
ROOT_SECRET=$AWS_SECRET_ACCESS_KEY
unset AWS_SESSION_TOKEN
ARN=arn:aws:iam::$ACCOUNT_ID
ROLE_ARN=$ARN:role/cli-ops
SERIAL=$ARN:mfa/cli-dev
SEED_FILE=$(dirname "$SCENARIO_STATE")/cli-dev.seed

# The user's policy: assume roles, manage its own MFA device.
DEV_POLICY='{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"},
 {"Effect":"Allow","Action":"iam:*MFA*","Resource":["arn:aws:iam::'$ACCOUNT_ID':mfa/${aws:username}","arn:aws:iam::'$ACCOUNT_ID':user/${aws:username}"]},
 {"Effect":"Allow","Action":"iam:CreateVirtualMFADevice","Resource":"arn:aws:iam::'$ACCOUNT_ID':mfa/*"}]}'
# The role's trust policy: the account, with MFA.
TRUST='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"'$ACCOUNT_ID'"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}'

# as ID SECRET TOKEN ARGS...: run the aws CLI with these credentials (an
# empty TOKEN for long-term keys).
as() {
	local id=$1 secret=$2 token=$3
	shift 3
	if [ -n "$token" ]; then
		AWS_ACCESS_KEY_ID=$id AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=$token \
			"$AWS_CLI" --endpoint-url "$AWS_ENDPOINT_URL" --output text "$@"
	else
		AWS_ACCESS_KEY_ID=$id AWS_SECRET_ACCESS_KEY=$secret \
			"$AWS_CLI" --endpoint-url "$AWS_ENDPOINT_URL" --output text "$@"
	fi
}
root() { as "$ROOT_ID" "$ROOT_SECRET" "" "$@"; }
dev() { as "$DEV_ID" "$DEV_SECRET" "" "$@"; }
mfa_session() { as "$SESSION_ID" "$SESSION_SECRET" "$SESSION_TOKEN" "$@"; }
role() { as "$ROLE_ID" "$ROLE_SECRET" "$ROLE_TOKEN" "$@"; }

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
# error CODE and exactly AWS's error line (an empty MESSAGE checks the
# code only).
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

# save NAME...: record variables for the test.
save() {
	local name
	for name in "$@"; do
		printf '%s=%s\n' "$name" "${!name}" >>"$SCENARIO_STATE"
	done
}

# step: the current TOTP time step (30 s since the epoch).
step() { echo $(($(date +%s) / 30)); }

# code STEP: the TOTP code (RFC 6238, SHA-1, 6 digits) of time step STEP
# for the seed in SEED_FILE.
code() {
	python3 -c 'import base64,hashlib,hmac,struct,sys;s=open(sys.argv[1]).read().strip().rstrip("=");k=base64.b32decode(s+"="*(-len(s)%8));h=hmac.new(k,struct.pack(">Q",int(sys.argv[2])),hashlib.sha1).digest();o=h[-1]&15;print("%06d"%((struct.unpack(">I",h[o:o+4])[0]&0x7fffffff)%1000000))' "$SEED_FILE" "$1"
}

run() {
	: >"$SCENARIO_STATE"
	local out

	# 1. Root sets up the user and the role.
	root iam create-user --user-name cli-dev >/dev/null
	root iam put-user-policy --user-name cli-dev --policy-name mfa-and-roles --policy-document "$DEV_POLICY"
	out=$(root iam create-access-key --user-name cli-dev --query 'AccessKey.[AccessKeyId,SecretAccessKey]')
	read -r DEV_ID DEV_SECRET <<<"$out"
	save DEV_ID DEV_SECRET
	root iam create-role --role-name cli-ops --assume-role-policy-document "$TRUST" >/dev/null
	root iam attach-role-policy --role-name cli-ops --policy-arn arn:aws:iam::aws:policy/IAMReadOnlyAccess
	expect_eq "$(dev sts get-caller-identity --query Arn)" "$ARN:user/cli-dev" "cli-dev identity"

	# 2. A virtual MFA device, enabled with two consecutive codes.
	out=$(dev iam create-virtual-mfa-device --virtual-mfa-device-name cli-dev \
		--outfile "$SEED_FILE" --bootstrap-method Base32StringSeed --query VirtualMFADevice.SerialNumber)
	save SEED_FILE
	echo "serial: $out"
	expect_eq "$out" "$SERIAL" "serial number"
	[ -s "$SEED_FILE" ] || fail "no seed in $SEED_FILE"
	local qr=${SEED_FILE%.seed}.png
	dev iam create-virtual-mfa-device --virtual-mfa-device-name cli-dev-qr \
		--outfile "$qr" --bootstrap-method QRCodePNG >/dev/null
	[ "$(head -c 8 "$qr" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "QR code file is not a PNG"
	echo "ok: QR code is a PNG"
	root iam delete-virtual-mfa-device --serial-number "$ARN:mfa/cli-dev-qr"

	local n c1 c2
	n=$(step)
	c1=$(code "$n")
	c2=$(code $((n + 1)))
	if [ "$c1" != "$c2" ]; then
		expect_error InvalidAuthenticationCode EnableMFADevice "Authentication code for device is not valid." \
			dev iam enable-mfa-device --user-name cli-dev --serial-number "$SERIAL" \
			--authentication-code1 "$c2" --authentication-code2 "$c1"
	else
		expect_error InvalidAuthenticationCode EnableMFADevice "Authentication code for device is not valid." \
			dev iam enable-mfa-device --user-name cli-dev --serial-number "$SERIAL" \
			--authentication-code1 000000 --authentication-code2 000000
	fi
	dev iam enable-mfa-device --user-name cli-dev --serial-number "$SERIAL" \
		--authentication-code1 "$c1" --authentication-code2 "$c2"
	expect_eq "$(dev iam list-mfa-devices --query 'MFADevices[].SerialNumber')" "$SERIAL" "MFA device enabled"

	# 3. Without MFA the trust policy refuses cli-dev.
	expect_error AccessDenied AssumeRole \
		"User: $ARN:user/cli-dev is not authorized to perform: sts:AssumeRole on resource: $ROLE_ARN because no role trust policy allows the sts:AssumeRole action" \
		dev sts assume-role --role-arn "$ROLE_ARN" --role-session-name no-mfa

	# 4. An MFA session: the code that enabled the device is used up; the
	# next step's is fresh once the clock has reached step n+1.
	expect_error AccessDenied GetSessionToken "MultiFactorAuthentication failed with invalid MFA one time pass code." \
		dev sts get-session-token --serial-number "$SERIAL" --token-code "$c2"
	while [ "$(step)" -le "$n" ]; do sleep 0.2; done
	sleep 0.1
	local s fresh
	s=$(step)
	[ "$s" -ge $((n + 2)) ] || s=$((n + 2))
	fresh=$(code "$s")
	out=$(dev sts get-session-token --serial-number "$SERIAL" --token-code "$fresh" \
		--query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]')
	read -r SESSION_ID SESSION_SECRET SESSION_TOKEN <<<"$out"
	save SESSION_SECRET SESSION_TOKEN
	[ -n "$SESSION_TOKEN" ] || fail "GetSessionToken returned no session token"
	echo "session: ${SESSION_ID:0:4}"
	expect_error AccessDenied GetSessionToken "MultiFactorAuthentication failed with invalid MFA one time pass code." \
		dev sts get-session-token --serial-number "$SERIAL" --token-code "$fresh"

	out=$(mfa_session sts assume-role --role-arn "$ROLE_ARN" --role-session-name cli-session \
		--query '[AssumedRoleUser.Arn,Credentials.AccessKeyId,Credentials.SecretAccessKey,Credentials.SessionToken]')
	local assumed
	read -r assumed ROLE_ID ROLE_SECRET ROLE_TOKEN <<<"$out"
	save ROLE_SECRET ROLE_TOKEN
	echo "assumed: $assumed"
	out=$(role sts get-caller-identity --query '[Arn,UserId]')
	local caller uid
	read -r caller uid <<<"$out"
	echo "caller: $caller"
	expect_eq "$caller" "arn:aws:sts::$ACCOUNT_ID:assumed-role/cli-ops/cli-session" "role session identity"
	case $uid in
	AROA*:cli-session) echo "ok: role session UserId" ;;
	*) fail "role session UserId '$uid', want AROA...:cli-session" ;;
	esac
	role iam list-users --query 'Users[].UserName' | grep -qw cli-dev || fail "the role session does not list cli-dev"
	echo "ok: role session lists users"
	expect_error AccessDenied CreateUser \
		"User: arn:aws:sts::$ACCOUNT_ID:assumed-role/cli-ops/cli-session is not authorized to perform: iam:CreateUser on resource: $ARN:user/cli-intruder because no identity-based policy allows the iam:CreateUser action" \
		role iam create-user --user-name cli-intruder
	echo "SESSIONS OK"
}

case $phase in
run) run ;;
*) fail "unknown phase $phase" ;;
esac
