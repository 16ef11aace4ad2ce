package io.tandem.node;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One NFO output destination the gate drops traffic to: an IP literal (or CIDR prefix), a transport and a port.
 * Only literals are accepted, never host names: nft would resolve a name once, at load time, and the gate would
 * silently stop matching when the SIEM's address changes. The address is kept in canonical form (lower-case,
 * compressed IPv6) so that it compares equal to what {@code nft -j} prints.
 *
 * @param family {@code ip} or {@code ip6} (the nft payload protocol)
 * @param address the address, with {@code /len} when a prefix
 */
public record GateDestination(String family, String address, Transport transport, int port) {

    public enum Transport {
        UDP, TCP;

        public String nft() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Pattern IPV4 = Pattern.compile(
            "((?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3})(?:/(\\d{1,2}))?");
    private static final Pattern IPV6 = Pattern.compile("([0-9A-Fa-f:]{2,39})(?:/(\\d{1,3}))?");

    public GateDestination {
        if (!"ip".equals(family) && !"ip6".equals(family)) {
            throw new IllegalArgumentException("family must be ip or ip6");
        }
        if (transport == null) {
            throw new IllegalArgumentException("transport is required");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        String canonical = canonical(address);
        if (canonical == null || canonical.contains(":") != family.equals("ip6")) {
            throw new IllegalArgumentException("not an " + family + " address or prefix: " + address);
        }
        address = canonical;
    }

    /** Parses an address or prefix literal and derives the family from it. */
    public static GateDestination of(String address, Transport transport, int port) {
        String canonical = canonical(address);
        if (canonical == null) {
            throw new IllegalArgumentException("not an IP address or prefix literal: " + address);
        }
        return new GateDestination(canonical.contains(":") ? "ip6" : "ip", canonical, transport, port);
    }

    /** The rule's match, exactly as nft reads it: {@code ip daddr 192.0.2.10 udp dport 514}. */
    public String nftMatch() {
        return family + " daddr " + address + " " + transport.nft() + " dport " + port;
    }

    /** The canonical literal, or null when {@code text} is not an IPv4/IPv6 address or prefix. */
    static String canonical(String text) {
        if (text == null || text.length() > 43) {
            return null;
        }
        var v4 = IPV4.matcher(text);
        if (v4.matches()) {
            return prefixed(v4.group(1), v4.group(2), 32);
        }
        var v6 = IPV6.matcher(text);
        if (!v6.matches()) {
            return null;
        }
        int[] groups = ipv6Groups(v6.group(1));
        return groups == null ? null : prefixed(ProcNetUdp.compress(groups), v6.group(2), 128);
    }

    private static String prefixed(String address, String length, int max) {
        if (length == null) {
            return address;
        }
        int len = Integer.parseInt(length);
        if (len > max || (length.length() > 1 && length.startsWith("0"))) {
            return null;
        }
        return len == max ? address : address + "/" + len;
    }

    /** Pure-text IPv6 parsing (no InetAddress: it would accept scope ids and host names). */
    private static int[] ipv6Groups(String text) {
        int gap = text.indexOf("::");
        if (gap != text.lastIndexOf("::")) {
            return null;
        }
        String[] head = gap < 0 ? text.split(":", -1) : split(text.substring(0, gap));
        String[] tail = gap < 0 ? new String[0] : split(text.substring(gap + 2));
        int count = head.length + tail.length;
        if ((gap < 0 && count != 8) || (gap >= 0 && count > 7)) {
            return null;
        }
        int[] groups = new int[8];
        for (int i = 0; i < head.length; i++) {
            if (!group(head[i], groups, i)) {
                return null;
            }
        }
        for (int i = 0; i < tail.length; i++) {
            if (!group(tail[i], groups, 8 - tail.length + i)) {
                return null;
            }
        }
        return groups;
    }

    private static String[] split(String part) {
        return part.isEmpty() ? new String[0] : part.split(":", -1);
    }

    private static boolean group(String hex, int[] groups, int index) {
        if (hex.isEmpty() || hex.length() > 4) {
            return false;
        }
        groups[index] = Integer.parseInt(hex, 16);
        return true;
    }
}
