package io.tandem.node;

import java.time.Duration;
import java.time.Instant;

/**
 * The machine itself.
 *
 * @param hostname the kernel's host name ({@code /proc/sys/kernel/hostname})
 * @param uptime time since boot ({@code /proc/uptime}); a small value explains reset counters
 * @param kernel the kernel release ({@code /proc/sys/kernel/osrelease})
 * @param clock the node's clock when the facts were read; the console compares it with its own for the offset
 */
public record HostFacts(String hostname, Duration uptime, String kernel, Instant clock) {

    static final int MAX_TEXT = 256;

    /** Parses the three files' contents; each must be one short printable line. */
    public static HostFacts parse(String hostname, String procUptime, String osRelease, Instant clock)
            throws NodeAccessException.BadAnswer {
        return new HostFacts(line(hostname, "hostname"), uptime(procUptime), line(osRelease, "osrelease"), clock);
    }

    /** {@code /proc/uptime}: seconds since boot and idle seconds, both with two decimals. */
    static Duration uptime(String text) throws NodeAccessException.BadAnswer {
        String first = line(text, "/proc/uptime").split(" ")[0];
        if (!first.matches("\\d{1,12}(\\.\\d{1,9})?")) {
            throw new NodeAccessException.BadAnswer("/proc/uptime: not seconds: " + first, null);
        }
        String[] parts = first.split("\\.");
        long nanos = parts.length == 1 ? 0 : Long.parseLong((parts[1] + "000000000").substring(0, 9));
        return Duration.ofSeconds(Long.parseLong(parts[0]), nanos);
    }

    private static String line(String text, String what) throws NodeAccessException.BadAnswer {
        String value = text == null ? "" : text.strip();
        if (value.isEmpty() || value.length() > MAX_TEXT || value.contains("\n")
                || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new NodeAccessException.BadAnswer(what + ": expected one short printable line", null);
        }
        return value;
    }
}
