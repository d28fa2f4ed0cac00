#!/bin/sh
# make image-test, after make image: takes the gatehouse binary out of
# the image $IMAGE (a container is created, never started: this sandbox
# cannot start containers), checks the image's configuration, and runs
# the end-to-end smoke tests against that binary.
set -eu
: "${IMAGE:?}" "${PODMAN:=podman}" "${GO:=go}"
dir=$(mktemp -d)
cid=""
cleanup() {
	[ -n "$cid" ] && $PODMAN rm "$cid" >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap cleanup EXIT

# The configuration docs/README promise: a non-root numeric user, the data
# volume, the port, the health check, and serve on 0.0.0.0:4590.
want() {
	got=$($PODMAN image inspect --format "$1" "$IMAGE")
	if [ "$got" != "$2" ]; then
		echo "image-test: $IMAGE: $1 is $got, want $2" >&2
		exit 1
	fi
}
want '{{.Config.User}}' '65532:65532'
want '{{json .Config.Volumes}}' '{"/data":{}}'
want '{{json .Config.ExposedPorts}}' '{"4590/tcp":{}}'
want '{{json .Config.Entrypoint}}' '["/gatehouse"]'
want '{{json .Config.Cmd}}' '["serve","--addr","0.0.0.0:4590","--data","/data"]'
want '{{json .Config.Healthcheck.Test}}' '["CMD","/gatehouse","health","--addr","127.0.0.1:4590"]'

cid=$($PODMAN create "$IMAGE")
$PODMAN cp "$cid:/gatehouse" "$dir/gatehouse"
# A static binary: it runs on scratch, with no loader or libc.
if ldd "$dir/gatehouse" >/dev/null 2>&1; then
	echo "image-test: the image's binary is dynamically linked" >&2
	exit 1
fi
"$dir/gatehouse" version
GATEHOUSE_BIN="$dir/gatehouse" $GO test -count=1 -run '^(TestSmoke|TestRestart)$' ./e2e
