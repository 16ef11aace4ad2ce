package io.tandem.netflow;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The address of a flow exporter (IPv4 or IPv6 bytes). Immutable, compared by bytes; callers on a
 * hot path keep one instance per exporter so that decoding does not allocate.
 */
public final class Exporter {

    public static final Exporter UNSPECIFIED = new Exporter(new byte[4]);

    private final byte[] address;
    private final int hash;

    private Exporter(byte[] address) {
        this.address = address;
        this.hash = Arrays.hashCode(address);
    }

    public static Exporter of(InetAddress address) {
        return new Exporter(address.getAddress());
    }

    /** @throws IllegalArgumentException unless {@code len} is 4 or 16 */
    public static Exporter of(byte[] buf, int off, int len) {
        if (len != 4 && len != 16) {
            throw new IllegalArgumentException("an exporter address has 4 or 16 bytes, not " + len);
        }
        return new Exporter(Arrays.copyOfRange(buf, off, off + len));
    }

    /** Parses a numeric IPv4/IPv6 literal; never resolves host names. */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static Exporter parse(String literal) {
        boolean ipv4 = literal != null && literal.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = literal != null && literal.indexOf(':') >= 0 && literal.matches("[0-9A-Fa-f:.]+");
        if (!ipv4 && !ipv6) {
            throw new IllegalArgumentException("not a numeric IP address: " + literal);
        }
        try {
            return of(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a numeric IP address: " + literal, e);
        }
    }

    /** True when this exporter's bytes equal {@code buf[off..off+len)}; lets readers reuse instances. */
    public boolean matches(byte[] buf, int off, int len) {
        return len == address.length && Arrays.equals(address, 0, len, buf, off, off + len);
    }

    public InetAddress toInetAddress() {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always valid", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Exporter other && Arrays.equals(address, other.address);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /**
     * The numeric address, IPv6 in RFC 5952 form ({@code 2001:db8::1}: lower case, no leading zeros, the longest run
     * of two or more zero groups shortened to {@code ::}); also its JSON form. An IPv4-mapped address prints as IPv4.
     */
    @Override
    @com.fasterxml.jackson.annotation.JsonValue
    public String toString() {
        InetAddress inet = toInetAddress();
        return inet instanceof java.net.Inet6Address ? rfc5952(address) : inet.getHostAddress();
    }

    static String rfc5952(byte[] ipv6) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((ipv6[2 * i] & 0xff) << 8) | (ipv6[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is never shortened
        for (int i = 0; i < 8; ) {
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
        StringBuilder text = new StringBuilder(39);
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
}
