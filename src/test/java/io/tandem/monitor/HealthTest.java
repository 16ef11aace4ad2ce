package io.tandem.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.tandem.monitor.Finding.Kind;
import io.tandem.node.ActiveState;
import io.tandem.node.GateStatus;
import io.tandem.node.NodeAccessException;

class HealthTest {

    record Case(String name, Supplier<Pairs> pair, boolean survivesLossOfA, boolean survivesLossOfB, String summary) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("healthy Hot pair", Pairs::hot, true, true,
                        "Can survive losing nfo-a: yes — nfo-b is PASSIVE_HOT and ready to take over"),
                new Case("healthy Cold pair", Pairs::cold, true, true,
                        "Can survive losing nfo-a: yes — nfo-b is PASSIVE_COLD and ready to take over"),
                new Case("template gap on the passive", () -> Pairs.hot().parity(FindingsTest.gap()), false, true,
                        "Can survive losing nfo-a: no — Passive nfo-b lacks 2 templates and holds 1 conflicting template"
                                + " (1,200 records/s would be dropped)"),
                new Case("passive stopped", () -> Pairs.hot().b(n -> n.service(ActiveState.INACTIVE)), false, true,
                        "Can survive losing nfo-a: no — Passive nfo-b is not running NFO (NFO inactive (dead)) (+1 more)"),
                new Case("leftover cli-ban on the passive", () -> Pairs.hot().pacemaker(CrmMonXml.hot("nfo-a", "nfo-a", "nfo-b")
                        .ban("cli-ban-nfo-clone-on-nfo-b", "nfo-clone", "nfo-b")), false, true,
                        "Can survive losing nfo-a: no — Leftover cli-ban-nfo-clone-on-nfo-b keeps nfo-clone off nfo-b"),
                new Case("leftover cli-prefer does not stop a failover", () -> Pairs.hot().a(n -> n.constraints(CrmMonXml.constraints(
                        "<rsc_location id=\"cli-prefer-nfo-vip\" rsc=\"nfo-vip\" role=\"Started\" node=\"nfo-a\" score=\"INFINITY\"/>"))),
                        true, true, "Can survive losing nfo-a: yes — nfo-b is PASSIVE_HOT and ready to take over"),
                new Case("Cold DRBD resyncing", () -> Pairs.cold().a(n -> n.drbd(DrbdJson.status("Primary", "UpToDate", "nfo-b",
                        "Connected", "Secondary", "SyncSource", "Inconsistent", 42.1, 200L))), false, true,
                        "Can survive losing nfo-a: no — DRBD nfo-config is resyncing: 42.1% done, about 3m 20s left"),
                new Case("unreachable passive: cannot vouch", () -> Pairs.hot().unreachableB(
                        new NodeAccessException.Unreachable("no route to host", null)), false, true,
                        "Can survive losing nfo-a: no — Cannot read nfo-b: unreachable. The Tandem agent on nfo-b is not answering; "
                                + "Pacemaker on nfo-a sees nfo-b online"),
                new Case("both open: a critical finding leads", () -> Pairs.hot().b(n -> n.gate(GateStatus.OPEN)), true, true,
                        "Both outputs open: nfo-a and nfo-b both send to the SIEM"),
                new Case("both blocked: nothing to lose", () -> Pairs.hot().a(n -> n.gate(GateStatus.BLOCKED)), false, false,
                        "Both outputs blocked: NFO runs on nfo-a and nfo-b with the gate BLOCKED"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void saysWhetherThePairSurvivesLosingEachNode(Case c) {
        PairHealth health = c.pair().get().health();

        assertThat(health.canSurviveLossOf("nfo-a").survives()).as("survives losing nfo-a").isEqualTo(c.survivesLossOfA());
        assertThat(health.canSurviveLossOf("nfo-b").survives()).as("survives losing nfo-b").isEqualTo(c.survivesLossOfB());
        assertThat(health.summary()).isEqualTo(c.summary());
    }

    @Test
    void findingsAreOrderedWorstFirstAndTheSameEveryTime() {
        Pairs pair = Pairs.hot().a(n -> n.gate(GateStatus.ABSENT)).b(n -> n.gate(GateStatus.OPEN)).parity(FindingsTest.gap())
                .drift("server/etc/server.cfg");

        PairHealth first = pair.health();
        PairHealth again = pair.health();

        assertThat(first).isEqualTo(again);
        assertThat(first.worst()).contains(Severity.CRITICAL);
        assertThat(first.findings().get(0).kind()).isEqualTo(Kind.SPLIT_BRAIN_OUTPUT);
        assertThat(first.findings()).isSortedAccordingTo(Finding.ORDER);
        assertThat(first.findings()).extracting(Finding::key).doesNotHaveDuplicates();
    }

    @Test
    void kindIdsAreStableAndUnique() {
        assertThat(Stream.of(Kind.values()).map(Kind::id)).doesNotHaveDuplicates()
                .allMatch(id -> id.matches("[a-z]+(-[a-z]+)*"));
        assertThat(Kind.SPLIT_BRAIN_OUTPUT.id()).isEqualTo("split-brain-output");
    }
}
