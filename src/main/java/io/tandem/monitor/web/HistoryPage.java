package io.tandem.monitor.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

import io.tandem.console.Rejected;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.Finding;
import io.tandem.monitor.PairHistory;

/**
 * A pair's history as a picture (role lanes per node and findings) over a preset or chosen range, zoomable by its
 * ticks, with the events below: newest first, paged, filtered by node, kind and severity.
 */
@Controller
class HistoryPage {

    private static final Map<String, Duration> RANGES = Map.of("24h", Duration.ofHours(24), "7d", Duration.ofDays(7),
            "30d", Duration.ofDays(30), "1h", Duration.ofHours(1));
    static final int PAGE_SIZE = 50;
    /** The form's datetime-local fields, read and written in UTC like every time on the page. */
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

    private final FleetService fleet;
    private final PairHistory history;
    private final Clock clock;

    HistoryPage(FleetService fleet, PairHistory history, Clock clock) {
        this.fleet = fleet;
        this.history = history;
        this.clock = clock;
    }

    @GetMapping("/clusters/{id}/history")
    String history(@PathVariable UUID id, @RequestParam(defaultValue = "24h") String range,
                   @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                   @RequestParam(required = false) String node, @RequestParam(required = false) String kind,
                   @RequestParam(required = false) String severity, @RequestParam(defaultValue = "0") int page,
                   @RequestParam(required = false) Long event, Model model) {
        ClusterView cluster = fleet.get(id);
        Instant end = to == null || to.isBlank() ? clock.instant() : parse("to", to);
        Instant start = from == null || from.isBlank() ? end.minus(RANGES.getOrDefault(range, RANGES.get("24h"))) : parse("from", from);
        if (!start.isBefore(end)) {
            throw Rejected.invalid("invalid-range", "from", "'from' must be before 'to'.");
        }
        PairHistory.Filter filter = new PairHistory.Filter(node, kind, severity, start, end);
        // a stretch clicked on the picture names the event that began it: show the page that holds it, or, when the
        // range or the filter leaves it out (a role taken before the range), that event on its own above the table
        PairHistory.Event outside = null;
        if (event != null) {
            var offset = history.offsetOf(id, filter, event);
            if (offset.isPresent()) {
                page = (int) (offset.getAsLong() / PAGE_SIZE);
            } else {
                outside = history.event(id, event).orElse(null);
            }
        }
        PairHistory.Page events = history.page(id, filter, Math.max(0, page) * PAGE_SIZE, PAGE_SIZE);
        List<HistoryChart.Row> rows = history.picture(id, start, end).stream().map(e -> new HistoryChart.Row(e.id(), e.at(),
                e.kind(), e.node(), e.severity(), e.subject(), e.text())).toList();
        model.addAttribute("cluster", cluster);
        model.addAttribute("range", from == null && to == null && RANGES.containsKey(range) ? range : "");
        model.addAttribute("from", LOCAL.format(start.atOffset(ZoneOffset.UTC)));
        model.addAttribute("to", LOCAL.format(end.atOffset(ZoneOffset.UTC)));
        model.addAttribute("filter", filter);
        model.addAttribute("page", Math.max(0, page));
        model.addAttribute("kinds", kinds());
        model.addAttribute("chart", HistoryChart.of(rows, cluster.nodes().stream().map(ClusterView.NodeView::name).toList(), start, end));
        model.addAttribute("zoom", zoom(start, end));
        model.addAttribute("events", events);
        model.addAttribute("outside", outside);
        model.addAttribute("here", here(id, range, from, to, filter));
        return "monitor/history";
    }

    /** This view's address without its page, for the picture's links to the page that holds an event. */
    private static String here(UUID id, String range, String from, String to, PairHistory.Filter filter) {
        var uri = org.springframework.web.util.UriComponentsBuilder.fromPath("/clusters/{id}/history");
        if ((from == null || from.isBlank()) && (to == null || to.isBlank())) {
            uri.queryParam("range", RANGES.containsKey(range) ? range : "24h");
        } else {
            // the form's own values: 'to' stays open-ended when it was, so an event of this minute stays in range
            if (from != null && !from.isBlank()) {
                uri.queryParam("from", from);
            }
            if (to != null && !to.isBlank()) {
                uri.queryParam("to", to);
            }
        }
        if (filter.node() != null) {
            uri.queryParam("node", filter.node());
        }
        if (filter.kind() != null) {
            uri.queryParam("kind", filter.kind());
        }
        if (filter.severity() != null) {
            uri.queryParam("severity", filter.severity());
        }
        return uri.encode().buildAndExpand(id).toUriString();
    }

    /** The four quarters of the range, each a link that zooms the picture and the events to it. */
    record Zoom(String from, String to, String label) {
    }

    private static List<Zoom> zoom(Instant start, Instant end) {
        long quarter = Duration.between(start, end).toMillis() / 4;
        if (quarter < 60_000) {
            return List.of(); // a minute is the form's resolution
        }
        return java.util.stream.IntStream.range(0, 4).mapToObj(i -> {
            Instant a = start.plusMillis(quarter * i).truncatedTo(ChronoUnit.MINUTES);
            Instant b = start.plusMillis(quarter * (i + 1)).plus(59, ChronoUnit.SECONDS).truncatedTo(ChronoUnit.MINUTES);
            return new Zoom(LOCAL.format(a.atOffset(ZoneOffset.UTC)), LOCAL.format(b.atOffset(ZoneOffset.UTC)),
                    DateTimeFormatter.ofPattern("MM-dd HH:mm").format(a.atOffset(ZoneOffset.UTC)) + " – "
                            + DateTimeFormatter.ofPattern("MM-dd HH:mm").format(b.atOffset(ZoneOffset.UTC)));
        }).toList();
    }

    private static List<String> kinds() {
        List<String> kinds = new java.util.ArrayList<>(List.of("ROLE", "RAISED", "CLEARED", "GAP"));
        for (Finding.Kind k : Finding.Kind.values()) {
            kinds.add(k.id());
        }
        return kinds;
    }

    private static Instant parse(String field, String text) {
        try {
            return LocalDateTime.parse(text, LOCAL).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException again) {
                throw Rejected.invalid("invalid-time", field, "'" + text + "' is not a time like 2026-12-06T14:03 (UTC).");
            }
        }
    }
}
