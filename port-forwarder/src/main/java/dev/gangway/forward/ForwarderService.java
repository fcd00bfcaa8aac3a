package dev.gangway.forward;

import dev.gangway.forward.api.ApiServer;
import dev.gangway.forward.dial.GuestDialer;
import dev.gangway.forward.docker.DockerPublisher;
import dev.gangway.forward.table.Forwarder;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The port forwarder as the network daemon runs it: the forward table, its control API on a unix socket,
 * and (when configured) the Docker publisher. Everything runs on the dialer's event loops.
 */
public final class ForwarderService implements AutoCloseable {
    private final Forwarder forwarder;
    private final ApiServer api;
    private final DockerPublisher docker;

    private ForwarderService(Forwarder forwarder, ApiServer api, DockerPublisher docker) {
        this.forwarder = forwarder;
        this.api = api;
        this.docker = docker;
    }

    /**
     * Starts the service: the API listens on {@code apiSocket} when this returns.
     *
     * @throws IOException when the API socket cannot be created (a live daemon already holds it, or the folder
     *                     is not writable)
     */
    public static ForwarderService start(GuestDialer dialer, Path apiSocket, ForwarderOptions options)
            throws IOException {
        var forwarder = new Forwarder(dialer, options.sources(), options.limits());
        ApiServer api;
        try {
            api = ApiServer.start(forwarder, apiSocket, dialer.eventLoops());
        } catch (IOException e) {
            forwarder.close();
            throw e;
        }
        DockerPublisher docker = null;
        if (options.docker() != null) {
            docker = new DockerPublisher(forwarder, dialer, options.docker(), options.sources());
            docker.start();
        }
        return new ForwarderService(forwarder, api, docker);
    }

    public Forwarder forwarder() {
        return forwarder;
    }

    public Path apiSocket() {
        return api.socket();
    }

    /** Stops publishing, stops the API, and closes every forward. */
    @Override
    public void close() {
        if (docker != null) {
            docker.close();
        }
        api.close();
        forwarder.close();
    }
}
