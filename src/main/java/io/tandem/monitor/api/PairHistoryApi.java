package io.tandem.monitor.api;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tandem.console.Rejected;
import io.tandem.console.StoredTime;
import io.tandem.fleet.FleetService;

@RestController
@Tag(name = "Monitor")
class PairHistoryApi {

    private static final int LIMIT = 5000;

    private final FleetService fleet;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    PairHistoryApi(FleetService fleet, JdbcTemplate jdbc, Clock clock) {
        this.fleet = fleet;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * @param kind ROLE (a node's role changed), RAISED or CLEARED (a finding)
     * @param subject the new role, or the finding's kind id
     */
    record Event(Instant at, String kind, String node, String severity, String subject, String text) {
    }

    @GetMapping("/api/v1/clusters/{id}/history")
    @Operation(summary = "Role changes and findings raised/cleared, newest first; default the last 24 h (at most 5000 events)")
    List<Event> history(@PathVariable UUID id, @RequestParam(required = false) Instant from,
                        @RequestParam(required = false) Instant to) {
        fleet.get(id);
        Instant end = to == null ? clock.instant() : StoredTime.require("to", to);
        Instant start = from == null ? end.minus(Duration.ofHours(24)) : StoredTime.require("from", from);
        if (!start.isBefore(end)) {
            throw Rejected.invalid("invalid-range", "from", "'from' must be before 'to'.");
        }
        return jdbc.query("""
                        select occurred_at, kind, node, severity, subject, text from monitor_event
                        where cluster_id = ? and occurred_at >= ? and occurred_at < ? order by occurred_at desc, id desc limit ?
                        """,
                (rs, i) -> new Event(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)),
                id, Timestamp.from(start), Timestamp.from(end), LIMIT);
    }
}
