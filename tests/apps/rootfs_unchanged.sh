#!/bin/bash
# Writes, deletes, renames, chmods and truncations under /tmp and /etc inside
# `cvisor do` must be visible inside (the memory overlay) and leave the host
# untouched. (Sandbox-only facts.)
. "$(dirname "$0")/lib/common.bash"
need_cvisor

id=cvisor-rootfs-$$
V=$T/victim                 # a tree under /tmp
E=/etc/$id.conf             # a victim file in /etc
ED=/etc/$id.d               # and a directory
mkdir -p "$V/sub/deeper" "$ED"
echo original >"$V/keep.txt"
echo delete-me >"$V/delete.txt"
echo rename-me >"$V/rename.txt"
echo deep >"$V/sub/deeper/file"
echo "etc original" >"$E"
echo inside >"$ED/inner"
chmod 644 "$V"/*.txt "$E"
cleanup_host() { rm -rf "$E" "$ED" "/etc/$id.new" "/etc/$id.renamed" "/tmp/$id.new"; }
trap 'cleanup_host; rm -rf "$T"' EXIT

snapshot() {
	find "$V" "$E" "$ED" /etc/hostname /etc/passwd -printf '%p %M %s %T@ %n\n' 2>&1 | sort
	sha256sum "$V/keep.txt" "$V/delete.txt" "$V/rename.txt" "$V/sub/deeper/file" "$E" \
		"$ED/inner" /etc/hostname /etc/passwd
	# the names the sandbox creates must not appear on the host (whole-
	# directory listings would also catch unrelated processes' files)
	ls -d "/etc/$id.new" "/etc/$id.renamed" "/tmp/$id.new" 2>&1
}
snapshot >"$T/before"

cat >"$T/inside.sh" <<SCRIPT
V=$V E=$E ED=$ED id=$id
SCRIPT
cat >>"$T/inside.sh" <<'SCRIPT'
set -u
r() { if "$@"; then echo "did: $*"; else echo "FAILED: $*"; fi; }
r sh -c "echo changed >'$V/keep.txt'"
r rm "$V/delete.txt"
r mv "$V/rename.txt" "$V/renamed.txt"
r chmod 600 "$V/renamed.txt"
r truncate -s 0 "$V/sub/deeper/file"
r rm -r "$V/sub"
r mkdir "$V/newdir"
r sh -c "echo new >'$V/newdir/new.txt'"
r sh -c "echo brand-new >/tmp/$id.new"
r sh -c "echo appended >>'$E'"
r mv "$E" "/etc/$id.renamed"
r sh -c "echo created >/etc/$id.new"
r rm -r "$ED"
r touch -d @978307200 /etc/passwd
r sh -c "echo sandboxed >/etc/hostname"
r ln -s /etc/shadow "$V/link"
# the sandbox sees its own changes
echo "--- view inside"
cat "$V/keep.txt" "$V/renamed.txt" "$V/newdir/new.txt" "/tmp/$id.new" "/etc/$id.renamed" "/etc/$id.new" /etc/hostname
stat -c '%a' "$V/renamed.txt"
ls "$V" | tr '\n' ' '; echo
[ -e "$V/delete.txt" ] || echo "delete.txt gone"
[ -e "$E" ] || echo "$E gone"
[ -e "$ED" ] || echo "$ED gone"
stat -c '%Y' /etc/passwd
SCRIPT

in_cvisor inside sh "$T/inside.sh"
cat "$T/inside.out"
if [ "$RC" != 0 ]; then
	bad "the script in cvisor exited $RC"
	tail -n 10 "$T/inside.err" | sed 's/^/#   cvisor stderr: /'
fi
if grep -q '^FAILED' "$T/inside.out"; then bad "some writes failed inside the sandbox"; fi
cat >"$T/want_view" <<VIEW
--- view inside
changed
rename-me
new
brand-new
etc original
appended
created
sandboxed
600
keep.txt link newdir renamed.txt 
delete.txt gone
$E gone
$ED gone
978307200
VIEW
if sed -n '/^--- view inside$/,$p' "$T/inside.out" | diff -u "$T/want_view" - >"$T/view.diff"; then
	echo "ok - the sandbox sees its writes"
else
	bad "the sandbox's view of its own writes is wrong"
	cat "$T/view.diff"
fi

snapshot >"$T/after"
if diff -u "$T/before" "$T/after"; then
	echo "ok - the host saw none of it"
else
	bad "the host's file system changed"
fi
for f in "/etc/$id.new" "/etc/$id.renamed" "/tmp/$id.new" "$V/renamed.txt" "$V/newdir" "$V/link"; do
	[ -e "$f" ] || [ -L "$f" ] && bad "$f appeared on the host"
done
[ "$(cat "$E" 2>/dev/null)" = "etc original" ] || bad "$E changed on the host"
finish
