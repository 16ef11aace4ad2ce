package io.tandem.netflow.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import io.tandem.netflow.CachedTemplate;
import io.tandem.netflow.DecodeError;
import io.tandem.netflow.DecodeStats;
import io.tandem.netflow.Exporter;
import io.tandem.netflow.PacketDecoder;
import io.tandem.netflow.TemplateCache;
import io.tandem.netflow.capture.CaptureReader;
import io.tandem.netflow.capture.CaptureSummary;

/**
 * What one capture or raw NetFlow payload file contains: packet and record counts, errors and the
 * templates still defined at its end (withdrawn ones are not listed). Each file gets its own cache.
 * The console calls {@link #analyze(String, byte[], Exporter)} for uploaded files.
 */
public final class TemplateFileReport {

    /** Hostile files could produce an error per packet; the report keeps the first ones. */
    static final int MAX_ERRORS = 1000;

    private TemplateFileReport() {
    }

    public record Report(String file, long packets, long templateRecords, long dataRecords, long undecodableRecords,
                         List<ErrorEntry> errors, List<TemplateEntry> templates) {
        public boolean hasErrors() {
            return !errors.isEmpty();
        }
    }

    public record ErrorEntry(long offset, String reason) {
    }

    public record TemplateEntry(String exporter, long domain, int templateId, String kind, List<FieldEntry> fields) {
    }

    public record FieldEntry(int id, long enterprise, int length) {
    }

    /**
     * @param rawPayloadExporter exporter to attribute a raw payload file to (captures carry their own)
     */
    public static Report analyze(String fileName, byte[] content, Exporter rawPayloadExporter) {
        try {
            return analyze(fileName, new ByteArrayInputStream(content), rawPayloadExporter);
        } catch (IOException e) {
            throw new IllegalStateException("byte arrays do not fail to read", e);
        }
    }

    /** Reads the stream to its end; does not close it. Only stream read failures throw. */
    public static Report analyze(String fileName, InputStream in, Exporter rawPayloadExporter) throws IOException {
        TemplateCache cache = new TemplateCache();
        DecodeStats stats = new DecodeStats();
        List<ErrorEntry> errors = new ArrayList<>();
        long[] lastTimestamp = {0};
        byte[] head = in.readNBytes(4);
        InputStream whole = new java.io.SequenceInputStream(new ByteArrayInputStream(head), in);
        if (CaptureReader.isCapture(head)) {
            CaptureSummary summary = CaptureReader.read(whole, (source, sp, dp, buf, off, len, ts, payloadOffset) -> {
                lastTimestamp[0] = Math.max(lastTimestamp[0], ts);
                PacketDecoder.decode(source, buf, off, len, ts, cache, stats)
                        .ifPresent(e -> addError(errors, payloadOffset + e.offset(), e));
            });
            summary.error().ifPresent(e -> addError(errors, new ErrorEntry(e.offset(), e.reason())));
        } else if (head.length >= 2 && isNetFlowVersion((head[0] & 0xFF) << 8 | (head[1] & 0xFF))) {
            byte[] payload = whole.readAllBytes();
            if (payload.length > 65535) {
                addError(errors, new ErrorEntry(65535, "raw payload larger than a UDP datagram; decoding the first 65535 bytes"));
            }
            PacketDecoder.decode(rawPayloadExporter, payload, 0, Math.min(payload.length, 65535), 0, cache, stats)
                    .ifPresent(e -> addError(errors, e.offset(), e));
        } else {
            addError(errors, new ErrorEntry(0, "neither a pcap/pcapng capture nor a NetFlow v5/v9/IPFIX payload"));
        }
        List<TemplateEntry> templates = cache.snapshot(lastTimestamp[0]).templates().stream()
                .map(TemplateFileReport::entry).toList();
        return new Report(fileName, stats.packets(), stats.templateRecords(), stats.dataRecords(),
                stats.undecodableRecords(), List.copyOf(errors), templates);
    }

    private static boolean isNetFlowVersion(int version) {
        return version == 5 || version == 9 || version == 10;
    }

    private static TemplateEntry entry(CachedTemplate t) {
        return new TemplateEntry(t.key().exporter().toString(), t.key().domain(), t.key().templateId(), t.kind().name(),
                t.definition().fields().stream().map(f -> new FieldEntry(f.id(), f.enterprise(), f.length())).toList());
    }

    private static void addError(List<ErrorEntry> errors, long offset, DecodeError e) {
        addError(errors, new ErrorEntry(offset, e.reason()));
    }

    private static void addError(List<ErrorEntry> errors, ErrorEntry e) {
        if (errors.size() < MAX_ERRORS) {
            errors.add(e);
        }
    }
}
