/**
 * The Docker VM image: what {@code gangway up} boots.
 *
 * <p>Data path: {@link dev.gangway.launcher.image.DockerImage#ensure} hashes its inputs
 * ({@code DockerImageInputs}: the lab's kernel, the Debian suite and mirror, the package and module lists,
 * the guest scripts in this jar) and reuses {@code $XDG_CACHE_HOME/gangway/docker-vm/HASH/} when it is
 * there. Otherwise {@code DockerImageBuild} runs: the kernel package the lab downloaded is unpacked for its
 * modules; {@code debootstrap --variant=minbase} installs Debian with docker.io, containerd, runc, iptables
 * (switched to the legacy backend) and busybox-static; the modules Docker needs (overlay, bridge, veth,
 * netfilter, 9P, virtio, ext4) and their dependencies are copied in and indexed by depmod; {@code mke2fs -t
 * ext4 -d} turns the tree into a sparse root disk without mounting anything; a busybox initramfs that loads
 * virtio-blk and ext4, mounts {@code /dev/vda} and switches to {@code /sbin/gangway-init} (under Docker's tini
 * as PID 1, which reaps orphans) is packed by cpio. The guest's own init (no systemd) mounts the kernel file systems, takes its address by DHCP, mounts the data
 * disk at {@code /var/lib/docker}, starts dockerd and serves the command channel.
 *
 * <p>Limits: building needs root (debootstrap) and a reachable Debian mirror; the hash does not cover the
 * versions the mirror serves, so a security update reaches the image only with {@code gangway image build
 * --rebuild}. Only the image of the current inputs is kept (a root disk is about a gigabyte).
 */
package dev.gangway.launcher.image;
