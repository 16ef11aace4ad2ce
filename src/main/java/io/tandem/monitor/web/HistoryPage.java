package io.tandem.monitor.web;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;

/** A pair's history as a picture: role lanes per node and findings over 24 h, 7 d or 30 d, with the events below. */
@Controller
class HistoryPage {

    private static final Map<String, Duration> RANGES = Map.of("24h", Duration.ofHours(24), "7d", Duration.ofDays(7),
            "30d", Duration.ofDays(30), "1h", Duration.ofHours(1));

    private final FleetService fleet;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    HistoryPage(FleetService fleet, JdbcTemplate jdbc, Clock clock) {
        this.fleet = fleet;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @GetMapping("/clusters/{id}/history")
    String history(@PathVariable UUID id, @RequestParam(defaultValue = "24h") String range, Model model) {
        ClusterView cluster = fleet.get(id);
        Duration span = RANGES.getOrDefault(range, RANGES.get("24h"));
        Instant to = clock.instant();
        Instant from = to.minus(span);
        // the role each node had when the range starts comes from the last change before it
        List<HistoryChart.Row> rows = jdbc.query("""
                        (select id, occurred_at, kind, node, severity, subject, text from monitor_event
                          where cluster_id = ? and kind = 'ROLE' and occurred_at < ?
                          and id in (select max(id) from monitor_event where cluster_id = ? and kind = 'ROLE' and occurred_at < ? group by node))
                        union all
                        (select id, occurred_at, kind, node, severity, subject, text from monitor_event
                          where cluster_id = ? and occurred_at >= ? and occurred_at < ?)
                        order by occurred_at, id
                        """,
                (rs, i) -> new HistoryChart.Row(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                        rs.getString(5) == null ? "INFO" : rs.getString(5), rs.getString(6), rs.getString(7)),
                id, Timestamp.from(from), id, Timestamp.from(from), id, Timestamp.from(from), Timestamp.from(to));
        model.addAttribute("cluster", cluster);
        model.addAttribute("range", RANGES.containsKey(range) ? range : "24h");
        model.addAttribute("chart", HistoryChart.of(rows, cluster.nodes().stream().map(ClusterView.NodeView::name).toList(), from, to));
        model.addAttribute("events", rows.stream().filter(r -> !r.at().isBefore(from)).sorted((a, b) -> b.at().compareTo(a.at())).limit(200).toList());
        return "monitor/history";
    }
}
