package io.tandem.netflow;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.tandem.netflow.capture.CaptureReader;
import io.tandem.netflow.capture.CaptureSummary;

/** The shared NetFlow corpus, read in place from {@code ../shared/corpus} (never copied here). */
public final class Corpus {

    public static final Path ROOT = Path.of("..", "shared", "corpus");
    public static final Path NETFLOW = ROOT.resolve("netflow");

    private Corpus() {
    }

    public static boolean present() {
        return Files.isDirectory(NETFLOW) && Files.isRegularFile(ROOT.resolve("CATALOG.md"));
    }

    /** Skips the calling test when the corpus is absent. */
    public static void assumePresent() {
        assumeTrue(present(), "NetFlow corpus not found at " + NETFLOW.toAbsolutePath());
    }

    public static String catalog() {
        try {
            return Files.readString(ROOT.resolve("CATALOG.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Path> files(String extension) {
        try (Stream<Path> s = Files.walk(NETFLOW)) {
            return s.filter(p -> p.toString().endsWith(extension)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A UDP payload with its exporter, as found in a capture or a raw payload file. */
    public record Datagram(Exporter exporter, byte[] payload, long timestampMillis) {
    }

    /** Every datagram of every corpus pcap and raw payload file. */
    public static List<Datagram> allDatagrams() {
        List<Datagram> all = new ArrayList<>();
        for (Path p : files(".pcap")) {
            all.addAll(datagrams(p));
        }
        for (Path p : files(".dat")) {
            all.add(new Datagram(Exporter.UNSPECIFIED, read(p), 0));
        }
        return all;
    }

    public static List<Datagram> datagrams(Path pcap) {
        List<Datagram> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(pcap)) {
            CaptureSummary s = CaptureReader.read(in, (src, sp, dp, b, off, len, ts, po) ->
                    out.add(new Datagram(src, java.util.Arrays.copyOfRange(b, off, off + len), ts)));
            if (s.error().isPresent()) {
                throw new AssertionError(pcap + ": " + s.error().get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Decodes the file (capture or raw payload) into the given cache. */
    public static void replay(Path file, TemplateCache cache, DecodeStats stats) {
        if (file.toString().endsWith(".pcap")) {
            for (Datagram d : datagrams(file)) {
                PacketDecoder.decode(d.exporter(), d.payload(), 0, d.payload().length, d.timestampMillis(), cache, stats);
            }
        } else {
            byte[] b = read(file);
            PacketDecoder.decode(Exporter.UNSPECIFIED, b, 0, b.length, 0, cache, stats);
        }
    }
}
