package io.tandem.monitor;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** A pair's recorded history (role changes, findings raised and cleared), filtered and paged, newest first. */
@Component
public class PairHistory {

    private final JdbcTemplate jdbc;

    PairHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One history row.
     *
     * @param kind ROLE (a node's role changed), RAISED or CLEARED (a finding), GAP (history held while the database
     *        did not answer, written late; the text says from when to when and whether events were lost)
     * @param subject the new role, or the finding's kind id ({@code history-held} for a GAP)
     */
    public record Event(long id, Instant at, String kind, String node, String severity, String subject, String text) {
    }

    /**
     * What to show; null fields do not filter.
     *
     * @param kind ROLE, RAISED, CLEARED, or a finding's kind id (e.g. {@code stale-data})
     * @param severity CRITICAL, WARNING or INFO
     * @param from inclusive start, {@code to} exclusive end: both required
     */
    public record Filter(String node, String kind, String severity, Instant from, Instant to) {

        public Filter {
            node = blankToNull(node);
            kind = blankToNull(kind);
            severity = blankToNull(severity) == null ? null : severity.trim().toUpperCase(Locale.ROOT);
            if (from == null || to == null || !from.isBefore(to)) {
                throw new IllegalArgumentException("a history range needs 'from' before 'to'");
            }
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.trim();
        }
    }

    /** One page of events matching the filter, newest first, and how many match in all. */
    public record Page(List<Event> events, long total, int offset, int limit) {

        public boolean hasNext() {
            return offset + events.size() < total;
        }

        public boolean hasPrevious() {
            return offset > 0;
        }
    }

    public Page page(UUID cluster, Filter filter, int offset, int limit) {
        List<Object> args = new ArrayList<>();
        String where = where(cluster, filter, args);
        Long total = jdbc.queryForObject("select count(*) from monitor_event where " + where, Long.class, args.toArray());
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(limit);
        pageArgs.add(Math.max(0, offset));
        List<Event> events = jdbc.query("select id, occurred_at, kind, node, severity, subject, text from monitor_event where "
                + where + " order by occurred_at desc, id desc limit ? offset ?", (rs, i) -> event(rs), pageArgs.toArray());
        return new Page(events, total == null ? 0 : total, Math.max(0, offset), limit);
    }

    /**
     * Where one event stands among those the filter shows, newest first: its offset, or empty when the filter leaves it
     * out (a role taken before the range, a node or kind filtered away) or it is not this pair's.
     */
    public java.util.OptionalLong offsetOf(UUID cluster, Filter filter, long event) {
        List<Object> args = new ArrayList<>();
        String where = where(cluster, filter, args);
        List<Object> eventArgs = new ArrayList<>(args);
        eventArgs.add(event);
        List<Instant> at = jdbc.query("select occurred_at from monitor_event where " + where + " and id = ?",
                (rs, i) -> rs.getTimestamp(1).toInstant(), eventArgs.toArray());
        if (at.isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        List<Object> newerArgs = new ArrayList<>(args);
        newerArgs.add(Timestamp.from(at.get(0)));
        newerArgs.add(Timestamp.from(at.get(0)));
        newerArgs.add(event);
        Long newer = jdbc.queryForObject("select count(*) from monitor_event where " + where
                + " and (occurred_at > ? or (occurred_at = ? and id > ?))", Long.class, newerArgs.toArray());
        return java.util.OptionalLong.of(newer == null ? 0 : newer);
    }

    /** One of this pair's events by id, whatever its time. */
    public java.util.Optional<Event> event(UUID cluster, long event) {
        return jdbc.query("select id, occurred_at, kind, node, severity, subject, text from monitor_event where cluster_id = ? and id = ?",
                (rs, i) -> event(rs), cluster, event).stream().findFirst();
    }

    /**
     * Everything in the range oldest first, unfiltered, for the picture; with the last role of each node before the
     * range, so its lanes start in the right colour.
     */
    public List<Event> picture(UUID cluster, Instant from, Instant to) {
        return jdbc.query("""
                        (select id, occurred_at, kind, node, severity, subject, text from monitor_event
                          where cluster_id = ? and kind = 'ROLE' and occurred_at < ?
                          and id in (select max(id) from monitor_event where cluster_id = ? and kind = 'ROLE' and occurred_at < ? group by node))
                        union all
                        (select id, occurred_at, kind, node, severity, subject, text from monitor_event
                          where cluster_id = ? and occurred_at >= ? and occurred_at < ?)
                        order by occurred_at, id
                        """, (rs, i) -> event(rs),
                cluster, Timestamp.from(from), cluster, Timestamp.from(from), cluster, Timestamp.from(from), Timestamp.from(to));
    }

    private static String where(UUID cluster, Filter f, List<Object> args) {
        StringBuilder where = new StringBuilder("cluster_id = ? and occurred_at >= ? and occurred_at < ?");
        args.add(cluster);
        args.add(Timestamp.from(f.from()));
        args.add(Timestamp.from(f.to()));
        if (f.node() != null) {
            where.append(" and node = ?");
            args.add(f.node());
        }
        if (f.kind() != null) {
            String upper = f.kind().toUpperCase(Locale.ROOT);
            if (upper.equals("ROLE") || upper.equals("RAISED") || upper.equals("CLEARED") || upper.equals("GAP")) {
                where.append(" and kind = ?");
                args.add(upper);
            } else {
                where.append(" and kind <> 'ROLE' and subject = ?");
                args.add(f.kind());
            }
        }
        if (f.severity() != null) {
            where.append(" and severity = ?");
            args.add(f.severity());
        }
        return where.toString();
    }

    private static Event event(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Event(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                rs.getString(5) == null ? "INFO" : rs.getString(5), rs.getString(6), rs.getString(7));
    }
}
