package io.tandem.pacemaker;

import java.util.Comparator;

/**
 * The CIB's change token from the {@code <cib>} root: any change to the configuration or status moves it forward,
 * so comparing two tokens is the cheapest way to know whether a fresh read is needed. Ordered as Pacemaker
 * orders them: admin_epoch, then epoch, then num_updates.
 */
public record CibVersion(long adminEpoch, long epoch, long numUpdates) implements Comparable<CibVersion> {

    private static final Comparator<CibVersion> ORDER = Comparator.comparingLong(CibVersion::adminEpoch)
            .thenComparingLong(CibVersion::epoch).thenComparingLong(CibVersion::numUpdates);

    @Override
    public int compareTo(CibVersion other) {
        return ORDER.compare(this, other);
    }

    public boolean isNewerThan(CibVersion other) {
        return compareTo(other) > 0;
    }

    /** The form Pacemaker's own tools print, e.g. {@code 0.12.3}. */
    @Override
    public String toString() {
        return adminEpoch + "." + epoch + "." + numUpdates;
    }
}
