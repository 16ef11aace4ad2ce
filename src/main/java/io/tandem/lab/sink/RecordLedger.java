package io.tandem.lab.sink;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import io.tandem.lab.nfo.FlowSyslog;

/**
 * Which records of each exporter reached the SIEM, by the identity the lab NFO writes into each line (exporter,
 * observation domain, packet sequence, record index): a record never received is <b>lost</b>, a record received
 * again (from either node) is <b>duplicated</b>. Counted, not estimated from rates.
 *
 * <p>IPFIX and v5 number records (a packet's sequence is the count of data records sent before it), so each record
 * has a number {@code pseq + rec} and every hole between the first and the last number received is a lost record,
 * whole lost packets included. NetFlow v9 numbers packets, and a packet may carry no data records (templates only),
 * so for v9 only records missing from a packet that arrived are counted as lost and wholly missing packets are
 * reported apart ({@link Counts#missingV9Packets}). Numbers are kept as disjoint ranges (records mostly arrive in
 * order, so there are few), at most {@value #MAX_RANGES} per stream and {@value #MAX_STREAMS} streams: past a bound
 * the stream is marked {@link Counts#overflowed} rather than growing.
 */
public final class RecordLedger {

    static final int MAX_STREAMS = 256;
    static final int MAX_RANGES = 65_536;
    /** A sequence that jumps back this far is a restarted exporter, not a late record. */
    private static final long RESTART_DISTANCE = 1L << 31;

    /**
     * Per exporter ({@code address/domain}).
     *
     * @param records lines received with a record identity
     * @param lost records never received between the first and the last one received
     * @param duplicated lines received for a record already received
     */
    public record Counts(long records, long lost, long duplicated, long missingV9Packets, boolean overflowed) {
    }

    private final Map<String, Stream> streams = new LinkedHashMap<>();
    private long unidentified;

    /** Counts one line; lines without packet identity (version 0) are only counted as such. */
    synchronized void add(FlowSyslog line) {
        if (line.version() == 0) {
            unidentified++;
            return;
        }
        String key = line.exporter() + "/" + line.domain() + "/" + line.version();
        Stream stream = streams.get(key);
        if (stream == null) {
            if (streams.size() >= MAX_STREAMS) {
                unidentified++;
                return;
            }
            stream = new Stream(line.exporter() + "/" + line.domain(), line.version());
            streams.put(key, stream);
        }
        stream.add(line);
    }

    synchronized long unidentified() {
        return unidentified;
    }

    /** Per exporter, as {@code address/domain} (one address may host several exporters), in the order first seen. */
    synchronized Map<String, Counts> byExporter() {
        Map<String, Counts> out = new LinkedHashMap<>();
        for (Stream stream : streams.values()) {
            Counts c = stream.counts();
            out.merge(stream.exporter, c, (a, b) -> new Counts(a.records + b.records, a.lost + b.lost,
                    a.duplicated + b.duplicated, a.missingV9Packets + b.missingV9Packets, a.overflowed || b.overflowed));
        }
        return out;
    }

    /** One exporter's observation domain in one NetFlow version. */
    private static final class Stream {
        final String exporter;
        final boolean numbersRecords;
        /** Received numbers as disjoint ranges start -> end (inclusive); v9: packet seq * 2^16 + index. */
        final TreeMap<Long, Long> ranges = new TreeMap<>();
        /** v9 only: each received packet's record count, to find records missing from it. */
        final TreeMap<Long, Integer> v9Packets = new TreeMap<>();
        long records;
        long distinct;
        long duplicated;
        long base = -1;
        boolean overflowed;

        Stream(String exporter, int version) {
            this.exporter = exporter;
            this.numbersRecords = version != 9;
        }

        void add(FlowSyslog line) {
            records++;
            if (overflowed) {
                return;
            }
            long number = numbersRecords ? unwrap(line.packetSeq() + line.record())
                    : unwrap(line.packetSeq()) * 65_536 + line.record();
            if (number < 0) {
                return; // an exporter restart: counted as received, the old numbering is kept
            }
            if (!numbersRecords) {
                v9Packets.merge(number >>> 16, line.records(), Math::max);
            }
            if (!insert(number)) {
                duplicated++;
            }
        }

        /** Sequence numbers wrap at 2^32: numbers are kept relative to the first one seen, as a long. */
        private long unwrap(long sequence) {
            if (base < 0) {
                base = sequence;
            }
            long relative = (sequence - base) & 0xffffffffL;
            return relative >= RESTART_DISTANCE ? -1 : relative;
        }

        /** Adds the number; false when it was already there. */
        private boolean insert(long n) {
            var floor = ranges.floorEntry(n);
            if (floor != null && floor.getValue() >= n) {
                return false;
            }
            distinct++;
            boolean joinsLower = floor != null && floor.getValue() == n - 1;
            Long upperEnd = ranges.get(n + 1);
            if (joinsLower && upperEnd != null) {
                ranges.remove(n + 1);
                ranges.put(floor.getKey(), upperEnd);
            } else if (joinsLower) {
                ranges.put(floor.getKey(), n);
            } else if (upperEnd != null) {
                ranges.remove(n + 1);
                ranges.put(n, upperEnd);
            } else {
                ranges.put(n, n);
            }
            if (ranges.size() > MAX_RANGES) {
                overflowed = true;
            }
            return true;
        }

        Counts counts() {
            if (ranges.isEmpty()) {
                return new Counts(records, 0, duplicated, 0, overflowed);
            }
            if (numbersRecords) {
                long span = ranges.lastEntry().getValue() - ranges.firstKey() + 1;
                return new Counts(records, span - distinct, duplicated, 0, overflowed);
            }
            long expected = v9Packets.values().stream().mapToLong(Integer::longValue).sum();
            long missingPackets = v9Packets.lastKey() - v9Packets.firstKey() + 1 - v9Packets.size();
            return new Counts(records, expected - distinct, duplicated, missingPackets, overflowed);
        }
    }
}
