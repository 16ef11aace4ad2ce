package io.tandem.drbd;

import java.util.OptionalLong;

/**
 * How far a running resync is: {@code percentDone} of {@code totalKib} (DRBD's {@code rs-total}), with DRBD's own
 * estimate of the seconds left when it gives one.
 */
public record ResyncProgress(double percentDone, OptionalLong totalKib, OptionalLong etaSeconds) {
}
