package io.tandem.monitor.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A server-rendered timeline: one lane per node coloured by its role over the range, and lanes of findings
 * (raised → cleared) coloured by severity. Findings open at the same time go to separate lanes: drawn in one lane,
 * a later stretch would hide an earlier one, and the picture would say one thing was wrong when two were.
 * Built from the monitor's history rows.
 */
public record HistoryChart(Instant from, Instant to, List<Lane> lanes, List<Tick> ticks, int width) {

    /** @param segments x position, width, css class and hover text of each stretch */
    public record Lane(String label, List<Segment> segments) {
    }

    /** @param event id of the history row that began this stretch, for the click-through to the events table */
    public record Segment(double x, double width, String css, String title, long event) {
    }

    public record Tick(double x, String label) {
    }

    /** One history row: id, when, kind (ROLE/RAISED/CLEARED), node, severity, subject (role or finding id), text. */
    public record Row(long id, Instant at, String kind, String node, String severity, String subject, String text) {
    }

    static final int WIDTH = 1000;
    /** The narrowest stretch drawn, so that a finding raised a moment ago can still be seen and clicked. */
    static final double MIN_WIDTH = 4;

    static HistoryChart of(List<Row> oldestFirst, List<String> nodes, Instant from, Instant to) {
        double span = Math.max(1, Duration.between(from, to).toMillis());
        List<Lane> lanes = new ArrayList<>();
        for (String node : nodes) {
            List<Segment> segments = new ArrayList<>();
            Instant start = from;
            Row began = null;
            for (Row row : oldestFirst) {
                if (row.kind().equals("ROLE") && node.equals(row.node())) {
                    if (began != null) {
                        segments.add(roleSegment(began, start, row.at(), from, span));
                    }
                    began = row;
                    start = row.at().isBefore(from) ? from : row.at();
                }
            }
            if (began != null) {
                segments.add(roleSegment(began, start, to, from, span));
            }
            lanes.add(new Lane(node, segments));
        }
        List<Segment> findings = new ArrayList<>();
        Map<String, Row> open = new java.util.LinkedHashMap<>();
        for (Row row : oldestFirst) {
            String key = row.subject() + "/" + row.node();
            if (row.kind().equals("RAISED")) {
                open.put(key, row);
            } else if (row.kind().equals("CLEARED") && open.containsKey(key)) {
                Row raised = open.remove(key);
                findings.add(segment(raised.at(), row.at(), from, span, "sev-" + raised.severity().toLowerCase(), raised.text(),
                        raised.id()));
            }
        }
        open.values().forEach(raised -> findings.add(segment(raised.at(), to, from, span,
                "sev-" + raised.severity().toLowerCase(), raised.text() + " (still open)", raised.id())));
        lanes.addAll(packed(findings));
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            Instant at = from.plusMillis((long) (span * i / 4));
            ticks.add(new Tick(WIDTH * i / 4.0, at.toString().substring(5, 16).replace('T', ' ')));
        }
        return new HistoryChart(from, to, lanes, ticks, WIDTH);
    }

    /** Findings in as few lanes as keep every stretch clear of the others, earliest first into the first lane free. */
    private static List<Lane> packed(List<Segment> findings) {
        List<Segment> byStart = new ArrayList<>(findings);
        byStart.sort(java.util.Comparator.comparingDouble(Segment::x));
        List<List<Segment>> rows = new ArrayList<>();
        List<Double> ends = new ArrayList<>();
        for (Segment s : byStart) {
            int row = 0;
            while (row < rows.size() && ends.get(row) > s.x()) {
                row++;
            }
            if (row == rows.size()) {
                rows.add(new ArrayList<>());
                ends.add(0.0);
            }
            rows.get(row).add(s);
            ends.set(row, s.x() + s.width());
        }
        List<Lane> lanes = new ArrayList<>();
        for (int i = 0; i < Math.max(1, rows.size()); i++) {
            lanes.add(new Lane(i == 0 ? "findings" : "", i < rows.size() ? rows.get(i) : List.of()));
        }
        return lanes;
    }

    private static Segment roleSegment(Row began, Instant start, Instant end, Instant from, double span) {
        return segment(start, end, from, span, "role-" + began.subject().toLowerCase(), began.node() + ": " + began.subject(),
                began.id());
    }

    private static Segment segment(Instant start, Instant end, Instant from, double span, String css, String title, long event) {
        double w = Math.min(WIDTH, Math.max(MIN_WIDTH, Duration.between(start, end).toMillis() / span * WIDTH));
        // a stretch that would run past the right edge (raised a moment ago) keeps its width and ends at the edge
        double x = Math.min(Math.max(0, Duration.between(from, start).toMillis() / span * WIDTH), WIDTH - w);
        return new Segment(x, w, css, title, event);
    }
}
