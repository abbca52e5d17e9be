#!/bin/bash
# Container start to exit through each client (a direct `RUNTIME run`,
# Podman, containerd's ctr, Docker) with runc, crun, runsc and cvisor, in one
# run; prints a Markdown table of medians (ms) with cvisor's ratios to crun
# and runsc, and appends it to $BENCH_OUT if set. Called by bench/run.sh.
#
#   BENCH_RUNS=5                      runs per cell (the median is reported)
#   BENCH_CLIENTS="direct podman ctr docker"   a subset of clients
#   BENCH_RUNTIMES="runc crun runsc cvisor"    a subset of runtimes (NO_RUNSC=1
#                                     drops runsc, as in bench/run.sh)
# Clients missing from the machine are installed from Debian's packages
# (as the tests do: tests/oci/lib/client_setup.bash); one that cannot run
# shows as n/a. runsc runs with --platform=ptrace --network=none (gVisor's
# kvm platform hangs on this machine's nested KVM). Targets (issue 4): cvisor
# within 1.2x of crun in every client and at least 2x faster than runsc.
set -u
cd "$(dirname "$0")/.."
B=${BUILD:-build}
CVISOR=${CVISOR:-$PWD/$B/cvisor}
RUNS=${BENCH_RUNS:-5}
CLIENTS=${BENCH_CLIENTS:-direct podman ctr docker}
RUNTIMES=${BENCH_RUNTIMES:-runc crun runsc cvisor}
[ -z "${NO_RUNSC:-}" ] || RUNTIMES=${RUNTIMES/runsc/}
[ "$(id -u)" = 0 ] || {
	echo "bench/clients: the clients need root; skipped" >&2
	exit 0
}
source tests/oci/lib/client_setup.bash
W=$T
mkdir -p "$W/bin"

# The runtimes: NAME -> binary; runsc through a wrapper with its flags
# (the containerd shim passes no runtime flags).
declare -A bin
bin[cvisor]=$CVISOR
for rt in runc crun runsc; do
	[[ " $RUNTIMES " == *" $rt "* ]] || continue
	install_client $rt $rt 2>/dev/null || echo "bench/clients: $WHY" >&2
	command -v $rt >/dev/null && bin[$rt]=$(command -v $rt)
done
if [ -n "${bin[runsc]:-}" ]; then
	printf '#!/bin/sh\nexec %s --platform=ptrace --network=none "$@"\n' "${bin[runsc]}" \
		>"$W/bin/runsc"
	chmod +x "$W/bin/runsc"
	bin[runsc]=$W/bin/runsc
fi

# The root, two bundles (true, echo hi) and the image.
make_rootfs "$W/rootfs" || {
	echo "bench/clients: $WHY" >&2
	exit 0
}
for cmd in true echo; do
	mkdir -p "$W/b-$cmd"
	(cd "$W/b-$cmd" && "$CVISOR" spec >/dev/null)
	python3 - "$W/b-$cmd/config.json" "$W/rootfs" $cmd <<'PY'
import json, sys
p, root, cmd = sys.argv[1:]
d = json.load(open(p))
d["root"] = {"path": root, "readonly": False}
d["process"]["terminal"] = False
d["process"]["args"] = ["/bin/true"] if cmd == "true" else ["/bin/echo", "hi"]
json.dump(d, open(p, "w"))
PY
done
tar -C "$W/rootfs" -cf "$W/rootfs.tar" .
IMG=localhost/cvisor-bench

# crun refuses the hybrid cgroup layout until hugetlb is a v1 hierarchy
# (../shared/CLIENTS.md); mount it for this run.
if [ -n "${bin[crun]:-}" ] && ! timeout 30 "${bin[crun]}" --root "$W/crun-probe" run \
	--bundle "$W/b-true" probe </dev/null >/dev/null 2>&1 &&
	grep -qw hugetlb /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null &&
	! mountpoint -q /sys/fs/cgroup/hugetlb; then
	echo "bench/clients: mounting the hugetlb cgroup (v1) for crun" >&2
	mkdir -p /sys/fs/cgroup/hugetlb &&
		mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb &&
		at_exit "umount /sys/fs/cgroup/hugetlb; rmdir /sys/fs/cgroup/hugetlb"
fi

