#!/bin/sh
# /sbin/gangway-init: the Docker VM's init, the one child of tini (PID 1); no systemd, which boots faster
# under TCG. It mounts the kernel file systems, loads the modules Docker needs, takes an address by DHCP
# from Gangway's stack, mounts the data disk at /var/lib/docker, starts dockerd on its unix socket and on
# tcp://ADDRESS:2375, and then serves the command channel on the virtio-serial port gangway.cmd (protocol:
# dev.gangway.launcher.up.VmChannel, the same frames as the lab guest's agent). Shares are mounted later by
# the host, through that channel.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb
say() { echo "gangway-init: $*" >/dev/console; }
bb=/bin/busybox

mount -t proc proc /proc
mount -t sysfs sysfs /sys
[ -c /dev/null ] || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm /dev/mqueue
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t mqueue mqueue /dev/mqueue
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=755 tmpfs /run
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
mount --make-rshared /
mkdir -p /run/gangway /var/run /run/lock
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr

while read -r module; do
    modprobe "$module" 2>/dev/console || say "modprobe $module failed"
done </etc/gangway/modules
sysctl -q -w net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 2>/dev/null
hostname gangway
ip link set lo up

# The data disk: formatted by the host; images and volumes live there across down and up.
if [ -b /dev/vdb ]; then
    mount -t ext4 /dev/vdb /var/lib/docker || say "cannot mount the data disk /dev/vdb"
fi

address=
if ip link show eth0 >/dev/null 2>&1; then
    $bb udhcpc -i eth0 -s /etc/gangway/udhcpc.script -q -n -t 20 -T 1 >/dev/console 2>&1
    address=$(ip -4 -o addr show dev eth0 | $bb awk '{split($4, a, "/"); print a[1]; exit}')
fi
[ -n "$address" ] || say "no address by DHCP on eth0"
say "address ${address:-none}"

listen="-H unix:///var/run/docker.sock"
[ -n "$address" ] && listen="$listen -H tcp://$address:2375"
# dockerd gives up when its containerd is slow to answer (a loaded host under TCG): start it again until
# the VM stops.
supervise_dockerd() {
    while [ ! -e /run/gangway/stopping ]; do
        # shellcheck disable=SC2086
        dockerd $listen --tls=false >>/var/log/dockerd.log 2>&1 </dev/null &
        echo $! >/run/gangway/dockerd.pid
        wait "$!"
        echo "gangway-init: dockerd exited with $?" >>/var/log/dockerd.log
        [ -e /run/gangway/stopping ] || sleep 1
    done
}
supervise_dockerd &

stop_docker() {
    : >/run/gangway/stopping
    pid=$(cat /run/gangway/dockerd.pid 2>/dev/null)
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null
    waited=0
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 100 ]; do
        $bb usleep 100000
        waited=$((waited + 1))
    done
    umount /var/lib/docker 2>/dev/null
}

port=
tries=0
while [ -z "$port" ] && [ "$tries" -lt 300 ]; do
    for name in /sys/class/virtio-ports/*/name; do
        [ -r "$name" ] && [ "$(cat "$name")" = gangway.cmd ] || continue
        dev="/dev/$(basename "$(dirname "$name")")"
        [ -c "$dev" ] && port="$dev"
    done
    [ -n "$port" ] || { tries=$((tries + 1)); $bb usleep 20000; }
done
if [ -z "$port" ]; then
    say "no virtio-serial port named gangway.cmd; powering off"
    $bb poweroff -f
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
        echo "$payload" | base64 -d >/run/gangway/cmd 2>/dev/null
        rm -f /run/gangway/pipe /run/gangway/rc
        mkfifo /run/gangway/pipe
        setsid sh -c 'cd /; timeout -s KILL "$1" sh /run/gangway/cmd; echo $? >/run/gangway/rc; kill -KILL 0' \
            - "$limit" </dev/null >/run/gangway/pipe 2>&1 3>&- &
        while dd bs=65536 count=1 of=/run/gangway/chunk 2>/dev/null && [ -s /run/gangway/chunk ]; do
            printf 'O %s %s\n' "$id" "$(stat -c %s /run/gangway/chunk)" >&3
            cat /run/gangway/chunk >&3
        done </run/gangway/pipe
        wait "$!"
        printf 'R %s %s 0\n' "$id" "$(cat /run/gangway/rc 2>/dev/null || echo 255)" >&3
        rm -f /run/gangway/pipe /run/gangway/rc /run/gangway/chunk /run/gangway/cmd
        ;;
    p)
        say "power off requested: stopping dockerd"
        stop_docker
        sync
        $bb poweroff -f
        ;;
    esac
done
say "command channel closed; powering off"
stop_docker
sync
$bb poweroff -f
