package dev.gangway.dns.host;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

/** The host's own resolver, asked on virtual threads so that a slow lookup never blocks an event loop. */
public final class HostResolver implements AutoCloseable {
    /** Thrown (as the failure of a lookup) when too many lookups are already running. */
    public static final class Overloaded extends RuntimeException {
        Overloaded() {
            super("too many host lookups in flight", null, false, false);
        }
    }

    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("dns-host-lookup-", 0).factory());
    private final Semaphore permits;

    public HostResolver(int maxConcurrent) {
        this.permits = new Semaphore(maxConcurrent);
    }

    /**
     * Looks {@code name} up. The future completes with the addresses, with an empty list when the name does
     * not exist ({@link UnknownHostException}), or fails ({@link Overloaded}, or the resolver's error).
     */
    public CompletableFuture<List<InetAddress>> lookup(String name) {
        var result = new CompletableFuture<List<InetAddress>>();
        if (!permits.tryAcquire()) {
            result.completeExceptionally(new Overloaded());
            return result;
        }
        try {
            executor.execute(() -> {
                try {
                    result.complete(List.of(InetAddress.getAllByName(name)));
                } catch (UnknownHostException e) {
                    result.complete(List.of());
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                } finally {
                    permits.release();
                }
            });
        } catch (RejectedExecutionException e) {
            permits.release();
            result.completeExceptionally(e);
        }
        return result;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
