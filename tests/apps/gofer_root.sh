#!/bin/bash
# `cvisor --file-access=gofer do` (the default): the root's lower layer
# comes from a Gofer over 9P. Real programs compared with native runs; writes
# inside stay in the memory overlay; the Gofer is running during the sandbox
# and gone after it; a Gofer that dies mid-run gives errors, not a crash.
. "$(dirname "$0")/lib/common.bash"
. tests/lib/sentry.sh
need_cvisor
REAL=$CVISOR
CVISOR=$T/cvisor-gofer
printf '#!/bin/sh\nexec "%s" --file-access=gofer "$@"\n' "$REAL" >"$CVISOR"
chmod 755 "$CVISOR"

compare sh_pipeline sh -c 'echo "b a c" | tr " " "\n" | sort | uniq -c | wc -l; seq 1 500 | paste -sd+ | bc 2>/dev/null || true'
compare ls_usr_bin sh -c 'ls -la /usr/bin | sed -n 2,40p'
compare ls_etc ls -a /etc
compare os_release cat /etc/os-release
compare readlink readlink /proc/self/../../usr/bin/sh /bin
compare dynamic_binary /usr/bin/env -i /usr/bin/sort /etc/passwd
compare find_include sh -c 'find /usr/include | wc -l'
compare checksum sh -c 'cat /usr/bin/ls | sha256sum'
if command -v python3 >/dev/null; then
	compare python3 python3 -c 'import os, json, hashlib; print(json.dumps(sorted(os.listdir("/usr"))), hashlib.sha1(open("/usr/bin/python3","rb").read()).hexdigest())'
fi

# writes stay inside (the lower layer is the Gofer's read-only export)
V=$T/victim
mkdir "$V"
echo original >"$V/keep.txt"
id=cvisor-gofer-$$
trap 'rm -rf "$T" "/etc/$id.new"' EXIT
in_cvisor writes sh -c "echo changed >'$V/keep.txt' && rm -f /etc/hostname && echo x >/etc/$id.new && cat '$V/keep.txt' /etc/$id.new && [ ! -e /etc/hostname ] && echo ok-inside"
[ "$RC" = 0 ] && [ "$OUT" = "$(printf 'changed\nx\nok-inside')" ] || bad "writes inside: rc $RC, output: $OUT"
[ "$(cat "$V/keep.txt")" = original ] || bad "a write reached the host's $V/keep.txt"
[ ! -e "/etc/$id.new" ] || bad "a created file reached the host's /etc"
{ [ ! -e /etc/hostname ] || [ -s /etc/hostname ]; } || bad "/etc/hostname changed on the host"

# a Gofer serves while the sandbox runs and is reaped after it
"$CVISOR" do sleep 2 </dev/null &
wrapper=$!
sleep 1
gofer=$(pgrep -P "$(sentry_of "$wrapper")" -f "gofer --sock-fd" | head -n1)
[ -n "$gofer" ] || bad "no Gofer child of the Sentry during the sandbox"
wait "$wrapper" || bad "cvisor do sleep 2 failed"
[ -z "$gofer" ] || ! kill -0 "$gofer" 2>/dev/null || bad "the Gofer ($gofer) outlived the sandbox"

# the Gofer dies mid-run: file access fails (EIO), the Sentry does not crash
"$CVISOR" do sh -c 'sleep 2; cat /etc/os-release >/dev/null 2>&1; echo "after: $?"' \
	>"$T/dead.out" 2>"$T/dead.err" </dev/null &
wrapper=$!
sleep 1
gofer=$(pgrep -P "$(sentry_of "$wrapper")" -f "gofer --sock-fd" | head -n1)
[ -n "$gofer" ] && kill -KILL "$gofer"
wait "$wrapper"
rc=$?
if [ "$rc" != 0 ] || ! grep -q '^after: [1-9]' "$T/dead.out"; then
	bad "after the Gofer died: rc $rc, output: $(cat "$T/dead.out")"
	tail -n 5 "$T/dead.err" | sed 's/^/#   cvisor stderr: /'
fi
finish
