#!/bin/sh
# /init of the Docker VM's initramfs: load the block and ext4 modules, mount the root disk (/dev/vda) and
# hand over to the root file system's init, /sbin/gangway-init under Docker's tini. Nothing else happens here.
export PATH=/bin
say() { echo "gangway-initramfs: $*" >/dev/console; }
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
while read -r module; do
    insmod "/lib/gangway/modules/$module" 2>/dev/console || say "insmod $module failed"
done </lib/gangway/modules.order
tries=0
while [ ! -b /dev/vda ] && [ "$tries" -lt 500 ]; do
    usleep 20000
    tries=$((tries + 1))
done
mkdir -p /newroot
if ! mount -t ext4 /dev/vda /newroot; then
    say "cannot mount the root disk /dev/vda as ext4; powering off"
    poweroff -f
fi
if [ ! -x /newroot/sbin/gangway-init ]; then
    say "the root disk has no /sbin/gangway-init; powering off"
    poweroff -f
fi
mount --move /dev /newroot/dev
umount /proc /sys
# PID 1 is Docker's own tini (docker-init): it reaps the orphans containerd's shims leave behind, which a
# shell as PID 1 would not, and runs gangway-init as its one child.
if [ -x /newroot/usr/bin/docker-init ]; then
    exec switch_root /newroot /usr/bin/docker-init -- /sbin/gangway-init
fi
exec switch_root /newroot /sbin/gangway-init
