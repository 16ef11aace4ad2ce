package io.tandem.netflow;

import java.io.ByteArrayOutputStream;

/** Hand-built v9/IPFIX packets for tests: big-endian writes with set and message lengths patched in. */
final class Wire {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int setStart = -1;
    private final int version;

    private Wire(int version) {
        this.version = version;
    }

    static Wire ipfix(long domain) {
        Wire w = new Wire(10);
        w.u16(10).u16(0).u32(0).u32(0).u32(domain);
        return w;
    }

    static Wire v9(long sourceId, int count) {
        Wire w = new Wire(9);
        w.u16(9).u16(count).u32(0).u32(0).u32(0).u32(sourceId);
        return w;
    }

    Wire set(int id) {
        endSet();
        setStart = out.size();
        return u16(id).u16(0);
    }

    Wire u8(int v) {
        out.write(v);
        return this;
    }

    Wire u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    Wire u32(long v) {
        return u16((int) (v >>> 16) & 0xFFFF).u16((int) v & 0xFFFF);
    }

    Wire zeros(int n) {
        for (int i = 0; i < n; i++) {
            out.write(0);
        }
        return this;
    }

    /** Template record: id, then (elementId, length[, enterprise]) triples; enterprise 0 = none. */
    Wire template(int id, long... idLengthEnterprise) {
        u16(id).u16(idLengthEnterprise.length / 3);
        for (int i = 0; i < idLengthEnterprise.length; i += 3) {
            field((int) idLengthEnterprise[i], (int) idLengthEnterprise[i + 1], idLengthEnterprise[i + 2]);
        }
        return this;
    }

    Wire field(int id, int length, long enterprise) {
        u16(id | (enterprise != 0 ? 0x8000 : 0)).u16(length);
        if (enterprise != 0) {
            u32(enterprise);
        }
        return this;
    }

    byte[] bytes() {
        endSet();
        byte[] b = out.toByteArray();
        if (version == 10) {
            b[2] = (byte) (b.length >>> 8);
            b[3] = (byte) b.length;
        }
        return b;
    }

    private void endSet() {
        if (setStart >= 0) {
            int length = out.size() - setStart;
            byte[] b = out.toByteArray();
            b[setStart + 2] = (byte) (length >>> 8);
            b[setStart + 3] = (byte) length;
            out.reset();
            out.write(b, 0, b.length);
            setStart = -1;
        }
    }
}
