package dev.gangway.stack.wire;

import java.util.List;

/**
 * The DHCP options the server reads and writes. Absent values are {@code 0} (addresses, times, MTU),
 * {@code null} (strings) or empty (lists).
 *
 * @param messageType    option 53
 * @param requestedIp    option 50
 * @param serverId       option 54
 * @param leaseSeconds   option 51
 * @param subnetMask     option 1
 * @param router         option 3 (one address)
 * @param dnsServers     option 6
 * @param hostName       option 12
 * @param domainName     option 15
 * @param domainSearch   option 119 (RFC 3397, written without compression)
 * @param mtu            option 26
 * @param parameterList  option 55 (what the client asks for)
 */
public record DhcpOptions(int messageType, int requestedIp, int serverId, int leaseSeconds, int subnetMask,
        int router, List<Integer> dnsServers, String hostName, String domainName, List<String> domainSearch,
        int mtu, byte[] parameterList) {

    public static final int DISCOVER = 1, OFFER = 2, REQUEST = 3, DECLINE = 4, ACK = 5, NAK = 6, RELEASE = 7,
            INFORM = 8;

    static final int PAD = 0, SUBNET_MASK = 1, ROUTER = 3, DNS = 6, HOST_NAME = 12, DOMAIN_NAME = 15,
            MTU = 26, REQUESTED_IP = 50, LEASE_TIME = 51, MESSAGE_TYPE = 53, SERVER_ID = 54, PARAMETER_LIST = 55,
            RENEWAL_TIME = 58, REBINDING_TIME = 59, DOMAIN_SEARCH = 119, END = 255;

    public DhcpOptions {
        dnsServers = List.copyOf(dnsServers);
        domainSearch = List.copyOf(domainSearch);
        parameterList = parameterList.clone();
    }

    /** Options carrying only a message type. */
    public static DhcpOptions ofType(int messageType) {
        return new DhcpOptions(messageType, 0, 0, 0, 0, 0, List.of(), null, null, List.of(), 0, new byte[0]);
    }

    @Override
    public byte[] parameterList() {
        return parameterList.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhcpOptions other && messageType == other.messageType && requestedIp == other.requestedIp
                && serverId == other.serverId && leaseSeconds == other.leaseSeconds
                && subnetMask == other.subnetMask && router == other.router && dnsServers.equals(other.dnsServers)
                && java.util.Objects.equals(hostName, other.hostName)
                && java.util.Objects.equals(domainName, other.domainName)
                && domainSearch.equals(other.domainSearch) && mtu == other.mtu
                && java.util.Arrays.equals(parameterList, other.parameterList);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(messageType, requestedIp, serverId, hostName, mtu);
    }
}
