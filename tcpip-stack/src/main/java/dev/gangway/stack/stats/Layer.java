package dev.gangway.stack.stats;

/** The protocol layers the stack counts traffic and drops for. */
public enum Layer {
    LINK, ETHERNET, ARP, IPV4, ICMP, UDP, DHCP, TCP, SERVICE, NAT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
