package io.tandem.drbd;

/**
 * Entry point for reading DRBD output into a {@link DrbdStatus}. Pick the method by the command that produced the
 * text; for a live stream use {@link DrbdEvents2} directly.
 */
public final class DrbdParser {

    private DrbdParser() {
    }

    /** {@code drbdsetup status --json [--verbose] [--statistics]} (DRBD 9). */
    public static DrbdStatus statusJson(String json) throws DrbdParseException {
        return JsonStatusReader.read(json);
    }

    /** {@code drbdadm status} or {@code drbdsetup status [--verbose] [--statistics]} text (DRBD 9). */
    public static DrbdStatus statusText(String text) throws DrbdParseException {
        return StatusTextReader.read(text);
    }

    /** A complete {@code drbdsetup events2 [--now] [--statistics]} transcript (DRBD 9). */
    public static DrbdStatus events2(String text) throws DrbdParseException {
        return DrbdEvents2.parse(text);
    }

    /** The content of {@code /proc/drbd} (DRBD 8.x); a DRBD 9 {@code /proc/drbd} reads as no resources. */
    public static DrbdStatus procDrbd(String text) throws DrbdParseException {
        return ProcDrbdReader.read(text);
    }
}
