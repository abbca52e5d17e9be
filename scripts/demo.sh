#!/bin/sh
# make demo: a real program, run inside a sandbox.
set -e
cd "$(dirname "$0")/.."
echo '$ build/cvisor do -- sh -c "uname -a; id; echo hello from \$(hostname), pid \$\$; ls / | head -5"'
build/cvisor do -- sh -c 'uname -a; id; echo hello from $(hostname), pid $$; ls / | head -5'
