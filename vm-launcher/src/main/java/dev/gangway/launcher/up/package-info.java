/**
 * {@code gangway up}: the Docker VM, booted and wired.
 *
 * <p>Data path: the CLI ({@link dev.gangway.launcher.up.Launcher}) checks the input (shares, forwarded
 * ports, QEMU), builds the image when needed, writes {@code run/config.json} under the home
 * ({@link dev.gangway.launcher.up.GangwayHome}, {@code ~/.gangway}) and starts the {@code Daemon} JVM in its
 * own session, then prints the {@code step}/{@code ready}/{@code failed} lines the daemon writes to
 * {@code run/daemon.log}. The daemon starts, in order: the stack on the link socket {@code run/net.sock}
 * (DHCP), DNS on the gateway's port 53, the shares ({@code SharesWiring}: the 9P server on the gateway's port
 * 564 and the file-events bridge on 5640, plus the events agent's runtime as a read-only share), the sparse
 * data disk, then QEMU ({@code DockerVm}, its command line from {@code vmm}: KVM only when a lab guest really
 * boots with it, else TCG). Once the guest's init holds the command channel ({@code VmChannel}), the daemon
 * learns the guest's address, mounts each share at its host path with {@code mount -t 9p -o trans=tcp} to
 * the gateway, starts the events agent in a respawn loop (host edits then fire inotify in the VM and in
 * containers that bind-mount the share), forwards {@code run/docker.sock} to
 * dockerd's TCP port through the stack's dial, waits for {@code GET /_ping}, starts the Docker publisher
 * (published ports follow the containers), and creates or updates the Docker CLI context {@code gangway}.
 * {@code ControlServer} on {@code run/control.sock} answers {@code status}, {@code down} and {@code exec}
 * (for {@code gangway shell}).
 *
 * <p>Limits: one VM per home. A daemon killed with SIGKILL takes QEMU with it (parent-death signal) but leaves
 * its socket files; {@code status} and the next {@code up} remove them. The shell has no terminal: each line
 * of the prompt is a separate command with no stdin. An events agent that does not connect within two
 * minutes is reported as a progress line and the VM comes up without file events.
 */
package dev.gangway.launcher.up;
