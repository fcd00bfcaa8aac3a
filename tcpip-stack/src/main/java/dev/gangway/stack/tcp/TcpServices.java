package dev.gangway.stack.tcp;

/** Told when a link's TCP transport appears, so that bound services listen on it too. */
public interface TcpServices {
    void attached(TcpLink link);
}
