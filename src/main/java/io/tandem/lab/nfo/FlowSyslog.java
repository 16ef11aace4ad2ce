package io.tandem.lab.nfo;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The syslog line a lab NFO node forwards per decoded record, in RFC 5424 form with one structured-data element:
 * <pre>{@code <134>1 2026-01-01T00:00:00.000Z nodeA nfo - flow [nfo@53970 exporter="127.0.0.1" domain="1000" template="256" seq="7"] netflow record}</pre>
 * Writer and reader live together so the sink reads exactly what the node writes.
 *
 * @param template the template id, or {@code v5} for NetFlow v5 records (which have none)
 * @param seq the node's forwarded-line counter, so gaps and repeats from one node are visible
 */
public record FlowSyslog(Instant timestamp, String node, String exporter, long domain, String template, long seq) {

    /** local0.info */
    private static final int PRIORITY = 134;
    static final int MAX_LINE_CHARS = 2048;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern LINE = Pattern.compile("<\\d{1,3}>1 (\\S{1,40}) ([A-Za-z0-9_][A-Za-z0-9_.-]{0,252}) "
            + "nfo - flow \\[nfo@53970 exporter=\"([0-9A-Fa-f.:]{1,45})\" domain=\"(\\d{1,10})\" "
            + "template=\"(v5|\\d{1,5})\" seq=\"(\\d{1,18})\"] netflow record");

    public String format() {
        return "<" + PRIORITY + ">1 " + TIME.format(timestamp) + " " + node + " nfo - flow [nfo@53970 exporter=\""
                + exporter + "\" domain=\"" + domain + "\" template=\"" + template + "\" seq=\"" + seq
                + "\"] netflow record";
    }

    /** Empty for anything that is not a line in this form (the sink counts those as malformed). */
    public static Optional<FlowSyslog> parse(String line) {
        if (line == null || line.length() > MAX_LINE_CHARS) {
            return Optional.empty();
        }
        Matcher m = LINE.matcher(line.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        Instant time;
        try {
            time = Instant.from(TIME.parse(m.group(1)));
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
        return Optional.of(new FlowSyslog(time, m.group(2), m.group(3), Long.parseLong(m.group(4)), m.group(5),
                Long.parseLong(m.group(6))));
    }
}
