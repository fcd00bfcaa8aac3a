/**
 * Byte streams to sessions: {@link dev.gangway.ninep.transport.NinePChannelInitializer} is the pipeline
 * for any Netty stream channel (a host socket, or a connection the virtual network stack accepted on the
 * gateway's port 564): a little-endian length-field frame decoder bounded by the largest msize, then the
 * handler that owns the connection's session. {@link dev.gangway.ninep.transport.NinePListener} binds host
 * TCP addresses and unix sockets with it.
 *
 * <p>Limits: a frame larger than the server's largest msize or shorter than its size field closes the
 * connection; unix sockets need the native epoll transport.
 */
package dev.gangway.ninep.transport;
