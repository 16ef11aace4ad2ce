package io.tandem.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsers for the kernel's UDP views: {@code /proc/net/udp}, {@code /proc/net/udp6}, {@code /proc/net/snmp} and
 * {@code /proc/net/snmp6} (formats as in the kernel's {@code Documentation/networking/proc_net_tcp.rst} and
 * {@code net/ipv4/proc.c}).
 *
 * <p>Addresses in {@code /proc/net/udp*} are the raw in-kernel words printed in hex, so their byte order is the
 * host's. We decode them as little-endian, which is right for x86-64 and arm64 (every NFO platform); the port is
 * printed as a number and needs no such care.
 */
public final class ProcNetUdp {

    static final int MAX_INPUT_CHARS = 32 * 1024 * 1024;

    private static final List<String> COUNTERS = List.of("InDatagrams", "NoPorts", "InErrors", "OutDatagrams",
            "RcvbufErrors", "SndbufErrors", "InCsumErrors");

    private ProcNetUdp() {
    }

    /**
     * @param text the whole file
     * @param family {@code udp} (IPv4 file) or {@code udp6}
     * @param ports only sockets bound to these local ports are returned
     */
    public static List<UdpSocket> sockets(String text, String family, Set<Integer> ports)
            throws NodeAccessException.BadAnswer {
        String source = "/proc/net/" + family;
        if (!family.equals("udp") && !family.equals("udp6")) {
            throw new IllegalArgumentException("family must be udp or udp6");
        }
        List<String> lines = lines(text, source);
        if (lines.isEmpty() || !lines.get(0).strip().startsWith("sl")) {
            throw bad(source, "no header line");
        }
        int addressLength = family.equals("udp") ? 8 : 32;
        List<UdpSocket> sockets = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                UdpSocket socket = socket(line.split("\\s+"), family, addressLength);
                if (ports.contains(socket.localPort())) {
                    sockets.add(socket);
                }
            } catch (IllegalArgumentException e) {
                throw bad(source, "line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return List.copyOf(sockets);
    }

    private static UdpSocket socket(String[] f, String family, int addressLength) {
        // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
        if (f.length < 13 || !f[0].endsWith(":")) {
            throw new IllegalArgumentException("expected 13 columns, found " + f.length);
        }
        String[] local = pair(f[1], "local address");
        String[] queues = pair(f[4], "tx_queue:rx_queue");
        if (local[0].length() != addressLength) {
            throw new IllegalArgumentException("address of unexpected length " + local[0].length());
        }
        String address = addressLength == 8 ? ipv4(local[0]) : ipv6(local[0]);
        int port = (int) hex(local[1], 4, "port");
        return new UdpSocket(family, address, port, hex(queues[1], 16, "rx_queue"), hex(queues[0], 16, "tx_queue"),
                decimal(f[12], "drops"), decimal(f[9], "inode"), decimal(f[7], "uid"));
    }

    /** The {@code Udp:} header/value line pair of {@code /proc/net/snmp}. */
    public static UdpCounters counters(String snmp) throws NodeAccessException.BadAnswer {
        String source = "/proc/net/snmp";
        List<String> lines = lines(snmp, source);
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("Udp: ") && lines.get(i + 1).startsWith("Udp: ")) {
                String[] names = lines.get(i).substring(5).strip().split("\\s+");
                String[] values = lines.get(i + 1).substring(5).strip().split("\\s+");
                if (names.length != values.length) {
                    throw bad(source, "Udp: header has " + names.length + " names but " + values.length + " values");
                }
                Map<String, String> counters = new HashMap<>();
                for (int k = 0; k < names.length; k++) {
                    counters.put(names[k], values[k]);
                }
                return counters(counters, source);
            }
        }
        throw bad(source, "no Udp: header and value lines");
    }

    /** The {@code Udp6<Name> <value>} lines of {@code /proc/net/snmp6}. */
    public static UdpCounters counters6(String snmp6) throws NodeAccessException.BadAnswer {
        String source = "/proc/net/snmp6";
        Map<String, String> counters = new HashMap<>();
        for (String line : lines(snmp6, source)) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 2 && f[0].startsWith("Udp6")) {
                counters.put(f[0].substring(4), f[1]);
            }
        }
        return counters(counters, source);
    }

    private static UdpCounters counters(Map<String, String> byName, String source)
            throws NodeAccessException.BadAnswer {
        long[] v = new long[COUNTERS.size()];
        for (int i = 0; i < v.length; i++) {
            String name = COUNTERS.get(i);
            String value = byName.get(name);
            if (value == null) {
                throw bad(source, "no UDP counter " + name + " (kernels older than 3.10 are not supported)");
            }
            try {
                v[i] = decimal(value, name);
            } catch (IllegalArgumentException e) {
                throw bad(source, e.getMessage());
            }
        }
        return new UdpCounters(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    }

    private static List<String> lines(String text, String source) throws NodeAccessException.BadAnswer {
        if (text == null || text.isBlank()) {
            throw bad(source, "empty");
        }
        if (text.length() > MAX_INPUT_CHARS) {
            throw bad(source, "larger than " + MAX_INPUT_CHARS + " characters");
        }
        return text.lines().toList();
    }

    private static String[] pair(String field, String what) {
        String[] parts = field.split(":", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException(what + " is not a:b: " + ServiceStateParser.abbreviate(field));
        }
        return parts;
    }

    private static String ipv4(String hex) {
        long word = hex(hex, 8, "address");
        return (word & 0xff) + "." + (word >> 8 & 0xff) + "." + (word >> 16 & 0xff) + "." + (word >> 24 & 0xff);
    }

    /** Four host-order 32-bit words; printed in the compressed RFC 5952 form. */
    private static String ipv6(String hex) {
        int[] groups = new int[8];
        for (int w = 0; w < 4; w++) {
            long word = hex(hex.substring(w * 8, w * 8 + 8), 8, "address");
            long network = Long.reverseBytes(word) >>> 32; // little-endian word -> network order
            groups[w * 2] = (int) (network >>> 16 & 0xffff);
            groups[w * 2 + 1] = (int) (network & 0xffff);
        }
        if (groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
                && groups[5] == 0xffff) {
            return "::ffff:" + (groups[6] >> 8) + "." + (groups[6] & 0xff) + "." + (groups[7] >> 8) + "."
                    + (groups[7] & 0xff);
        }
        return compress(groups);
    }

    static String compress(int[] groups) {
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8;) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static long hex(String text, int maxDigits, String what) {
        if (text.isEmpty() || text.length() > maxDigits || !text.matches("[0-9A-Fa-f]+")) {
            throw new IllegalArgumentException(what + " is not hex: " + ServiceStateParser.abbreviate(text));
        }
        return Long.parseUnsignedLong(text, 16);
    }

    private static long decimal(String text, String what) {
        if (!text.matches("\\d{1,19}")) {
            throw new IllegalArgumentException(what + " is not a number: " + ServiceStateParser.abbreviate(text));
        }
        return Long.parseLong(text);
    }

    private static NodeAccessException.BadAnswer bad(String source, String message) {
        return new NodeAccessException.BadAnswer(source + ": " + message, null);
    }
}
