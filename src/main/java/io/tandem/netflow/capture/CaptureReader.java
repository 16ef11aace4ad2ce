package io.tandem.netflow.capture;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Reads a pcap (micro- or nanosecond, either byte order) or pcapng capture from a stream, which may
 * be a live tcpdump pipe, and hands every UDP payload to a {@link DatagramSink}. Never throws on
 * malformed input: reading stops with a {@link CaptureError} in the summary.
 */
public final class CaptureReader {

    /** Larger than any real snap length (tcpdump's maximum is 262144). */
    static final int MAX_RECORD = 1 << 20;

    private static final int PCAP_MICROS = 0xA1B2C3D4;
    private static final int PCAP_NANOS = 0xA1B23C4D;
    private static final int PCAPNG_SHB = 0x0A0D0D0A;
    private static final int PCAPNG_BYTE_ORDER = 0x1A2B3C4D;
    private static final int MAX_INTERFACES = 1024;

    private final InputStream in;
    private final DatagramSink sink;
    private final FrameParser frames = new FrameParser();
    private byte[] buf = new byte[65536];
    private long position;
    private long frameCount;

    private CaptureReader(InputStream in, DatagramSink sink) {
        this.in = in;
        this.sink = sink;
    }

    /** Reads the capture to its end (or first error). Does not close the stream. */
    public static CaptureSummary read(InputStream in, DatagramSink sink) {
        CaptureReader reader = new CaptureReader(in, sink);
        CaptureError error;
        try {
            error = reader.readAll();
        } catch (IOException e) {
            error = new CaptureError(reader.position, CaptureProblem.READ_FAILED);
        }
        return new CaptureSummary(reader.frameCount, reader.frames.udpDatagrams, reader.frames.fragmentsSkipped,
                reader.frames.otherSkipped, Optional.ofNullable(error));
    }

    /** True when the bytes start with a pcap or pcapng magic number. */
    public static boolean isCapture(byte[] head) {
        if (head.length < 4) {
            return false;
        }
        int be = be32(head, 0);
        int le = Integer.reverseBytes(be);
        return be == PCAPNG_SHB || be == PCAP_MICROS || be == PCAP_NANOS || le == PCAP_MICROS || le == PCAP_NANOS;
    }

    private CaptureError readAll() throws IOException {
        int got = fill(0, 4);
        if (got < 4) {
            return new CaptureError(0, CaptureProblem.NOT_A_CAPTURE);
        }
        int magic = be32(buf, 0);
        if (magic == PCAPNG_SHB) {
            return readPcapng();
        }
        boolean little;
        if (magic == PCAP_MICROS || magic == PCAP_NANOS) {
            little = false;
        } else if (Integer.reverseBytes(magic) == PCAP_MICROS || Integer.reverseBytes(magic) == PCAP_NANOS) {
            little = true;
            magic = Integer.reverseBytes(magic);
        } else {
            return new CaptureError(0, CaptureProblem.NOT_A_CAPTURE);
        }
        return readPcap(little, magic == PCAP_NANOS);
    }

    private CaptureError readPcap(boolean little, boolean nanos) throws IOException {
        if (fill(4, 20) < 20) {
            return new CaptureError(position, CaptureProblem.TRUNCATED);
        }
        int linkType = i32(buf, 20, little) & 0xFFFF; // upper bits carry FCS information
        while (true) {
            long recordStart = position;
            int got = fill(0, 16);
            if (got == 0) {
                return null;
            }
            if (got < 16) {
                return new CaptureError(recordStart, CaptureProblem.TRUNCATED);
            }
            long seconds = i32(buf, 0, little) & 0xFFFFFFFFL;
            long fraction = i32(buf, 4, little) & 0xFFFFFFFFL;
            long captured = i32(buf, 8, little) & 0xFFFFFFFFL;
            if (captured > MAX_RECORD) {
                return new CaptureError(recordStart, CaptureProblem.RECORD_TOO_LARGE);
            }
            long dataOffset = position;
            if (fill(0, (int) captured) < captured) {
                return new CaptureError(recordStart, CaptureProblem.TRUNCATED);
            }
            frameCount++;
            long millis = seconds * 1000 + (nanos ? fraction / 1_000_000 : fraction / 1000);
            frames.frame(linkType, buf, 0, (int) captured, millis, dataOffset, sink);
        }
    }