# Client setup; a client that cannot run is dropped with the reason.
declare -A why
for c in $CLIENTS; do
	case $c in
	podman)
		install_client podman podman conmon && podman_setup &&
			podman import -q "$W/rootfs.tar" $IMG >/dev/null 2>"$W/err" ||
			why[$c]=${WHY:-podman import: $(tail -n 1 "$W/err")}
		;;
	ctr)
		install_client containerd containerd ctr && containerd_start || why[$c]=$WHY
		;;
	docker)
		args=()
		for rt in $RUNTIMES; do
			[ $rt != runc ] && [ -n "${bin[$rt]:-}" ] && args+=("$rt=${bin[$rt]}")
		done
		install_client docker.io $DOCKER $DOCKERD && docker_config "${args[@]}" &&
			dockerd_start && dk import "$W/rootfs.tar" $IMG >/dev/null 2>"$W/err" ||
			why[$c]=${WHY:-docker import: $(tail -n 1 "$W/err")}
		;;
	esac
done

n=0
# one CLIENT RUNTIME CMD: prints the start-to-exit time in ms, or nothing
one() {
	local c=$1 rt=$2 cmd=$3 p=${bin[$2]} s e argv
	n=$((n + 1))
	[ $cmd = true ] && argv=(true) || argv=(echo hi)
	s=$(date +%s%N)
	case $c in
	direct) timeout 60 "$p" --root "$W/root-$rt" run --bundle "$W/b-$cmd" "c$n" ;;
	podman) timeout 60 podman --runtime "$p" run --rm --network none $IMG "${argv[@]}" ;;
	ctr) ctrd run --rm --runc-binary "$p" --rootfs "$W/rootfs" "c$n" "/bin/${argv[0]}" "${argv[@]:1}" ;;
	docker) dk run --rm --runtime="$rt" --network none $IMG "${argv[@]}" ;;
	esac </dev/null >"$W/out" 2>>"$W/$rt.err" || return
	e=$(date +%s%N)
	[ "$(cat "$W/out")" = "$([ $cmd = echo ] && echo hi)" ] || return
	awk -v d=$((e - s)) 'BEGIN { printf "%.1f\n", d / 1e6 }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f\n", a / b; else print "-" }'; }

{
	echo
	echo "## Container start to exit through each client (ms)"
	echo
	echo "$(date -u '+%F %T UTC'), $(uname -r), $(nproc) CPUs, median of $RUNS runs" \
		"(runs interleaved across runtimes, one warm-up run per cell discarded)"
	echo
	printf '| client | command |'
	for rt in $RUNTIMES; do printf ' %s |' $rt; done
	echo ' cvisor/crun | runsc/cvisor |'
	printf '| --- | --- |'
	for rt in $RUNTIMES; do printf ' ---: |'; done
	echo ' ---: | ---: |'
} | tee -a "${BENCH_OUT:-/dev/null}"
verdict=""
for c in $CLIENTS; do
	for cmd in true echo; do
		label=$([ $cmd = true ] && echo true || echo "echo hi")
		if [ -n "${why[$c]:-}" ]; then
			echo "| $c | $label | n/a: ${why[$c]} |" | tee -a "${BENCH_OUT:-/dev/null}"
			continue
		fi
		declare -A vals=()
		for rt in $RUNTIMES; do
			[ -n "${bin[$rt]:-}" ] && one $c $rt $cmd >/dev/null # warm-up
		done
		for ((i = 0; i < RUNS; i++)); do
			for rt in $RUNTIMES; do
				[ -n "${bin[$rt]:-}" ] || continue
				v=$(one $c $rt $cmd) && [ -n "$v" ] && vals[$rt]+="$v"$'\n'
			done
		done
		declare -A med=()
		line="| $c | $label |"
		for rt in $RUNTIMES; do
			med[$rt]=$(printf '%s' "${vals[$rt]:-}" | median)
			line+=" ${med[$rt]:-fail} |"
		done
		rc=$(ratio "${med[cvisor]:-}" "${med[crun]:-}")
		rs=$(ratio "${med[runsc]:-}" "${med[cvisor]:-}")
		echo "$line $rc | $rs |" | tee -a "${BENCH_OUT:-/dev/null}"
		# a ratio that could not be measured ("-") is not a miss
		awk -v x="$rc" 'BEGIN { exit !(x == "-" || x <= 1.2) }' ||
			verdict+="$c $label: cvisor/crun $rc; "
		awk -v x="$rs" 'BEGIN { exit !(x == "-" || x >= 2) }' ||
			verdict+="$c $label: runsc/cvisor $rs; "
		unset vals med
	done
done
{
	echo
	if [ -z "$verdict" ]; then
		echo "Targets (cvisor/crun <= 1.2, runsc/cvisor >= 2): met in every row measured."
	else
		echo "Targets (cvisor/crun <= 1.2, runsc/cvisor >= 2) missed: ${verdict%; }"
	fi
} | tee -a "${BENCH_OUT:-/dev/null}"
for rt in $RUNTIMES; do
	[ -s "$W/$rt.err" ] && { echo "bench/clients: $rt stderr (last lines):"; tail -n 3 "$W/$rt.err"; } >&2
done
exit 0
