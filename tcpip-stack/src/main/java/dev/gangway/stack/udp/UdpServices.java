package dev.gangway.stack.udp;

/** Told when a link's UDP transport appears, so that bound services get a channel on it. */
public interface UdpServices {
    void attached(UdpLink link);
}