    private CaptureError readPcapng() throws IOException {
        boolean little = false;
        boolean sectionSeen = false;
        int[] linkTypes = new int[0];
        long[] unitsPerSecond = new long[0];
        int interfaces = 0;
        boolean first = true;
        while (true) {
            long blockStart = first ? 0 : position;
            int got = first ? 4 + fill(4, 4) : fill(0, 8);
            first = false;
            if (got == 0) {
                return null;
            }
            if (got < 8) {
                return new CaptureError(blockStart, CaptureProblem.TRUNCATED);
            }
            int type = be32(buf, 0);
            if (type == PCAPNG_SHB) {
                // Each section header restates the byte order and starts a new interface list.
                if (fill(8, 4) < 4) {
                    return new CaptureError(blockStart, CaptureProblem.TRUNCATED);
                }
                int order = be32(buf, 8);
                if (order == PCAPNG_BYTE_ORDER) {
                    little = false;
                } else if (Integer.reverseBytes(order) == PCAPNG_BYTE_ORDER) {
                    little = true;
                } else {
                    return new CaptureError(blockStart, CaptureProblem.NOT_A_CAPTURE);
                }
                sectionSeen = true;
                interfaces = 0;
            } else if (!sectionSeen) {
                return new CaptureError(blockStart, CaptureProblem.NOT_A_CAPTURE);
            } else {
                type = i32(buf, 0, little);
            }
            long total = i32(buf, 4, little) & 0xFFFFFFFFL;
            int alreadyRead = type == PCAPNG_SHB ? 12 : 8;
            if (total < 12 || total % 4 != 0 || total > MAX_RECORD || total < alreadyRead + 4) {
                return new CaptureError(blockStart, CaptureProblem.BLOCK_LENGTH_INVALID);
            }
            int blockLength = (int) total;
            long bufferOffset = blockStart;
            if (fill(alreadyRead, blockLength - alreadyRead) < blockLength - alreadyRead) {
                return new CaptureError(blockStart, CaptureProblem.TRUNCATED);
            }
            int bodyEnd = blockLength - 4;
            switch (type) {
                case 1 -> { // interface description
                    if (bodyEnd < 16 || interfaces >= MAX_INTERFACES) {
                        return new CaptureError(blockStart, CaptureProblem.BLOCK_LENGTH_INVALID);
                    }
                    if (interfaces == linkTypes.length) {
                        linkTypes = java.util.Arrays.copyOf(linkTypes, Math.max(4, interfaces * 2));
                        unitsPerSecond = java.util.Arrays.copyOf(unitsPerSecond, linkTypes.length);
                    }
                    linkTypes[interfaces] = u16(buf, 8, little);
                    unitsPerSecond[interfaces] = timestampResolution(buf, 16, bodyEnd, little);
                    interfaces++;
                }
                case 6, 2 -> { // enhanced packet, obsolete packet
                    if (bodyEnd < 28) {
                        return new CaptureError(blockStart, CaptureProblem.BLOCK_LENGTH_INVALID);
                    }
                    int iface = type == 6 ? i32(buf, 8, little) : u16(buf, 8, little);
                    if (iface < 0 || iface >= interfaces) {
                        return new CaptureError(blockStart, CaptureProblem.UNKNOWN_INTERFACE);
                    }
                    long ts = (i32(buf, 12, little) & 0xFFFFFFFFL) << 32 | (i32(buf, 16, little) & 0xFFFFFFFFL);
                    long captured = i32(buf, 20, little) & 0xFFFFFFFFL;
                    if (captured > bodyEnd - 28) {
                        return new CaptureError(blockStart, CaptureProblem.BLOCK_LENGTH_INVALID);
                    }
                    frameCount++;
                    frames.frame(linkTypes[iface], buf, 28, (int) captured, toMillis(ts, unitsPerSecond[iface]),
                            bufferOffset, sink);
                }
                case 3 -> { // simple packet: interface 0, no timestamp
                    if (interfaces == 0 || bodyEnd < 12) {
                        return new CaptureError(blockStart, CaptureProblem.UNKNOWN_INTERFACE);
                    }
                    long original = i32(buf, 8, little) & 0xFFFFFFFFL;
                    int captured = (int) Math.min(original, bodyEnd - 12);
                    frameCount++;
                    frames.frame(linkTypes[0], buf, 12, captured, 0, bufferOffset, sink);
                }
                default -> {
                    // section header, statistics, name resolution, custom blocks: nothing to count
                }
            }
        }
    }

    /** Units per second from the if_tsresol option (code 9); microseconds by default. */
    private static long timestampResolution(byte[] b, int p, int end, boolean little) {
        while (end - p >= 4) {
            int code = u16(b, p, little);
            int length = u16(b, p + 2, little);
            if (code == 0 || end - p - 4 < length) {
                break;
            }
            if (code == 9 && length >= 1) {
                int v = b[p + 4] & 0xFF;
                int exponent = v & 0x7F;
                if ((v & 0x80) != 0) {
                    return exponent < 63 ? 1L << exponent : 1_000_000;
                }
                return exponent <= 18 ? (long) Math.pow(10, exponent) : 1_000_000;
            }
            p += 4 + ((length + 3) & ~3);
        }
        return 1_000_000;
    }

    private static long toMillis(long ts, long unitsPerSecond) {
        return unitsPerSecond >= 1000 ? ts / (unitsPerSecond / 1000) : ts * 1000 / Math.max(1, unitsPerSecond);
    }

    /** Reads up to {@code n} bytes into {@code buf[at..]}; returns how many arrived before end of stream. */
    private int fill(int at, int n) throws IOException {
        if (buf.length < at + n) {
            buf = java.util.Arrays.copyOf(buf, Math.max(at + n, buf.length * 2));
        }
        int total = 0;
        while (total < n) {
            int r = in.read(buf, at + total, n - total);
            if (r < 0) {
                break;
            }
            total += r;
        }
        position += total;
        return total;
    }

    private static int be32(byte[] b, int p) {
        return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }

    private static int i32(byte[] b, int p, boolean little) {
        int v = be32(b, p);
        return little ? Integer.reverseBytes(v) : v;
    }

    private static int u16(byte[] b, int p, boolean little) {
        int v = (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
        return little ? Integer.reverseBytes(v) >>> 16 : v;
    }
}
