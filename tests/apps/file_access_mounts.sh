#!/bin/bash
# Container files through the Gofer, in both file access modes (9P, the
# default, and --file-access=direct): bind mounts write through to the host
# and a read-only one refuses (EROFS); a change made on the host while the
# sandbox runs is seen inside (revalidation); --overlay=none writes the
# rootfs through unless config.json marks it read-only; symlinks and `..`
# planted in a bind mount (by the container or the host) never lead outside
# it; a soft fd limit of 1024 does not break a walk of /usr. The rootfs
# is a fresh directory with the host's /usr bound read-only,
# so nothing else of the host is inside.
. "$(dirname "$0")/lib/common.bash"
need_cvisor
command -v python3 >/dev/null || skip "python3 is needed to edit config.json"

bundle=$T/bundle rootfs=$T/bundle/rootfs host=$T/host
mkdir -p "$rootfs"/{usr,etc,tmp} "$host/sub"
for l in bin lib lib64 sbin; do [ -L "/$l" ] && ln -s "usr/$l" "$rootfs/$l"; done
echo marker >"$rootfs/etc/motd"
echo secret-outside >"$T/secret"
echo v1 >"$host/f"
"$CVISOR" spec --bundle "$bundle" >/dev/null || bad "spec"
cp "$bundle/config.json" "$T/config.orig"

# config 'python on d' ARGS...: config.json with the process args and edits.
config() {
	local py=$1
	shift
	python3 - "$T/config.orig" "$bundle/config.json" "$py" "$@" <<'PY' || bad "config edit"
import json, sys
d = json.load(open(sys.argv[1]))
d["process"]["terminal"] = False
d["process"]["args"] = sys.argv[4:]
d["root"]["readonly"] = False
d["mounts"].append({"destination": "/usr", "type": "bind", "source": "/usr", "options": ["rbind", "ro"]})
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"))
PY
}
bind_rw="d['mounts'].append({'destination':'/data','type':'bind','source':'$host','options':['rbind','rw']})"
bind_ro="d['mounts'].append({'destination':'/ro','type':'bind','source':'$host','options':['rbind','ro']})"
# run MODE [GLOBAL-OPTS...]: runs the configured container; $OUT, $RC.
run() {
	local mode=$1
	shift
	OUT=$(timeout 120 "$CVISOR" --root "$T/state" --file-access="$mode" "$@" run --bundle "$bundle" "c$$" </dev/null 2>"$T/err")
	RC=$?
}

