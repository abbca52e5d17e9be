# Sourced by tests/oci/*.sh that need a running container: sets CVISOR,
# tmp (removed at exit, its containers deleted), bundle (busybox-static
# rootfs, default spec), and the helpers of lib/container_test.sh (fail,
# cv, config, args, bind).
cd "$(dirname "$0")/../.." || exit 1
. tests/oci/lib/container_test.sh
need_static_busybox

bundle=$tmp/bundle
mkdir -p "$bundle/rootfs"/{bin,etc,tmp,data} "$tmp/host"
cp /bin/busybox "$bundle/rootfs/bin/"
for t in sh echo cat sleep env id pwd true false kill wc; do ln -s busybox "$bundle/rootfs/bin/$t"; done
default_spec
