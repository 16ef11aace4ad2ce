package io.tandem.lab.nfo;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The syslog line a lab NFO node forwards per decoded record, in RFC 5424 form with one structured-data element:
 * <pre>{@code <134>1 2026-01-01T00:00:00.000Z nodeA nfo - flow [nfo@53970 exporter="127.0.0.1" domain="1000" template="256" seq="7" v="10" pseq="4711" rec="0" recs="3"] netflow record}</pre>
 * Writer and reader live together so the sink reads exactly what the node writes. The record's identity, the same
 * on both nodes of a pair because both decode the same packets, is (exporter, domain, pseq, rec): the sink counts
 * lost and duplicated records from it (see {@code RecordLedger}).
 *
 * @param template the template id, or {@code v5} for NetFlow v5 records (which have none)
 * @param seq the node's forwarded-line counter, so gaps and repeats from one node are visible
 * @param version the NetFlow version of the packet (5, 9 or 10 for IPFIX)
 * @param packetSeq the packet header's sequence number (IPFIX and v5: data records sent before this packet; v9:
 *        packets sent before it)
 * @param record this record's index among the packet's decoded data records, from 0
 * @param records how many data records the node decoded from the packet
 */
public record FlowSyslog(Instant timestamp, String node, String exporter, long domain, String template, long seq,
                         int version, long packetSeq, int record, int records) {

    /** A line without packet identity (version 0): for callers that only count lines per node. */
    public FlowSyslog(Instant timestamp, String node, String exporter, long domain, String template, long seq) {
        this(timestamp, node, exporter, domain, template, seq, 0, 0, 0, 1);
    }

    /** local0.info */
    private static final int PRIORITY = 134;
    static final int MAX_LINE_CHARS = 2048;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern LINE = Pattern.compile("<\\d{1,3}>1 (\\S{1,40}) ([A-Za-z0-9_][A-Za-z0-9_.-]{0,252}) "
            + "nfo - flow \\[nfo@53970 exporter=\"([0-9A-Fa-f.:]{1,45})\" domain=\"(\\d{1,10})\" "
            + "template=\"(v5|\\d{1,5})\" seq=\"(\\d{1,18})\" v=\"(0|5|9|10)\" pseq=\"(\\d{1,10})\" "
            + "rec=\"(\\d{1,5})\" recs=\"(\\d{1,5})\"] netflow record");

    public String format() {
        return "<" + PRIORITY + ">1 " + TIME.format(timestamp) + " " + node + " nfo - flow [nfo@53970 exporter=\""
                + exporter + "\" domain=\"" + domain + "\" template=\"" + template + "\" seq=\"" + seq
                + "\" v=\"" + version + "\" pseq=\"" + packetSeq + "\" rec=\"" + record + "\" recs=\"" + records
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
        int record = Integer.parseInt(m.group(9));
        int records = Integer.parseInt(m.group(10));
        if (record >= records) {
            return Optional.empty();
        }
        return Optional.of(new FlowSyslog(time, m.group(2), m.group(3), Long.parseLong(m.group(4)), m.group(5),
                Long.parseLong(m.group(6)), Integer.parseInt(m.group(7)), Long.parseLong(m.group(8)), record, records));
    }
}
