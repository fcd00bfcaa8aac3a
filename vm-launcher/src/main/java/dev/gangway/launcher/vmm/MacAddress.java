package dev.gangway.launcher.vmm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A unicast Ethernet address for the guest's virtio-net, written {@code 52:54:00:12:34:56} (lower case).
 * A stable address per VM gives the guest the same DHCP lease across restarts.
 */
public record MacAddress(String text) {
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    public MacAddress {
        text = text.strip().toLowerCase(Locale.ROOT);
        if (!FORM.matcher(text).matches()) {
            throw new IllegalArgumentException("MAC address '" + text + "' is not six hex pairs separated by ':'"
                    + "; fix: write it like 52:54:00:12:34:56");
        }
        int first = Integer.parseInt(text.substring(0, 2), 16);
        if ((first & 1) != 0) {
            throw new IllegalArgumentException("MAC address " + text + " is a multicast address"
                    + "; fix: use an address whose first byte is even, e.g. 52:54:00:12:34:56");
        }
        if (text.equals("00:00:00:00:00:00")) {
            throw new IllegalArgumentException("MAC address 00:00:00:00:00:00 is not a station address"
                    + "; fix: use e.g. 52:54:00:12:34:56");
        }
    }

    public static MacAddress parse(String text) {
        return new MacAddress(text);
    }

    /**
     * A locally administered unicast address derived from {@code seed} (the VM's name): the same name gives
     * the same address on every start, different names almost surely different ones.
     */
    public static MacAddress derivedFrom(String seed) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            digest[0] = (byte) ((digest[0] & 0xfc) | 0x02);
            return new MacAddress(HexFormat.ofDelimiter(":").formatHex(digest, 0, 6));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
