package io.tandem.drbd;

import java.util.Optional;
import java.util.OptionalLong;

/** A local volume of a resource: {@code /dev/drbd<minor>} and the state of its backing disk. */
public record DrbdDevice(int volume, int minor, DiskState diskState, OptionalLong sizeKib, Optional<Boolean> quorum) {
}
