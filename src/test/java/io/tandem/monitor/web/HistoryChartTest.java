package io.tandem.monitor.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class HistoryChartTest {

    private static final Instant FROM = Instant.parse("2026-12-06T10:00:00Z");
    private static final Instant TO = FROM.plusSeconds(3600);

    private static HistoryChart.Row raised(long id, int minute, String finding, String node) {
        return new HistoryChart.Row(id, FROM.plusSeconds(minute * 60L), "RAISED", node, "WARNING", finding, finding + " on " + node);
    }

    private static HistoryChart.Row cleared(long id, int minute, String finding, String node) {
        return new HistoryChart.Row(id, FROM.plusSeconds(minute * 60L), "CLEARED", node, "WARNING", finding, "cleared");
    }

    private static List<HistoryChart.Lane> findingLanes(HistoryChart chart) {
        return chart.lanes().subList(2, chart.lanes().size());
    }

    @Test
    void findingsOpenAtTheSameTimeGetLanesOfTheirOwnAndNoneHidesAnother() {
        HistoryChart chart = HistoryChart.of(List.of(
                raised(1, 10, "config-drift", "b"), raised(2, 20, "node-unreachable", "a"), cleared(3, 30, "node-unreachable", "a"),
                cleared(4, 40, "config-drift", "b"), raised(5, 45, "template-gap", "b"), cleared(6, 50, "template-gap", "b")),
                List.of("a", "b"), FROM, TO);

        List<HistoryChart.Lane> lanes = findingLanes(chart);
        assertThat(lanes).extracting(HistoryChart.Lane::label).containsExactly("findings", "");
        assertThat(lanes.get(0).segments()).extracting(HistoryChart.Segment::event).containsExactly(1L, 5L);
        assertThat(lanes.get(1).segments()).extracting(HistoryChart.Segment::event).containsExactly(2L);
        for (HistoryChart.Lane lane : lanes) {
            for (int i = 1; i < lane.segments().size(); i++) {
                HistoryChart.Segment before = lane.segments().get(i - 1);
                assertThat(before.x() + before.width()).isLessThanOrEqualTo(lane.segments().get(i).x());
            }
        }
    }

    @Test
    void aFindingRaisedAMomentAgoIsWideEnoughToSeeAndEndsAtTheRightEdge() {
        HistoryChart chart = HistoryChart.of(List.of(
                raised(1, 58, "node-unreachable", "a"), cleared(2, 59, "node-unreachable", "a"),
                new HistoryChart.Row(3, TO.minusMillis(500), "RAISED", "b", "WARNING", "config-drift", "drift")),
                List.of("a", "b"), FROM, TO);

        List<HistoryChart.Lane> lanes = findingLanes(chart);
        HistoryChart.Segment open = lanes.stream().flatMap(l -> l.segments().stream()).filter(s -> s.event() == 3).findFirst().orElseThrow();
        assertThat(open.width()).isEqualTo(HistoryChart.MIN_WIDTH);
        assertThat(open.x() + open.width()).isEqualTo(HistoryChart.WIDTH);
        assertThat(open.title()).endsWith("(still open)");
        HistoryChart.Segment unreachable = lanes.stream().flatMap(l -> l.segments().stream()).filter(s -> s.event() == 1).findFirst().orElseThrow();
        boolean sameLane = lanes.stream().anyMatch(l -> l.segments().contains(open) && l.segments().contains(unreachable));
        if (sameLane) {
            assertThat(unreachable.x() + unreachable.width()).isLessThanOrEqualTo(open.x());
        }
    }

    @Test
    void aQuietRangeStillDrawsTheFindingsLane() {
        HistoryChart chart = HistoryChart.of(List.of(), List.of("a", "b"), FROM, TO);
        assertThat(findingLanes(chart)).singleElement().satisfies(lane -> {
            assertThat(lane.label()).isEqualTo("findings");
            assertThat(lane.segments()).isEmpty();
        });
    }
}
