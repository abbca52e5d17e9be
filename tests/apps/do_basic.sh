#!/bin/bash
# `cvisor do` runs real host programs: a shell pipeline, coreutils and a
# dynamic binary give the same output as natively; exit status passes through.
set -u
script='echo a b | tr a-z A-Z; printf "%s\n" 3 1 2 | sort | head -2; ls /usr/bin/env; cat /etc/debian_version | wc -c; for i in 1 2 3; do echo $i; done | wc -l'
native=$(sh -c "$script" 2>&1)
sandbox=$("$CVISOR" do sh -c "$script" 2>&1)
if [ "$native" != "$sandbox" ]; then
	diff <(echo "$native") <(echo "$sandbox")
	exit 1
fi
"$CVISOR" do sh -c 'exit 7'
rc=$?
[ $rc = 7 ] || { echo "exit status $rc, want 7"; exit 1; }
"$CVISOR" do sh -c 'kill -9 $$'
rc=$?
[ $rc = 137 ] || { echo "killed status $rc, want 137"; exit 1; }
pid=$("$CVISOR" do sh -c 'echo $$')
[ "$pid" = 1 ] || { echo "pid inside is $pid, want 1"; exit 1; }
rel=$("$CVISOR" do uname -r)
[ "$rel" != "$(uname -r)" ] || { echo "uname -r shows the host release"; exit 1; }
exit 0
