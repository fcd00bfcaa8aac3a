/**
 * The table of forwards: what is forwarded ({@link dev.gangway.forward.table.ForwardSpec}), the live
 * forwards with their counters, and the reasons an open can fail.
 *
 * <p>Data path: the control API and the Docker publisher call {@link dev.gangway.forward.table.Forwarder};
 * it binds the host side through {@code dev.gangway.forward.relay} and keeps the result keyed by protocol
 * and host endpoint. A failed bind becomes a {@link dev.gangway.forward.table.ForwardException} whose reason
 * maps to one HTTP status: a port in use (409) names its holder, found by the socket inode in
 * {@code /proc/net/{tcp,udp}{,6}} and the process owning it in {@code /proc/PID/fd}; a privileged port
 * (403) says how to get the privilege; a foreign address (400) says which addresses work.
 *
 * <p>Limits: the holder of a port is named only when its process is readable (same user, or root); a
 * dual-stack {@code ::} listener is assumed to cover IPv4 too. Forwards live in memory: the daemon that
 * hosts the table re-creates them (the Docker publisher does so from the engine's state).
 */
package dev.gangway.forward.table;
