package dev.gangway.forward.api;

import dev.gangway.forward.dial.Transport;
import dev.gangway.forward.table.ForwardException;
import dev.gangway.forward.table.Forwarder;
import dev.gangway.forward.table.UnixSocketFiles;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The control API: HTTP/1.1 with JSON bodies on a unix socket that only its owner may use (mode 0600 in a
 * 0700 folder, since whoever can connect can open host ports). Requests are bounded to 64 KiB.
 */
public final class ApiServer implements AutoCloseable {
    private static final int MAX_REQUEST = 64 * 1024;

    private final Channel channel;
    private final Path socket;

    private ApiServer(Channel channel, Path socket) {
        this.channel = channel;
        this.socket = socket;
    }

    /** Listens on {@code socket} (replacing a stale one) with the handlers on {@code group}. */
    public static ApiServer start(Forwarder forwarder, Path socket, EventLoopGroup group) throws IOException {
        var transport = Transport.of(group);
        var parent = socket.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        try {
            UnixSocketFiles.prepare(socket);
        } catch (ForwardException e) {
            throw new IOException(e.getMessage(), e);
        }
        var bind = new ServerBootstrap()
                .group(group, group)
                .channel(transport.serverDomainSocketChannel())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST),
                                new ApiHandler(forwarder));
                    }
                })
                .bind(transport.domainAddress(socket))
                .awaitUninterruptibly();
        if (!bind.isSuccess()) {
            throw new IOException("cannot listen on " + socket + ": " + bind.cause().getMessage(), bind.cause());
        }
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        return new ApiServer(bind.channel(), socket);
    }

    public Path socket() {
        return socket;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // A leftover socket file is replaced as stale by the next start.
        }
    }
}
