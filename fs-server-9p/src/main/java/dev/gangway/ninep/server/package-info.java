/**
 * The 9P2000.L server core: {@link dev.gangway.ninep.server.NinePServer} (shares, ownership mode, limits,
 * the virtual-thread executor), one {@link dev.gangway.ninep.server.Session} per connection (msize, fid
 * table, outstanding tags, flushes, lock owners) and the operations behind each request.
 *
 * <p>Data path: the transport's event loop passes each frame to the session, which decodes it and starts the
 * request on its own virtual thread; the operation works on {@code O_PATH} nodes through the share boundary
 * and returns a reply record; the reply goes back to the event loop, which retires the tag and writes it.
 * Replies therefore leave in completion order. Tflush cancels a request that has not started, and otherwise
 * answers right after the flushed request's reply. Byte-range locks are open file description locks on the
 * host, one description per guest lock owner (process id and client id) and file, so they conflict with each
 * other and with host processes as POSIX locks would.
 *
 * <p>Limits: {@link dev.gangway.ninep.server.Limits} bounds msize, fids, outstanding requests (beyond which
 * the connection stops reading), directory snapshot size, and the memory a connection may hold in snapshots and
 * extended attribute values (ENOMEM beyond it); one xattr value is bounded by the kernel's 64 KiB.
 * A blocking lock request waits on its virtual thread (polling, so no carrier thread is pinned) until granted,
 * flushed or disconnected; at most a quarter of the in-flight bound may wait at once, so the request that
 * releases a lock can always be read, and beyond that the client is answered BLOCKED and retries.
 * {@link dev.gangway.ninep.server.MutationListener} is the seam for the file-events bridge: it hears of every
 * change a guest made (share-relative paths and the attaching uid, so the bridge can suppress echoes and tell
 * its own guest agent's replays apart); nothing else of the bridge lives here.
 */
package dev.gangway.ninep.server;
