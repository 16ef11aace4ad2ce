package io.tandem.monitor.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tandem.console.Rejected;
import io.tandem.console.StoredTime;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.PairHistory;

@RestController
@Tag(name = "Monitor")
class PairHistoryApi {

    private static final int LIMIT = 5000;

    private final FleetService fleet;
    private final PairHistory history;
    private final Clock clock;

    PairHistoryApi(FleetService fleet, PairHistory history, Clock clock) {
        this.fleet = fleet;
        this.history = history;
        this.clock = clock;
    }

    /**
     * @param kind ROLE (a node's role changed), RAISED or CLEARED (a finding), GAP (history held in memory while the
     *        database did not answer and written late; its text says from when to when and how many events were lost)
     * @param subject the new role, the finding's kind id, or {@code history-held}
     */
    record Event(Instant at, String kind, String node, String severity, String subject, String text) {
    }

    @GetMapping("/api/v1/clusters/{id}/history")
    @Operation(summary = "Role changes and findings raised/cleared, newest first; default the last 24 h. Filter by node, "
            + "kind (ROLE, RAISED, CLEARED, GAP or a finding kind such as stale-data) and severity; page with offset and limit "
            + "(at most 5000); the total matching is in the X-Total-Count header")
    org.springframework.http.ResponseEntity<List<Event>> history(@PathVariable UUID id, @RequestParam(required = false) Instant from,
                        @RequestParam(required = false) Instant to, @RequestParam(required = false) String node,
                        @RequestParam(required = false) String kind, @RequestParam(required = false) String severity,
                        @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "5000") int limit) {
        fleet.get(id);
        Instant end = to == null ? clock.instant() : StoredTime.require("to", to);
        Instant start = from == null ? end.minus(Duration.ofHours(24)) : StoredTime.require("from", from);
        if (!start.isBefore(end)) {
            throw Rejected.invalid("invalid-range", "from", "'from' must be before 'to'.");
        }
        if (offset < 0 || limit < 1 || limit > LIMIT) {
            throw Rejected.invalid("invalid-page", "limit", "'offset' must be 0 or more and 'limit' 1 to " + LIMIT + ".");
        }
        PairHistory.Page page = history.page(id, new PairHistory.Filter(node, kind, severity, start, end), offset, limit);
        return org.springframework.http.ResponseEntity.ok().header("X-Total-Count", String.valueOf(page.total()))
                .body(page.events().stream().map(e -> new Event(e.at(), e.kind(), e.node(),
                        "ROLE".equals(e.kind()) ? null : e.severity(), e.subject(), e.text())).toList());
    }
}
