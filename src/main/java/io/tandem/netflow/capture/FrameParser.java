package io.tandem.netflow.capture;

import io.tandem.netflow.Exporter;

/** Finds the UDP payload in one link-layer frame (Ethernet/VLAN, Linux SLL/SLL2, raw IP; IPv4/IPv6). */
final class FrameParser {

    static final int LINK_ETHERNET = 1;
    static final int LINK_RAW_BSD = 12;
    static final int LINK_RAW = 101;
    static final int LINK_LINUX_SLL = 113;
    static final int LINK_IPV4 = 228;
    static final int LINK_IPV6 = 229;
    static final int LINK_LINUX_SLL2 = 276;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int MAX_VLAN_TAGS = 4;

    long udpDatagrams;
    long fragmentsSkipped;
    long otherSkipped;
    private Exporter lastSource;

    /** Delivers the frame's UDP payload to the sink, or counts why it was skipped; {@code bufferOffset} is the capture offset of {@code b[0]}. */
    void frame(int linkType, byte[] b, int off, int len, long timestampMillis, long bufferOffset, DatagramSink sink) {
        int end = off + len;
        switch (linkType) {
            case LINK_ETHERNET -> ethernet(b, off, end, timestampMillis, bufferOffset, sink);
            case LINK_LINUX_SLL -> {
                if (len < 16) {
                    otherSkipped++;
                } else {
                    ip(u16(b, off + 14), b, off + 16, end, timestampMillis, bufferOffset, sink);
                }
            }
            case LINK_LINUX_SLL2 -> {
                if (len < 20) {
                    otherSkipped++;
                } else {
                    ip(u16(b, off), b, off + 20, end, timestampMillis, bufferOffset, sink);
                }
            }
            case LINK_RAW, LINK_RAW_BSD -> {
                int version = len > 0 ? (b[off] & 0xFF) >>> 4 : 0;
                ip(version == 4 ? ETHERTYPE_IPV4 : version == 6 ? ETHERTYPE_IPV6 : -1, b, off, end, timestampMillis,
                        bufferOffset, sink);
            }
            case LINK_IPV4 -> ip(ETHERTYPE_IPV4, b, off, end, timestampMillis, bufferOffset, sink);
            case LINK_IPV6 -> ip(ETHERTYPE_IPV6, b, off, end, timestampMillis, bufferOffset, sink);
            default -> otherSkipped++;
        }
    }

    private void ethernet(byte[] b, int p, int end, long ts, long bufferOffset, DatagramSink sink) {
        if (end - p < 14) {
            otherSkipped++;
            return;
        }
        int type = u16(b, p + 12);
        p += 14;
        for (int tags = 0; (type == 0x8100 || type == 0x88A8 || type == 0x9100) && tags < MAX_VLAN_TAGS; tags++) {
            if (end - p < 4) {
                otherSkipped++;
                return;
            }
            type = u16(b, p + 2);
            p += 4;
        }
        ip(type, b, p, end, ts, bufferOffset, sink);
    }

    private void ip(int etherType, byte[] b, int p, int end, long ts, long bufferOffset, DatagramSink sink) {
        if (etherType == ETHERTYPE_IPV4) {
            ipv4(b, p, end, ts, bufferOffset, sink);
        } else if (etherType == ETHERTYPE_IPV6) {
            ipv6(b, p, end, ts, bufferOffset, sink);
        } else {
            otherSkipped++;
        }
    }

    private void ipv4(byte[] b, int p, int end, long ts, long bufferOffset, DatagramSink sink) {
        if (end - p < 20 || (b[p] & 0xF0) != 0x40) {
            otherSkipped++;
            return;
        }
        int headerLength = (b[p] & 0x0F) * 4;
        int totalLength = u16(b, p + 2);
        if (headerLength < 20 || totalLength < headerLength) {
            otherSkipped++;
            return;
        }
        int flagsFragment = u16(b, p + 6);
        if ((flagsFragment & 0x3FFF) != 0) { // more-fragments flag or a fragment offset
            fragmentsSkipped++;
            return;
        }
        if (b[p + 9] != 17) {
            otherSkipped++;
            return;
        }
        int ipEnd = Math.min(end, p + totalLength); // drops Ethernet trailer padding
        udp(b, p + 12, 4, p + headerLength, ipEnd, ts, bufferOffset, sink);
    }

    private void ipv6(byte[] b, int p, int end, long ts, long bufferOffset, DatagramSink sink) {
        if (end - p < 40 || (b[p] & 0xF0) != 0x60) {
            otherSkipped++;
            return;
        }
        int ipEnd = Math.min(end, p + 40 + u16(b, p + 4));
        int next = b[p + 6] & 0xFF;
        int q = p + 40;
        // Walk extension headers: hop-by-hop, routing, destination options; fragments are skipped.
        for (int hops = 0; hops < 8 && (next == 0 || next == 43 || next == 60 || next == 44); hops++) {
            if (next == 44) {
                fragmentsSkipped++;
                return;
            }
            if (ipEnd - q < 8) {
                otherSkipped++;
                return;
            }
            int length = ((b[q + 1] & 0xFF) + 1) * 8;
            next = b[q] & 0xFF;
            q += length;
        }
        if (next != 17 || q > ipEnd) {
            otherSkipped++;
            return;
        }
        udp(b, p + 8, 16, q, ipEnd, ts, bufferOffset, sink);
    }

    private void udp(byte[] b, int sourceOff, int sourceLen, int p, int end, long ts, long bufferOffset, DatagramSink sink) {
        if (end - p < 8) {
            otherSkipped++;
            return;
        }
        int udpLength = u16(b, p + 4);
        // UDP length 0 happens with jumbograms and some offloads; trust the IP length then.
        int payloadEnd = udpLength >= 8 ? Math.min(end, p + udpLength) : end;
        Exporter source = lastSource;
        if (source == null || !source.matches(b, sourceOff, sourceLen)) {
            source = Exporter.of(b, sourceOff, sourceLen);
            lastSource = source;
        }
        udpDatagrams++;
        sink.datagram(source, u16(b, p), u16(b, p + 2), b, p + 8, payloadEnd - p - 8, ts,
                bufferOffset < 0 ? -1 : bufferOffset + (p + 8));
    }

    static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }
}
