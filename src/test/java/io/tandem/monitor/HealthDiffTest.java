package io.tandem.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.tandem.monitor.Finding.Kind;
import io.tandem.node.ActiveState;
import io.tandem.node.GateStatus;

class HealthDiffTest {

    @Test
    void theFirstEvaluationRaisesEverythingAndSetsEveryRole() {
        PairHealth health = Pairs.hot().b(n -> n.gate(GateStatus.OPEN)).health();

        HealthDiff diff = HealthDiff.between(null, health);

        assertThat(diff.raised()).isEqualTo(health.findings());
        assertThat(diff.roleChanges()).extracting(HealthDiff.RoleChange::node, HealthDiff.RoleChange::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("nfo-a", NodeRole.ACTIVE),
                        org.assertj.core.groups.Tuple.tuple("nfo-b", NodeRole.ACTIVE));
    }

    @Test
    void aFailoverGoneWrongShowsRaisedFindingsAndRoleChanges() {
        PairHealth before = Pairs.hot().health();
        PairHealth after = Pairs.hot().a(n -> n.service(ActiveState.FAILED)).health();

        HealthDiff diff = HealthDiff.between(before, after);

        assertThat(diff.raised()).extracting(Finding::kind).contains(Kind.NO_OUTPUT, Kind.PACEMAKER_DISAGREES);
        assertThat(diff.cleared()).isEmpty();
        assertThat(diff.roleChanges()).containsExactly(new HealthDiff.RoleChange("nfo-a", NodeRole.ACTIVE, NodeRole.FAILED));
    }

    @Test
    void aFixedProblemIsCleared() {
        PairHealth before = Pairs.hot().drift("server/etc/server.cfg").health();
        PairHealth after = Pairs.hot().health();

        HealthDiff diff = HealthDiff.between(before, after);

        assertThat(diff.cleared()).extracting(Finding::kind).containsExactly(Kind.CONFIG_DRIFT);
        assertThat(diff.raised()).isEmpty();
        assertThat(diff.roleChanges()).isEmpty();
    }

    @Test
    void movingNumbersChangeAFindingRatherThanRaisingItAgain() {
        PairHealth before = Pairs.hot().drift("server/etc/server.cfg").health();
        PairHealth after = Pairs.hot().drift("server/etc/server.cfg", "tomcat/conf/server.xml").health();

        HealthDiff diff = HealthDiff.between(before, after);

        assertThat(diff.raised()).isEmpty();
        assertThat(diff.changed()).singleElement().satisfies(change -> {
            assertThat(change.after().cause()).endsWith("2 files");
            assertThat(change.worse()).isFalse();
        });
    }

    @Test
    void theSameFactsGiveAnEmptyDiff() {
        assertThat(HealthDiff.between(Pairs.hot().health(), Pairs.hot().health()).isEmpty()).isTrue();
    }
}
