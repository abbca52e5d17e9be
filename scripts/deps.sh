#!/bin/sh
# Installs, from Debian's packages, whatever the build and the tests need and
# the machine lacks. Idempotent: does nothing when all is there.
set -e
PKGS="gcc make pkg-config libseccomp-dev libcmocka-dev libjansson-dev clang
libclang-rt-14-dev clang-format python3 perl coreutils findutils tar gawk
sed grep bash strace diod busybox-static iproute2"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: need root to install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
