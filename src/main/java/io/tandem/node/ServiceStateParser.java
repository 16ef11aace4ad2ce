package io.tandem.node;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the service state from {@code systemctl show <unit> -p ...} (see {@link ServiceControl#showCommand()}) or
 * from the exit code of an operator-configured status command.
 */
public final class ServiceStateParser {

    static final int MAX_INPUT_CHARS = 64 * 1024;

    /** {@code Wed 2026-11-25 19:41:49 UTC}; the weekday is optional, the zone is UTC, GMT or a numeric offset. */
    private static final Pattern TIMESTAMP = Pattern.compile(
            "(?:[A-Za-z]{3} )?(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2})(?:\\.\\d+)?(?: (\\S+))?");
    private static final Pattern UNIX_TIMESTAMP = Pattern.compile("@(\\d{1,12})");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private ServiceStateParser() {
    }

    /**
     * @param output the {@code KEY=value} lines of {@code systemctl show}; unknown keys are ignored
     * @throws NodeAccessException.BadAnswer when there is no ActiveState line (not systemctl show output)
     */
    public static ServiceState fromSystemctlShow(String output) throws NodeAccessException.BadAnswer {
        if (output == null || output.length() > MAX_INPUT_CHARS) {
            throw new NodeAccessException.BadAnswer("systemctl show: missing or oversized output", null);
        }
        Map<String, String> properties = new HashMap<>();
        for (String line : output.lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                properties.putIfAbsent(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        String active = properties.get("ActiveState");
        if (active == null) {
            throw new NodeAccessException.BadAnswer("systemctl show: no ActiveState in the output", null);
        }
        String sinceText = properties.getOrDefault("ActiveEnterTimestamp", "");
        return new ServiceState(properties.getOrDefault("LoadState", ""), ActiveState.fromSystemd(active),
                properties.getOrDefault("SubState", ""),
                number(properties.get("MainPID"), "MainPID"), timestamp(sinceText), sinceText,
                (int) number(properties.get("ExecMainStatus"), "ExecMainStatus"), properties.getOrDefault("UnitFileState", ""));
    }

    /**
     * An operator-configured status command answers by exit code, in the LSB init-script convention: 0 running,
     * 1 or 2 dead although a pid or lock file remains (FAILED), 3 not running; anything else is UNKNOWN.
     */
    public static ServiceState fromStatusExit(CommandResult result) {
        ActiveState state = switch (result.exitCode()) {
            case 0 -> ActiveState.ACTIVE;
            case 1, 2 -> ActiveState.FAILED;
            case 3 -> ActiveState.INACTIVE;
            default -> ActiveState.UNKNOWN;
        };
        return new ServiceState("", state, "", 0, null, "", result.exitCode(), "");
    }

    /**
     * systemd prints in the local zone of the process; our runners set {@code TZ=UTC}. An ambiguous zone
     * abbreviation (CET, EST, ...) is not guessed at: the instant is left out and the text kept.
     */
    static Instant timestamp(String text) {
        if (text == null || text.isBlank() || text.equals("n/a")) {
            return null;
        }
        Matcher unix = UNIX_TIMESTAMP.matcher(text);
        if (unix.matches()) {
            return Instant.ofEpochSecond(Long.parseLong(unix.group(1)));
        }
        Matcher m = TIMESTAMP.matcher(text);
        if (!m.matches()) {
            return null;
        }
        try {
            LocalDateTime local = LocalDateTime.parse(m.group(1), LOCAL);
            ZoneId zone = zone(m.group(2));
            return zone == null ? null : local.atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static ZoneId zone(String text) {
        if (text == null || List.of("UTC", "GMT", "Z").contains(text)) {
            return ZoneOffset.UTC;
        }
        if (text.matches("[+-]\\d{2}:?\\d{2}")) {
            return ZoneOffset.of(text.length() == 5 ? text.substring(0, 3) + ":" + text.substring(3) : text);
        }
        return null;
    }

    private static long number(String value, String key) throws NodeAccessException.BadAnswer {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        if (!value.matches("\\d{1,10}")) {
            throw new NodeAccessException.BadAnswer("systemctl show: " + key + " is not a number: "
                    + abbreviate(value), null);
        }
        return Long.parseLong(value);
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
