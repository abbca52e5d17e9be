# Shared by the real-client tests tests/oci/{podman,containerd,docker}.sh
# (sourced, not run); client setup is in client_setup.bash (also used by
# bench/clients.sh).
#
#   need_client PKG BIN...   install_client, or skip the test with the reason
#   make_rootfs_tar DIR TAR  make_rootfs DIR, then the same root as a tarball
#   cvisor_has FEATURE       exec | terminal | install: cvisor has it
#   gate FEATURE WHAT        true if cvisor has FEATURE; else records WHAT
#                            as not run (printed by finish)
#   check NAME CMD...        runs CMD (stdin /dev/null), output in $OUT,
#                            status in $RC, last lines of stderr in $ERR
#   expect_out NAME WANT / expect_rc NAME WANT   compare $OUT / $RC
#   expect_sentry            $OUT is `uname -r` from cvisor's Sentry
#   finish                   prints the verdict and exits 0 or 1
#
# Everything a test makes lives under $T (mode 755), which the exit trap
# unmounts and removes.
set -u
CLIENTS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
CVISOR=${CVISOR:-$CLIENTS_ROOT/build/cvisor}
source "$CLIENTS_ROOT/tests/oci/lib/client_setup.bash"
failures=0
not_run=()

note() { printf '# %s\n' "$*"; }
skip() {
	echo "$*"
	exit 77
}
bad() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
good() { echo "ok - $*"; }

[ -x "$CVISOR" ] || skip "build/cvisor is not built"
[ "$(id -u)" = 0 ] || skip "the real clients need root"

need_client() { install_client "$@" || skip "$WHY"; }

make_rootfs_tar() {
	make_rootfs "$1" || skip "$WHY"
	tar -C "$1" -cf "$2" .
}

# What cvisor can do today; other branches add exec, terminals and install.
cvisor_has() {
	case $1 in
	exec | install)
		# a command cvisor lacks is "unknown"; one it has may refuse these
		# args. install gets a file of ours: its default is Docker's own.
		! "$CVISOR" --root "$T/probe" "$1" --config-file "$T/probe.json" </dev/null 2>&1 |
			grep -q 'unknown command'
		;;
	terminal)
		# without terminal support create refuses --console-socket outright
		! "$CVISOR" --root "$T/probe" create --console-socket "$T/none" \
			--bundle "$T/none" probe 2>&1 | grep -q 'not supported'
		;;
	*) return 1 ;;
	esac
}

gate() {
	cvisor_has "$1" && return 0
	not_run+=("$2 (cvisor has no $1 yet)")
	note "not run: $2 (cvisor has no $1 yet)"
	return 1
}

OUT="" RC=0 ERR=""
check() {
	local name=$1
	shift
	OUT=$("$@" </dev/null 2>"$T/check.err")
	RC=$?
	ERR=$(tail -n 5 "$T/check.err")
}
expect_rc() {
	if [ "$RC" = "$2" ]; then good "$1"; else bad "$1: exit status $RC, want $2; output '$OUT'; stderr: $ERR"; fi
}
expect_sentry() {
	if [[ $OUT == *cvisor ]]; then
		good "the container runs on the Sentry"
	else
		bad "uname -r says '$OUT' (status $RC): not cvisor's Sentry; stderr: $ERR"
	fi
}
expect_out() {
	if [ "$OUT" = "$2" ] && [ "$RC" = 0 ]; then
		good "$1"
	else
		bad "$1: output '$OUT' (status $RC), want '$2'; stderr: $ERR"
	fi
}

finish() {
	local w
	if [ ${#not_run[@]} -gt 0 ]; then
		echo "checks not run:"
		for w in "${not_run[@]}"; do echo "  $w"; done
	fi
	if [ $failures -gt 0 ]; then
		echo "$failures check(s) failed"
		exit 1
	fi
	echo "all checks passed"
	exit 0
}
