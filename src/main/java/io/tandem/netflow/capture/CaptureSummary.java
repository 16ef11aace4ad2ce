package io.tandem.netflow.capture;

import java.util.Optional;

/**
 * What reading a capture found: frames read, UDP datagrams delivered, IP fragments and other frames
 * (non-UDP, non-IP, unsupported link types) skipped, and the error that stopped reading, if any.
 */
public record CaptureSummary(long frames, long udpDatagrams, long fragmentsSkipped, long otherSkipped,
                             Optional<CaptureError> error) {
}
