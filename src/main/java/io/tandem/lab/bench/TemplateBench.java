package io.tandem.lab.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.tandem.lab.exporter.SimulatedExporter;
import io.tandem.netflow.DecodeStats;
import io.tandem.netflow.Exporter;
import io.tandem.netflow.PacketDecoder;
import io.tandem.netflow.TemplateCache;

/**
 * {@code bench [--exporters N] [--packets N] [--seconds S]}: single-thread decoder throughput and
 * allocation over a realistic mix: half v9, half IPFIX exporters with 4 templates each, about 95%
 * data packets of 20+ records, 4% template refreshes and 1% data for templates never announced.
 *
 * <p>The default mix (4,000 packets, about 5 MB) stays in the CPU caches, as a datagram does right
 * after the socket copied it; {@code --packets 50000} (70 MB) measures the cache-cold worst case.
 */
public final class TemplateBench {

    private TemplateBench() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    private record Packet(Exporter exporter, byte[] bytes, boolean data) {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        int exporters = 200;
        int packetCount = 4_000;
        double seconds = 5;
        try {
            for (int i = 0; i < args.size(); i++) {
                switch (args.get(i)) {
                    case "--exporters" -> exporters = Integer.parseInt(args.get(++i));
                    case "--packets" -> packetCount = Integer.parseInt(args.get(++i));
                    case "--seconds" -> seconds = Double.parseDouble(args.get(++i));
                    default -> throw new IllegalArgumentException("unknown option " + args.get(i));
                }
            }
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            err.println(e.getMessage() + "\nusage: bench [--exporters N] [--packets N] [--seconds S]");
            return 2;
        }
        List<Packet> mix = buildMix(exporters, packetCount, new SplittableRandom(2026));
        Packet[] all = mix.toArray(Packet[]::new);
        Packet[] dataOnly = mix.stream().filter(p -> p.data).toArray(Packet[]::new);
        TemplateCache cache = new TemplateCache();
        DecodeStats stats = new DecodeStats();

        // Warm-up: lets the JIT compile the decoder and fills the cache with every template.
        for (int round = 0; round < 20; round++) {
            decodeAll(all, cache, stats, 0);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();

        stats.reset();
        long rounds = 0;
        long allocatedBefore = threads.getThreadAllocatedBytes(tid);
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            decodeAll(all, cache, stats, rounds);
            rounds++;
        }
        long elapsed = System.nanoTime() - start;
        long allocated = threads.getThreadAllocatedBytes(tid) - allocatedBefore;
        long packets = rounds * all.length;

        long dataRounds = Math.max(1, rounds / 4);
        DecodeStats dataStats = new DecodeStats();
        long dataAllocatedBefore = threads.getThreadAllocatedBytes(tid);
        for (long r = 0; r < dataRounds; r++) {
            decodeAll(dataOnly, cache, dataStats, rounds + r);
        }
        long dataAllocated = threads.getThreadAllocatedBytes(tid) - dataAllocatedBefore;

        out.printf("mix: %d exporters, %d packets (%d data packets, %.1f records per data packet), %d templates cached%n",
                exporters, all.length, dataOnly.length, (double) dataStats.dataRecords() / dataStats.packets(), cache.size());
        out.printf("throughput: %.0f packets/s, %.0f data records/s on one thread (%d packets in %.2f s)%n",
                packets / (elapsed / 1e9), stats.dataRecords() / (elapsed / 1e9), packets, elapsed / 1e9);
        out.printf("allocation: %.3f bytes/packet over the mix, %.3f bytes/data packet%n",
                (double) allocated / packets, (double) dataAllocated / (dataRounds * dataOnly.length));
        out.printf("counts: %s%n", stats);
        return 0;
    }

    private static void decodeAll(Packet[] packets, TemplateCache cache, DecodeStats stats, long round) {
        long now = round * 1000;
        for (Packet p : packets) {
            PacketDecoder.decode(p.exporter, p.bytes, 0, p.bytes.length, now, cache, stats);
        }
    }

    private static List<Packet> buildMix(int exporterCount, int packetCount, SplittableRandom random) {
        List<SimulatedExporter> simulated = new ArrayList<>();
        List<Exporter> addresses = new ArrayList<>();
        for (int i = 0; i < exporterCount; i++) {
            simulated.add(new SimulatedExporter(i % 2 == 0 ? 9 : 10, i, 4, i));
            addresses.add(Exporter.parse("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)));
        }
        // Exporters whose templates the collector never sees: their data is undecodable.
        Exporter silent = Exporter.parse("192.0.2.99");
        SimulatedExporter silentSimulator = new SimulatedExporter(10, 7, 4, 99);
        List<Packet> mix = new ArrayList<>();
        for (int i = 0; i < exporterCount; i++) {
            for (byte[] t : simulated.get(i).templatePackets(0)) {
                mix.add(new Packet(addresses.get(i), t, false));
            }
        }
        while (mix.size() < packetCount) {
            int e = random.nextInt(exporterCount);
            SimulatedExporter exporter = simulated.get(e);
            int roll = random.nextInt(100);
            if (roll < 4) {
                for (byte[] t : exporter.templatePackets(0)) {
                    mix.add(new Packet(addresses.get(e), t, false));
                }
            } else if (roll < 5) {
                mix.add(new Packet(silent, silentSimulator.dataPacket(random.nextInt(4), 20, 0), true));
            } else {
                int template = random.nextInt(exporter.dataTemplateCount());
                mix.add(new Packet(addresses.get(e), exporter.dataPacket(template, 20 + random.nextInt(11), 0), true));
            }
        }
        return mix;
    }
}
