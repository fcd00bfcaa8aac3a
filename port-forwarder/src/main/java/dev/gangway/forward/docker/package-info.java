/**
 * Docker auto-publishing: the ports that containers in the guest publish appear on the host, and go away
 * when the containers stop.
 *
 * <p>Data path: {@link dev.gangway.forward.docker.DockerPublisher} dials the guest engine's TCP API (port
 * 2375 of the guest's virtual-network address) through the same {@code GuestDialer} as every forward, keeps
 * a streamed {@code GET /events} open, and on each container lifecycle event reads {@code GET
 * /containers/json}; {@link dev.gangway.forward.docker.PublishedPorts} turns its {@code Ports} into forward
 * specs with Docker's semantics, and the publisher reconciles them with the forward table.
 *
 * <p>Limits: the published port is reached at the guest address on the same port, where dockerd's proxy
 * listens for ports published on all interfaces; a port Docker publishes only on the guest's loopback
 * ({@code -p 127.0.0.1:...}) is bound on the host's loopback but needs the guest to accept it on its
 * virtual-network address. The engine must listen on TCP in the guest (the guest image configures that).
 * The Engine API fixtures of the tests were written from the API reference, not captured from a dockerd.
 */
package dev.gangway.forward.docker;
