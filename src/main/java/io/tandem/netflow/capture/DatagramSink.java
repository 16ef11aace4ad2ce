package io.tandem.netflow.capture;

import io.tandem.netflow.Exporter;

/**
 * Receives UDP payloads found by a packet source. The buffer is only valid during the call.
 * {@code payloadOffset} is the payload's byte offset in the capture (-1 for live sockets).
 */
@FunctionalInterface
public interface DatagramSink {
    void datagram(Exporter source, int sourcePort, int destinationPort, byte[] buf, int off, int len,
                  long timestampMillis, long payloadOffset);
}
