package io.tandem.lab.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.tandem.netflow.CachedTemplate;
import io.tandem.netflow.DecodeStats;
import io.tandem.netflow.Exporter;
import io.tandem.netflow.PacketDecoder;
import io.tandem.netflow.TemplateCache;
import io.tandem.netflow.TemplateDefinition;
import io.tandem.netflow.TemplateField;
import io.tandem.netflow.TemplateSnapshot;

/**
 * Seeded mutation fuzzer for {@link PacketDecoder}: bit flips, truncations, length-field lies, set
 * length loops and splices of seed packets, decoded into one long-lived, deliberately small cache.
 * Reports unchecked exceptions and cache or counter inconsistencies; the same seed gives the same run.
 */
public final class Fuzzer {

    /** Outcome of a run; {@code failures} holds the first few problems found. */
    public record Result(long iterations, long packetsWithErrors, long templatesInCache, List<String> failures) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    private static final int MAX_FAILURES = 20;
    private static final int CHECK_EVERY = 997;

    private Fuzzer() {
    }

    public static Result run(List<byte[]> seeds, long iterations, long seed) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("at least one seed packet is needed");
        }
        SplittableRandom random = new SplittableRandom(seed);
        TemplateCache cache = new TemplateCache(5_000);
        DecodeStats stats = new DecodeStats();
        Exporter[] exporters = {Exporter.UNSPECIFIED, Exporter.parse("192.0.2.1"), Exporter.parse("2001:db8::1")};
        List<String> failures = new ArrayList<>();
        for (long i = 0; i < iterations && failures.size() < MAX_FAILURES; i++) {
            byte[] packet = mutate(seeds, random);
            int off = random.nextInt(4) == 0 ? random.nextInt(3) : 0;
            byte[] framed = new byte[packet.length + off + random.nextInt(3)];
            System.arraycopy(packet, 0, framed, off, packet.length);
            try {
                PacketDecoder.decode(exporters[random.nextInt(exporters.length)], framed, off, packet.length, i * 10,
                        cache, stats);
            } catch (RuntimeException e) {
                failures.add("iteration " + i + ": " + e + " on " + hex(packet));
            }
            if (i % CHECK_EVERY == 0 || i == iterations - 1) {
                check(cache, stats, i + 1, failures);
            }
        }
        return new Result(stats.packets(), stats.packetsWithErrors(), cache.size(), List.copyOf(failures));
    }

    private static void check(TemplateCache cache, DecodeStats stats, long expectedPackets, List<String> failures) {
        TemplateSnapshot snapshot = cache.snapshot(expectedPackets * 10);
        long cachedData = 0;
        for (CachedTemplate t : snapshot.templates()) {
            TemplateDefinition d = t.definition();
            if (d.fields().isEmpty() || d.scopeFieldCount() > d.fields().size()
                    || d.fields().stream().anyMatch(f -> f.length() < 0 || f.length() > TemplateField.VARIABLE_LENGTH)
                    || t.lastSeenMillis() < t.firstSeenMillis() || t.dataRecords() < 0) {
                failures.add("invalid cached template " + t);
            }
            cachedData += t.dataRecords();
        }
        if (snapshot.size() != cache.size() || cache.size() > cache.maxTemplates()) {
            failures.add("cache size " + cache.size() + " vs snapshot " + snapshot.size());
        }
        if (cachedData > stats.dataRecords() || stats.packets() != expectedPackets
                || stats.packetsWithErrors() > stats.packets() || stats.undecodableRecords() < stats.undecodableSets()
                || stats.v5Packets() + stats.v9Packets() + stats.ipfixPackets() > stats.packets()) {
            failures.add("counters inconsistent: " + stats + " cached data " + cachedData);
        }
    }

    static byte[] mutate(List<byte[]> seeds, SplittableRandom r) {
        byte[] p = seeds.get(r.nextInt(seeds.size())).clone();
        int rounds = 1 + r.nextInt(3);
        for (int k = 0; k < rounds && p.length > 0; k++) {
            switch (r.nextInt(6)) {
                case 0 -> { // bit flips
                    for (int n = 1 + r.nextInt(8); n > 0; n--) {
                        p[r.nextInt(p.length)] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 1 -> p = java.util.Arrays.copyOf(p, r.nextInt(p.length + 1)); // truncation
                case 2 -> lie(p, setHeaders(p), r); // length or count field that lies
                case 3 -> { // a set length of 0 or 4 that would loop a naive parser
                    List<Integer> sets = setHeaders(p);
                    if (!sets.isEmpty()) {
                        int at = sets.get(r.nextInt(sets.size())) + 2;
                        put16(p, at, r.nextBoolean() ? 0 : 4);
                    }
                }
                case 4 -> { // splice the head of this packet onto the tail of another
                    byte[] other = seeds.get(r.nextInt(seeds.size()));
                    int cut = r.nextInt(p.length + 1);
                    int from = r.nextInt(other.length + 1);
                    byte[] spliced = new byte[cut + other.length - from];
                    System.arraycopy(p, 0, spliced, 0, cut);
                    System.arraycopy(other, from, spliced, cut, other.length - from);
                    p = spliced;
                }
                default -> { // random 16-bit value at a random even offset (field ids, lengths, counts)
                    if (p.length >= 2) {
                        put16(p, r.nextInt(p.length / 2) * 2, interesting(r));
                    }
                }
            }
        }
        return p;
    }

    private static void lie(byte[] p, List<Integer> sets, SplittableRandom r) {
        if (sets.isEmpty() || p.length < 4) {
            if (p.length >= 4) {
                put16(p, 2, interesting(r)); // v9 count or IPFIX message length
            }
            return;
        }
        int set = sets.get(r.nextInt(sets.size()));
        // set length, or the first template record's field count / scope length
        int at = r.nextBoolean() ? set + 2 : set + 6;
        if (at + 1 < p.length) {
            put16(p, at, interesting(r));
        }
    }

    private static int interesting(SplittableRandom r) {
        int[] values = {0, 1, 3, 4, 5, 255, 256, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF};
        return r.nextBoolean() ? values[r.nextInt(values.length)] : r.nextInt(65536);
    }

    /** Offsets of the set headers a well-formed walk of the packet finds. */
    private static List<Integer> setHeaders(byte[] p) {
        List<Integer> sets = new ArrayList<>();
        if (p.length < 2) {
            return sets;
        }
        int version = (p[0] & 0xFF) << 8 | (p[1] & 0xFF);
        int at = version == 9 ? 20 : version == 10 ? 16 : p.length;
        while (at + 4 <= p.length && sets.size() < 64) {
            sets.add(at);
            int length = (p[at + 2] & 0xFF) << 8 | (p[at + 3] & 0xFF);
            if (length < 4) {
                break;
            }
            at += length;
        }
        return sets;
    }

    private static void put16(byte[] p, int at, int v) {
        if (at >= 0 && at + 1 < p.length) {
            p[at] = (byte) (v >>> 8);
            p[at + 1] = (byte) v;
        }
    }

    private static String hex(byte[] p) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(p.length, 256); i++) {
            s.append(String.format("%02x", p[i]));
        }
        return s.toString();
    }
}
