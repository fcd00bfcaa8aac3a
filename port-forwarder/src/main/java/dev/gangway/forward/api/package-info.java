/**
 * The control API: HTTP/1.1 and JSON on a unix socket, so the CLI (and other tools) can create, list and
 * delete forwards in a running daemon.
 *
 * <p>Data path: {@link dev.gangway.forward.api.ApiServer} decodes a request (Netty's HTTP codec, bounded
 * to 64 KiB), {@code ApiHandler} turns it into a call on {@link dev.gangway.forward.table.Forwarder} and
 * answers when the forward is bound or has failed; failures carry the reason's HTTP status and a one-line
 * {@link dev.gangway.forward.api.ApiError}. {@link dev.gangway.forward.api.ApiClient} is the CLI's side.
 *
 * <p>Routes: {@code GET /forwards}, {@code POST /forwards} ({@link dev.gangway.forward.api.ForwardRequest}),
 * {@code DELETE /forwards?protocol=P&host=H}. Limits: no authentication beyond the socket's file mode
 * (0600); one request in flight per connection.
 */
package dev.gangway.forward.api;
