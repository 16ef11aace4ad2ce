package io.tandem.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.tandem.fleet.ClusterMode;
import io.tandem.node.ActiveState;
import io.tandem.node.GateStatus;
import io.tandem.node.NodeAccessException;

class RoleDerivationTest {

    record Case(String name, ClusterMode mode, UnaryOperator<Snapshots.Builder> node, NodeRole role, String why) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("running, gate open: active", ClusterMode.HOT,
                        n -> n.gate(GateStatus.OPEN), NodeRole.ACTIVE, "gate OPEN"),
                new Case("running, gate blocked: hot passive", ClusterMode.HOT,
                        n -> n.gate(GateStatus.BLOCKED), NodeRole.PASSIVE_HOT, "gate BLOCKED"),
                new Case("running without any gate: output not gated, so active", ClusterMode.HOT,
                        n -> n.gate(GateStatus.ABSENT), NodeRole.ACTIVE, "output not gated"),
                new Case("service inactive in a Hot pair: stopped", ClusterMode.HOT,
                        n -> n.service(ActiveState.INACTIVE).gate(GateStatus.BLOCKED), NodeRole.STOPPED, "inactive"),
                new Case("service failed: failed", ClusterMode.HOT,
                        n -> n.service(ActiveState.FAILED), NodeRole.FAILED, "exit status 1"),
                new Case("crashed, systemd restarting it: failed", ClusterMode.HOT,
                        n -> n.service(Snapshots.service(ActiveState.ACTIVATING, "auto-restart", 139)),
                        NodeRole.FAILED, "auto-restart"),
                new Case("still starting: not yet running, so stopped", ClusterMode.HOT,
                        n -> n.service(ActiveState.ACTIVATING), NodeRole.STOPPED, "activating"),
                new Case("Cold: stopped, DRBD Secondary/UpToDate: cold passive", ClusterMode.COLD,
                        n -> n.service(ActiveState.INACTIVE).gate(GateStatus.BLOCKED)
                                .drbd(DrbdJson.established("nfo-a", "Secondary", "Primary")),
                        NodeRole.PASSIVE_COLD, "Secondary/UpToDate"),
                new Case("Cold: stopped, DRBD Inconsistent: stopped", ClusterMode.COLD,
                        n -> n.service(ActiveState.INACTIVE).drbd(DrbdJson.status("Secondary", "Inconsistent", "nfo-a",
                                "Connected", "Primary", "SyncTarget", "UpToDate", 42.0, 200L)),
                        NodeRole.STOPPED, "Secondary/Inconsistent"),
                new Case("Cold: stopped while DRBD Primary: stopped", ClusterMode.COLD,
                        n -> n.service(ActiveState.INACTIVE).drbd(DrbdJson.established("nfo-b", "Primary", "Secondary")),
                        NodeRole.STOPPED, "Primary/UpToDate"),
                new Case("Cold: stopped without DRBD: stopped", ClusterMode.COLD,
                        n -> n.service(ActiveState.INACTIVE), NodeRole.STOPPED, "no DRBD resource nfo-config"),
                new Case("Cold: running with gate blocked is still a hot passive in fact", ClusterMode.COLD,
                        n -> n.gate(GateStatus.BLOCKED), NodeRole.PASSIVE_HOT, "gate BLOCKED"),
                // the node answered: it is not unreachable, its role is unknown for the reason given
                new Case("service state unreadable (systemctl fails): unknown", ClusterMode.HOT,
                        n -> n.unreadable("service", "permission denied", "systemctl: access denied"),
                        NodeRole.UNKNOWN, "permission denied"),
                new Case("running, gate unreadable: unknown, neither active nor passive", ClusterMode.HOT,
                        n -> n.unreadable("gate", "tool missing", "nft: not found"),
                        NodeRole.UNKNOWN, "output gate could not be read"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void roleFollowsTheNodesOwnFacts(Case c) {
        var observation = NodeObservation.read("nfo-a", c.node().apply(Snapshots.node("nfo-a")).build(), Snapshots.T0);

        NodeState state = Roles.derive(observation, Pairs.cluster(c.mode()));

        assertThat(state.role()).isEqualTo(c.role());
        assertThat(state.why()).contains(c.why());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aNodeThatCouldNotBeReadIsUnreachableWithItsCause(NodeAccessException cause) {
        var observation = NodeObservation.failed("nfo-b", cause, Snapshots.T0);

        NodeState state = Roles.derive(observation, Pairs.cluster(ClusterMode.HOT));

        assertThat(state.role()).isEqualTo(NodeRole.UNREACHABLE);
        assertThat(state.why()).isEqualTo("not read: " + cause.reason());
    }

    static Stream<NodeAccessException> failures() {
        return Stream.of(new NodeAccessException.Unreachable("connect to 10.0.0.2:7443: no route to host", null),
                new NodeAccessException.TimedOut("no answer within 5s", null),
                new NodeAccessException.KeyRejected("SHA256:old", "SHA256:new"));
    }

    @Test
    void pacemakersOpinionIsKeptApartFromTheRole() {
        PairHealth health = Pairs.hot().b(n -> n.service(ActiveState.INACTIVE)).health();

        assertThat(health.node("nfo-b").role()).isEqualTo(NodeRole.STOPPED);
        assertThat(health.node("nfo-b").pacemaker().nfoStarted()).isTrue();
        assertThat(health.node("nfo-b").pacemaker().reportedBy()).isEqualTo("nfo-a");
        assertThat(health.node("nfo-a").pacemaker().gateStarted()).isTrue();
    }
}
