#!/bin/bash
# What real clients ask of the CLI beyond the plain lifecycle, as runc does
# it: a forced delete of a container that does not exist (or whose create
# died half way) succeeds and removes what is left.
cd "$(dirname "$0")/../.."
CVISOR=${CVISOR:-$PWD/build/cvisor}
[ -x "$CVISOR" ] || { echo "build/cvisor is not built"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cv() { timeout 60 "$CVISOR" --root "$tmp/state" "$@"; }

# delete --force: nothing there, or a directory without state.json.
cv delete --force nothere 2>"$tmp/err" || fail "delete --force of a missing container: $(cat "$tmp/err")"
cv delete nothere 2>/dev/null && fail "delete (no --force) of a missing container succeeded"
mkdir -p "$tmp/state/half"
cv delete --force half 2>"$tmp/err" || fail "delete --force of a half-made container: $(cat "$tmp/err")"
[ ! -e "$tmp/state/half" ] || fail "delete --force left the half-made container's directory"
echo "all checks passed"
