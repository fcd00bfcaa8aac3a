package dev.gangway.forward.api;

/**
 * The body of {@code POST /forwards}.
 *
 * @param protocol {@code tcp}, {@code udp} or {@code unix}
 * @param host     {@code ADDR:PORT} ({@code [V6]:PORT} for IPv6) or, for unix, an absolute socket path
 * @param guest    {@code IP:PORT} inside the guest
 */
public record ForwardRequest(String protocol, String host, String guest) {
}
