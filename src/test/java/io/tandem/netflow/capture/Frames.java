package io.tandem.netflow.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Synthetic link-layer frames and pcap/pcapng files for capture tests. */
final class Frames {

    private Frames() {
    }

    static byte[] udp4(byte[] src, byte[] dst, int sport, int dport, byte[] payload, int flagsFragment) {
        ByteBuffer b = ByteBuffer.allocate(28 + payload.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (28 + payload.length)).putShort((short) 1)
                .putShort((short) flagsFragment).put((byte) 64).put((byte) 17).putShort((short) 0).put(src).put(dst);
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0).put(payload);
        return b.array();
    }

    static byte[] udp6(byte[] src, byte[] dst, int sport, int dport, byte[] payload, boolean fragmentHeader) {
        int ext = fragmentHeader ? 8 : 0;
        ByteBuffer b = ByteBuffer.allocate(40 + ext + 8 + payload.length);
        b.putInt(0x60000000).putShort((short) (ext + 8 + payload.length)).put((byte) (fragmentHeader ? 44 : 17))
                .put((byte) 64).put(src).put(dst);
        if (fragmentHeader) {
            b.put((byte) 17).put((byte) 0).putShort((short) 1).putInt(7);
        }
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0).put(payload);
        return b.array();
    }

    static byte[] ethernet(int etherType, byte[] ip, int... vlans) {
        ByteBuffer b = ByteBuffer.allocate(14 + 4 * vlans.length + ip.length + 4); // 4 trailer bytes, as switches add
        b.put(new byte[12]);
        for (int vlan : vlans) {
            b.putShort((short) 0x8100).putShort((short) vlan);
        }
        b.putShort((short) etherType).put(ip);
        return b.array();
    }

    static byte[] sll(int protocol, byte[] ip) {
        return ByteBuffer.allocate(16 + ip.length).putShort((short) 0).putShort((short) 1).putShort((short) 6)
                .put(new byte[8]).putShort((short) protocol).put(ip).array();
    }

    static byte[] sll2(int protocol, byte[] ip) {
        return ByteBuffer.allocate(20 + ip.length).putShort((short) protocol).putShort((short) 0).putInt(2)
                .putShort((short) 1).put((byte) 0).put((byte) 6).put(new byte[8]).put(ip).array();
    }

    static byte[] pcap(int linkType, boolean little, boolean nanos, long timestampMillis, List<byte[]> frames) {
        ByteOrder order = little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(order);
        h.putInt(nanos ? 0xA1B23C4D : 0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(262144).putInt(linkType);
        out.writeBytes(h.array());
        for (byte[] f : frames) {
            ByteBuffer r = ByteBuffer.allocate(16).order(order);
            long fraction = nanos ? (timestampMillis % 1000) * 1_000_000 : (timestampMillis % 1000) * 1000;
            r.putInt((int) (timestampMillis / 1000)).putInt((int) fraction).putInt(f.length).putInt(f.length);
            out.writeBytes(r.array());
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    /** Section header, one interface (default microsecond resolution), enhanced packet blocks. */
    static byte[] pcapng(int linkType, boolean little, long timestampMillis, List<byte[]> frames) {
        ByteOrder order = little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(28).order(order).putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D)
                .putShort((short) 1).putShort((short) 0).putLong(-1).putInt(28).array());
        out.writeBytes(ByteBuffer.allocate(20).order(order).putInt(1).putInt(20).putShort((short) linkType)
                .putShort((short) 0).putInt(0).putInt(20).array());
        out.writeBytes(ByteBuffer.allocate(16).order(order).putInt(5).putInt(16).putInt(0).putInt(16).array()); // stats-like block, skipped
        for (byte[] f : frames) {
            int padded = (f.length + 3) & ~3;
            int total = 32 + padded;
            long micros = timestampMillis * 1000;
            ByteBuffer b = ByteBuffer.allocate(total).order(order);
            b.putInt(6).putInt(total).putInt(0).putInt((int) (micros >>> 32)).putInt((int) micros).putInt(f.length)
                    .putInt(f.length).put(f);
            b.position(total - 4);
            b.putInt(total);
            out.writeBytes(b.array());
        }
        return out.toByteArray();
    }
}
