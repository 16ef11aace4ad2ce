package io.tandem.netflow.capture;

import java.util.Optional;

import io.tandem.netflow.DecodeError;
import io.tandem.netflow.DecodeStats;
import io.tandem.netflow.Exporter;
import io.tandem.netflow.PacketDecoder;
import io.tandem.netflow.TemplateCache;

/**
 * The sink live sources feed: decodes every datagram into one template cache and keeps the counters.
 * Synchronized so a source thread can write while the console reads {@link #stats()}.
 */
public final class FlowIngest implements DatagramSink {

    private final TemplateCache cache;
    private final DecodeStats stats = new DecodeStats();
    private DecodeError lastError;

    public FlowIngest(TemplateCache cache) {
        this.cache = cache;
    }

    public TemplateCache cache() {
        return cache;
    }

    @Override
    public synchronized void datagram(Exporter source, int sourcePort, int destinationPort, byte[] buf, int off, int len,
                                      long timestampMillis, long payloadOffset) {
        Optional<DecodeError> error = PacketDecoder.decode(source, buf, off, len, timestampMillis, cache, stats);
        if (error.isPresent()) {
            lastError = error.get();
        }
    }

    public synchronized DecodeStats stats() {
        return stats.copy();
    }

    public synchronized Optional<DecodeError> lastError() {
        return Optional.ofNullable(lastError);
    }
}
