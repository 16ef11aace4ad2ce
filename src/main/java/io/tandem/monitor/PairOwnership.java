package io.tandem.monitor;

import java.util.UUID;

/**
 * Whether this console reads a pair's nodes, records its history and raises its alerts. A single console owns every
 * pair; consoles sharing a database split them (the {@code instances} module implements this).
 */
public interface PairOwnership {

    PairOwnership EVERY_PAIR = clusterId -> true;

    boolean owns(UUID clusterId);
}
