package io.tandem.lab.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import io.tandem.lab.exporter.SimulatedExporter;
import io.tandem.netflow.capture.CaptureReader;

/** Seed export packets for the fuzzer: the shared corpus when present, simulator packets otherwise. */
public final class SeedPackets {

    private SeedPackets() {
    }

    /** Every UDP payload of the pcaps and every raw payload file under {@code dir}; empty if absent. */
    public static List<byte[]> fromCorpus(Path dir) throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return seeds;
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.endsWith(".pcap") || name.endsWith(".pcapng")) {
                try (InputStream in = Files.newInputStream(f)) {
                    CaptureReader.read(in, (src, sp, dp, b, off, len, ts, po) -> seeds.add(Arrays.copyOfRange(b, off, off + len)));
                }
            } else if (name.endsWith(".dat")) {
                seeds.add(Files.readAllBytes(f));
            }
        }
        return seeds;
    }

    /** Template and data packets of a few simulated v9 and IPFIX exporters. */
    public static List<byte[]> fromSimulator() {
        List<byte[]> seeds = new ArrayList<>();
        for (int version : new int[] {9, 10}) {
            for (int e = 0; e < 3; e++) {
                SimulatedExporter exporter = new SimulatedExporter(version, e, 4, e);
                seeds.addAll(exporter.templatePackets(0));
                for (int t = 0; t < exporter.dataTemplateCount(); t++) {
                    seeds.add(exporter.dataPacket(t, 5 + t, 0));
                }
            }
        }
        return seeds;
    }
}
