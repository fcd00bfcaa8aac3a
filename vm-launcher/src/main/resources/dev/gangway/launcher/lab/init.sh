#!/bin/sh
# /init of the Gangway lab guest: busybox, the kernel modules listed in /lib/gangway/modules.order, and a
# command agent on the virtio-serial port named gangway.cmd (protocol: dev.gangway.launcher.lab.GuestChannel).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb
say() { echo "gangway-init: $*" >/dev/console; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mkdir -p /run/gangway /mnt /root

while read -r module; do
    insmod "/lib/gangway/modules/$module" 2>/dev/console || say "insmod $module failed"
done </lib/gangway/modules.order
ip link set lo up
hostname gangway-lab

# The port shows up once virtio_console has talked to QEMU; no udev here, so look in sysfs.
port=
tries=0
while [ -z "$port" ] && [ "$tries" -lt 300 ]; do
    for name in /sys/class/virtio-ports/*/name; do
        [ -r "$name" ] && [ "$(cat "$name")" = gangway.cmd ] || continue
        dev="/dev/$(basename "$(dirname "$name")")"
        [ -c "$dev" ] && port="$dev"
    done
    [ -n "$port" ] || { tries=$((tries + 1)); usleep 20000; }
done
if [ -z "$port" ]; then
    say "no virtio-serial port named gangway.cmd; powering off"
    poweroff -f
fi

# A virtio-serial port can be opened only once: the agent holds it as fd 3 and commands never see it.
exec 3<>"$port"
echo "H 1" >&3
say "ready (command channel on $port)"
cd /
while read -r verb id limit payload <&3; do
    case "$verb" in
    x)
        echo "$payload" | base64 -d >/run/gangway/cmd 2>/dev/null
        (cd / && timeout -s KILL "$limit" sh /run/gangway/cmd </dev/null >/run/gangway/out 2>&1 3>&-)
        rc=$?
        printf 'R %s %s %s\n' "$id" "$rc" "$(stat -c %s /run/gangway/out)" >&3
        cat /run/gangway/out >&3
        rm -f /run/gangway/out /run/gangway/cmd
        ;;
    s)
        # Streamed: the output goes through a FIFO and reaches the host in chunks as it is written.
        echo "$payload" | base64 -d >/run/gangway/cmd 2>/dev/null
        rm -f /run/gangway/pipe /run/gangway/rc
        mkfifo /run/gangway/pipe
        # In its own session, so that when the command ends (or is killed at its limit) "kill 0" also
        # ends whatever it left running; the last writer gone, the FIFO ends the stream.
        setsid sh -c 'cd /; timeout -s KILL "$1" sh /run/gangway/cmd; echo $? >/run/gangway/rc; kill -KILL 0' \
            - "$limit" </dev/null >/run/gangway/pipe 2>&1 3>&- &
        while dd bs=65536 count=1 of=/run/gangway/chunk 2>/dev/null && [ -s /run/gangway/chunk ]; do
            printf 'O %s %s\n' "$id" "$(stat -c %s /run/gangway/chunk)" >&3
            cat /run/gangway/chunk >&3
        done </run/gangway/pipe
        wait
        printf 'R %s %s 0\n' "$id" "$(cat /run/gangway/rc 2>/dev/null || echo 255)" >&3
        rm -f /run/gangway/pipe /run/gangway/rc /run/gangway/chunk /run/gangway/cmd
        ;;
    p)
        say "power off requested"
        sync
        poweroff -f
        ;;
    esac
done
say "command channel closed; powering off"
sync
poweroff -f