for mode in gofer direct; do
	note "mode $mode"
	rm -rf "${host:?}"/* && mkdir "$host/sub" && echo v1 >"$host/f"

	# write-through: create, append, mkdir, rename, symlink, chmod, remove
	config "$bind_rw" sh -c 'echo new >/data/n && echo more >>/data/f && mkdir /data/d && mv /data/n /data/d/m && ln -s d/m /data/l && chmod 600 /data/f && rmdir /data/sub && cat /data/l'
	run $mode
	[ "$RC" = 0 ] && [ "$OUT" = new ] || bad "$mode: writes in a bind mount: rc $RC, out '$OUT': $(tail -3 "$T/err")"
	[ "$(cat "$host/d/m" 2>/dev/null)" = new ] || bad "$mode: a created+renamed file did not reach the host"
	[ "$(cat "$host/f")" = "v1
more" ] || bad "$mode: an append did not reach the host"
	[ "$(readlink "$host/l")" = d/m ] || bad "$mode: a symlink did not reach the host"
	[ "$(stat -c %a "$host/f")" = 600 ] || bad "$mode: chmod did not reach the host"
	[ ! -e "$host/sub" ] || bad "$mode: rmdir did not reach the host"

	# read-only bind mount: EROFS, nothing changes
	config "$bind_ro" sh -c 'cat /ro/d/m; echo x >/ro/new; mkdir /ro/nd; rm /ro/f; true'
	run $mode
	[ "$RC" = 0 ] && [ "$OUT" = new ] || bad "$mode: read-only bind mount read: rc $RC, out '$OUT'"
	[ "$(grep -c 'Read-only file system' "$T/err")" = 3 ] || bad "$mode: read-only bind mount writes not refused with EROFS: $(cat "$T/err")"
	[ ! -e "$host/new" ] && [ ! -e "$host/nd" ] && [ -e "$host/f" ] || bad "$mode: a read-only bind mount changed the host"

	# revalidation: the host rewrites, replaces and adds files while the
	# sandbox runs; the sandbox read and listed them before.
	echo v1 >"$host/f" && echo r1 >"$host/r" && rm -f "$host/go"
	config "$bind_rw" sh -c 'cat /data/f /data/r; ls /data >/dev/null; n=0; while [ ! -e /data/go ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n+1)); done; cat /data/f /data/r /data/added; stat -c %s /data/f'
	(
		sleep 1
		echo v2-longer >"$host/f"
		echo r2 >"$host/r.new" && mv "$host/r.new" "$host/r"
		echo added >"$host/added"
		touch "$host/go"
	) &
	run $mode
	wait
	[ "$OUT" = "v1
r1
v2-longer
r2
added
10" ] || bad "$mode: host changes not seen inside: rc $RC, out '$OUT'"

	# escapes: symlinks and `..` planted by the container and by the host
	ln -sfn "$T" "$host/abs-out" && ln -sfn ../secret "$host/rel-out"
	config "$bind_rw" sh -c 'ln -s ../../secret /data/planted; cat /data/planted /data/rel-out /data/abs-out/secret /data/../secret /data/sub/../../secret 2>/dev/null; ls /data/abs-out/ 2>/dev/null; true'
	run $mode
	case $OUT in *secret-outside*) bad "$mode: a symlink or .. led outside the bind mount: '$OUT'" ;; esac
	[ "$(readlink "$host/planted")" = ../../secret ] || bad "$mode: the planted symlink was not made"
	rm -f "$host/planted" "$host/abs-out" "$host/rel-out"
	# ... and a race: the host swaps a directory for symlinks out of the
	# mount while the sandbox keeps reading a file beneath it
	mkdir -p "$host/race" "$T/out/race" && echo inside >"$host/race/f" && echo secret-outside >"$T/out/race/f"
	config "$bind_rw" sh -c 'for i in $(seq 300); do cat /data/race/f 2>/dev/null; done; true'
	(
		end=$((SECONDS + 30))
		while [ ! -e "$T/race.stop" ] && [ $SECONDS -lt $end ]; do
			mv "$host/race" "$host/race.x" && ln -s "$T/out/race" "$host/race" && rm "$host/race" &&
				ln -s ../out/race "$host/race" && rm "$host/race" && mv "$host/race.x" "$host/race"
		done
	) &
	run $mode
	touch "$T/race.stop" && wait && rm -f "$T/race.stop"
	case $OUT in *secret-outside*) bad "$mode: a host-side symlink race led outside the bind mount" ;; esac
	[[ $OUT == *inside* ]] || bad "$mode: the race test never read the file: rc $RC, $(tail -3 "$T/err")"
	rm -rf "$host/race" "$host/race.x" "$T/out"

	# --overlay=none: the rootfs is written through, unless marked read-only
	config "" sh -c 'echo through >/etc/written && rm /etc/motd && cat /etc/written'
	run $mode --overlay=none
	[ "$RC" = 0 ] && [ "$OUT" = through ] || bad "$mode: --overlay=none write: rc $RC, out '$OUT': $(tail -3 "$T/err")"
	[ "$(cat "$rootfs/etc/written" 2>/dev/null)" = through ] && [ ! -e "$rootfs/etc/motd" ] ||
		bad "$mode: --overlay=none did not write the rootfs through"
	rm -f "$rootfs/etc/written" && echo marker >"$rootfs/etc/motd"
	config "d['root']['readonly'] = True" sh -c 'echo x >/etc/written'
	run $mode --overlay=none
	[ "$RC" != 0 ] && grep -q 'Read-only file system' "$T/err" && [ ! -e "$rootfs/etc/written" ] ||
		bad "$mode: --overlay=none with a read-only root: rc $RC, $(cat "$T/err")"
	config "" sh -c 'echo x >/etc/written && cat /etc/written'
	run $mode
	[ "$OUT" = x ] && [ ! -e "$rootfs/etc/written" ] || bad "$mode: the memory overlay wrote the rootfs"

	# `do --overlay=none`: the host's root stays read-only
	out=$("$CVISOR" --file-access=$mode --overlay=none do sh -c "echo x >$T/do-written" 2>&1 </dev/null)
	[ ! -e "$T/do-written" ] && [[ $out == *"Read-only file system"* ]] || bad "$mode: do --overlay=none: $out"
	# every cached file holds an fd (Gofer, and Sentry in direct mode): a
	# soft limit of 1024, systemd's default, must not break a big walk
	if [ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 20000 ]; then
		(ulimit -Sn 1024 && timeout 300 "$CVISOR" --file-access=$mode do find /usr >/dev/null 2>"$T/find.err" </dev/null) ||
			bad "$mode: find /usr with a soft fd limit of 1024: $(tail -n 2 "$T/find.err")"
	fi
	[ $failures = 0 ] && echo "ok - $mode"
done
finish
