# Sourced by OCI script tests (from the top of the tree): checks what they
# need (else exit 77), makes $tmp (state under $tmp/state, removed with
# every container left on exit), and defines fail, cv (cvisor with that
# state root, under a timeout) and need_static_busybox.
CVISOR=${CVISOR:-$PWD/build/cvisor}
[ -x "$CVISOR" ] || { echo "build/cvisor is not built"; exit 77; }
command -v python3 >/dev/null || { echo "python3 is needed"; exit 77; }
need_static_busybox() {
	[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 ||
		{ echo "busybox-static is needed for the rootfs"; exit 77; }
}
tmp=$(mktemp -d)
cleanup() {
	for id in $("$CVISOR" --root "$tmp/state" list -q 2>/dev/null); do
		"$CVISOR" --root "$tmp/state" delete --force "$id" >/dev/null 2>&1
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
cv() { timeout 60 "$CVISOR" --root "$tmp/state" "$@"; }
