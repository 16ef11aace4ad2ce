package io.tandem.lab.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tandem.drbd.DrbdParser;
import io.tandem.drbd.DrbdResource;
import io.tandem.lab.nfo.LabNfoConfig;
import io.tandem.lab.nfo.OutputGateSim;
import io.tandem.node.GateDestination;
import io.tandem.node.GateState;
import io.tandem.node.GateStatus;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeFactsCollector;
import io.tandem.node.OutputGate;
import io.tandem.node.ServiceControl;
import io.tandem.node.ServiceState;
import io.tandem.node.ToolRunner;
import io.tandem.pacemaker.Cib;
import io.tandem.pacemaker.CibParser;
import io.tandem.pacemaker.ClusterCommand;
import io.tandem.pacemaker.ClusterStatus;
import io.tandem.pacemaker.CrmMonParser;
import io.tandem.pacemaker.Resource;
import io.tandem.pacemaker.ResourceRelations;

/** The simulated pair, read only through LabToolRunner and the real parsers, as the agent reads a real node. */
class SimulatedPairTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final InetSocketAddress SIEM = new InetSocketAddress(InetAddress.getLoopbackAddress(), 514);

    @TempDir
    Path dir;

    private final List<LabNfoProcess> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() {
        processes.forEach(LabNfoProcess::stop);
    }

    private SimulatedPair pair(PairSpec.Mode mode) {
        PairSpec spec = PairSpec.of(mode, "n1", "n2");
        Map<String, NfoProcess> byNode = new LinkedHashMap<>();
        for (String node : spec.nodes()) {
            LabNfoProcess process = new LabNfoProcess(new LabNfoConfig(node, dir.resolve(node),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    new LabNfoConfig.Output(SIEM, GateDestination.Transport.UDP), LabNfoConfig.NO_STATUS_PORT,
                    OutputGateSim.opened(), Clock.systemUTC()));
            processes.add(process);
            byNode.put(node, process);
        }
        return new SimulatedPair(spec, byNode, null, Instant.parse("2026-03-01T10:00:00Z"));
    }

    private static ClusterStatus crmMon(ToolRunner tools) throws Exception {
        return CrmMonParser.parse(tools.run(LabToolRunner.CRM_MON, TIMEOUT).stdout()).status().orElseThrow();
    }

    private static Cib constraints(ToolRunner tools) throws Exception {
        return CibParser.parse(tools.run(LabToolRunner.CIB_CONSTRAINTS, TIMEOUT).stdout());
    }

    private static GateStatus gate(ToolRunner tools) throws Exception {
        return OutputGate.read(tools.run(OutputGate.listCommand(), TIMEOUT)).status();
    }

    private static NodeFactsCollector collector(ToolRunner tools) {
        return new NodeFactsCollector(tools, path -> java.util.Optional.empty(), Clock.systemUTC(),
                new NodeFactsCollector.Settings(ServiceControl.systemd("nfo"), java.util.Set.of(9555), TIMEOUT));
    }

    @Test
    void hotPairReadsAsARealClusterThroughTheRealParsers() throws Exception {
        SimulatedPair pair = pair(PairSpec.Mode.HOT);
        LabToolRunner n1 = new LabToolRunner(pair, "n1");
        LabToolRunner n2 = new LabToolRunner(pair, "n2");

        ClusterStatus status = crmMon(n2);
        assertThat(status.nodes()).extracting(n -> n.name()).containsExactly("n1", "n2");
        assertThat(status.nodesRunning("nfo-clone")).containsExactlyInAnyOrder("n1", "n2");
        assertThat(status.nodesRunning("vip")).containsExactly("n1");
        assertThat(status.nodesRunning("gate")).containsExactly("n1");
        assertThat(status.resourceIds()).containsExactlyInAnyOrderElementsOf(pair.resourceIds());
        assertThat(constraints(n1).constraints()).hasSize(4);
        assertThat(constraints(n1).leftoverMoves()).isEmpty();
        assertThat(CibParser.parse(n1.run(LabToolRunner.CIB, TIMEOUT).stdout()).version().orElseThrow().epoch())
                .isEqualTo(pair.epoch());

        GateState open = collector(n1).gate();
        assertThat(open.status()).isEqualTo(GateStatus.OPEN);
        assertThat(open.problems()).isEmpty();
        GateState blocked = collector(n2).gate();
        assertThat(blocked.status()).isEqualTo(GateStatus.BLOCKED);
        assertThat(blocked.problems()).isEmpty();
        assertThat(blocked.rules()).extracting(r -> r.destination())
                .containsExactly(GateDestination.of("127.0.0.1", GateDestination.Transport.UDP, 514));
        ServiceState service = collector(n2).service();
        assertThat(service.running()).isTrue();
        assertThat(service.mainPid()).isPositive();
        assertThat(service.since()).isEqualTo(pair.now());
        assertThat(service.unitFileState()).as("Pacemaker starts the simulated NFO, not systemd at boot").isEqualTo("disabled");
    }

    @Test
    void coldPairPlacesAndStartsAsTheRecipeThroughAChainOfColocations() throws Exception {
        SimulatedPair pair = pair(PairSpec.Mode.COLD);
        LabToolRunner n1 = new LabToolRunner(pair, "n1");
        ResourceRelations r = ResourceRelations.of(crmMon(n1).resources(), constraints(n1).constraints());

        assertThat(r.clone("r0")).map(Resource.Clone::promotable).contains(true);
        assertThat(r.placedWith("fs", "r0-clone", true)).isTrue();
        assertThat(r.placedWith("gate", "r0-clone", true)).as("gate -> nfo -> vip -> fs -> Promoted drbd").isTrue();
        assertThat(r.together("gate", "vip")).isTrue();
        assertThat(r.startsAfterPromote("fs", "r0-clone")).isTrue();
        assertThat(r.startsAfterPromote("nfo", "r0-clone")).as("promote, then fs, then nfo").isTrue();
        assertThat(r.startsAfter("gate", "vip")).isTrue();
        assertThat(r.startsAfterPromote("vip", "r0-clone")).as("nothing orders the VIP after the promotion").isFalse();
    }

    @Test
    void moveCreatesItsConstraintAndRemovesItOnceTheMoveSucceeded() throws Exception {
        SimulatedPair pair = pair(PairSpec.Mode.HOT);
        LabToolRunner n1 = new LabToolRunner(pair, "n1");
        long epoch = pair.epoch();

        var result = n1.run(new ClusterCommand.Move("vip", "n2").argv(), TIMEOUT);

        assertThat(result.exitCode()).isZero();
        assertThat(pair.activeNode()).isEqualTo("n2");
        assertThat(constraints(n1).leftoverMoves()).isEmpty();
        assertThat(pair.epoch()).isEqualTo(epoch + 2); // created, then removed
        assertThat(gate(n1)).isEqualTo(GateStatus.BLOCKED);
        assertThat(gate(new LabToolRunner(pair, "n2"))).isEqualTo(GateStatus.OPEN);
    }

    @Test
    void moveWithConstraintMovesAndLeavesItsConstraintUntilCleared() throws Exception {
        SimulatedPair pair = pair(PairSpec.Mode.HOT);
        LabToolRunner n1 = new LabToolRunner(pair, "n1");

        var result = n1.run(new ClusterCommand.MoveWithConstraint("vip", "n2").argv(), TIMEOUT);

        assertThat(result.exitCode()).isZero();
        assertThat(pair.activeNode()).isEqualTo("n2");
        assertThat(constraints(n1).leftoverMoves()).extracting(c -> c.id()).containsExactly("cli-prefer-vip");
        n1.run(new ClusterCommand.Clear("vip", null).argv(), TIMEOUT);
        assertThat(constraints(n1).leftoverMoves()).isEmpty();
        assertThat(pair.activeNode()).isEqualTo("n2");
    }

    @Test
    void aMoveThatCannotHappenLeavesItsConstraint() throws Exception {
        SimulatedPair pair = pair(PairSpec.Mode.HOT);
        LabToolRunner n1 = new LabToolRunner(pair, "n1");
        n1.run(new ClusterCommand.Standby("n2").argv(), TIMEOUT);

        var result = n1.run(new ClusterCommand.Move("vip", "n2").argv(), TIMEOUT);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("cli-prefer-vip");
        assertThat(constraints(n1).leftoverMoves()).extracting(c -> c.id()).containsExactly("cli-prefer-vip");
        assertThat(pair.activeNode()).isEqualTo("n1");
        n1.run(new ClusterCommand.Unstandby("n2").argv(), TIMEOUT);
        assertThat(pair.activeNode()).isEqualTo("n2"); // the leftover preference still acts
    }

    @Test
    void nfoKilledThreeTimesFailsOverToThePeer() throws Exception {
        SimulatedPair pair = pair(PairSpec.Mode.HOT);
        for (int kill = 1; kill <= 2; kill++) {
            pair.inject("n1", Fault.KILL_NFO);
            pair.advance(Duration.ofSeconds(10));
            assertThat(pair.activeNode()).isEqualTo("n1");
            assertThat(pair.failCount("nfo", "n1")).isEqualTo(kill);
            assertThat(processes.get(0).running()).isTrue(); // restarted in place
        }
        pair.inject("n1", Fault.KILL_NFO);
        pair.advance(Duration.ofSeconds(10));

        assertThat(pair.activeNode()).isEqualTo("n2");
        ClusterStatus status = crmMon(new LabToolRunner(pair, "n2"));
        assertThat(status.nodesRunning("vip")).containsExactly("n2");
        assertThat(status.nodesRunning("nfo-clone")).containsExactly("n2");
        assertThat(status.failures()).hasSize(3).allMatch(f -> f.resource().equals("nfo") && f.node().equals("n1"));
        assertThat(gate(new LabToolRunner(pair, "n2"))).isEqualTo(GateStatus.OPEN);
        assertThat(gate(new LabToolRunner(pair, "n1"))).isEqualTo(GateStatus.BLOCKED);

        new LabToolRunner(pair, "n2").run(new ClusterCommand.Cleanup("nfo", null).argv(), TIMEOUT);
        assertThat(crmMon(new LabToolRunner(pair, "n2")).nodesRunning("nfo-clone")).containsExactlyInAnyOrder("n1", "n2");
    }

    @Test
    void aHealRightAfterAKillLeavesNoFailureForTheMonitorToFindLater() throws Exception {
        SimulatedPair pair = pair(PairSpec.Mode.HOT);
        pair.inject("n2", Fault.KILL_NFO);
        assertThat(processes.get(1).running()).isFalse();

        pair.heal(); // before Pacemaker's monitor ran
        pair.advance(Duration.ofSeconds(30));

        assertThat(processes.get(1).running()).isTrue();
        assertThat(crmMon(new LabToolRunner(pair, "n1")).failures()).isEmpty();
        assertThat(pair.failCount("nfo", "n2")).isZero();
    }

    /** Gate agent 1.2 as simulated: Tandem's hold on the active reads as running until its deadline, a failure after. */
    @Test
    void aHoldOnTheActiveIsRunningUntilItsDeadlineThenRecovered() throws Exception {
        SimulatedPair pair = pair(PairSpec.Mode.HOT);
        LabToolRunner n1 = new LabToolRunner(pair, "n1");
        List<GateDestination> destinations = List.of(GateDestination.of("127.0.0.1", GateDestination.Transport.UDP, 514));
        n1.run(OutputGate.holdCommand(destinations, pair.now().plusSeconds(60)), TIMEOUT);
        GateState held = collector(n1).gate();
        assertThat(held.status()).isEqualTo(GateStatus.BLOCKED);
        assertThat(held.problems()).isEmpty();
        assertThat(held.heldUntil()).contains(pair.now().plusSeconds(60));

        pair.advance(Duration.ofSeconds(30));
        assertThat(gate(n1)).as("held, not recovered").isEqualTo(GateStatus.BLOCKED);
        assertThat(pair.failCount("gate", "n1")).isZero();

        pair.advance(Duration.ofSeconds(40));
        assertThat(pair.failCount("gate", "n1")).as("the expired hold is a failure").isOne();
        assertThat(gate(n1)).as("Pacemaker's recovery opened it").isEqualTo(GateStatus.OPEN);
    }

    @Test
    void aCrashedNodeIsUnreachableAndTheSurvivorTakesOver() throws Exception {
        SimulatedPair pair = pair(PairSpec.Mode.HOT);
        LabToolRunner n1 = new LabToolRunner(pair, "n1");
        LabToolRunner n2 = new LabToolRunner(pair, "n2");

        pair.inject("n1", Fault.CRASH_NODE);

        assertThatThrownBy(() -> n1.run(LabToolRunner.CRM_MON, TIMEOUT))
                .isInstanceOf(NodeAccessException.Unreachable.class);
        ClusterStatus status = crmMon(n2);
        assertThat(status.node("n1").orElseThrow().online()).isFalse();
        assertThat(status.nodesRunning("vip")).containsExactly("n2");
        assertThat(collector(n2).service().running()).isTrue();
        assertThat(gate(n2)).isEqualTo(GateStatus.OPEN);
        assertThat(processes.get(0).running()).isFalse();

        pair.heal();
        assertThat(gate(n1)).isEqualTo(GateStatus.BLOCKED);
        assertThat(crmMon(n1).nodesRunning("nfo-clone")).containsExactlyInAnyOrder("n1", "n2");
        assertThat(pair.activeNode()).isEqualTo("n2");
    }

    @Test
    void standbyMovesEverythingAway() throws Exception {
        SimulatedPair pair = pair(PairSpec.Mode.HOT);
        LabToolRunner n2 = new LabToolRunner(pair, "n2");

        n2.run(new ClusterCommand.Standby("n1").argv(), TIMEOUT);

        ClusterStatus status = crmMon(n2);
        assertThat(status.node("n1").orElseThrow().standby()).isTrue();
        assertThat(status.nodesRunning("nfo-clone")).containsExactly("n2");
        assertThat(status.nodesRunning("vip")).containsExactly("n2");
    }

    @Test
    void aBanStaysAsALeftoverUntilCleared() throws Exception {
        SimulatedPair pair = pair(PairSpec.Mode.HOT);
        LabToolRunner n2 = new LabToolRunner(pair, "n2");

        n2.run(new ClusterCommand.Ban("vip", "n1").argv(), TIMEOUT);
        pair.advance(Duration.ofMinutes(5));

        assertThat(pair.activeNode()).isEqualTo("n2");
        assertThat(constraints(n2).leftoverMoves()).extracting(c -> c.id()).containsExactly("cli-ban-vip-on-n1");
        assertThat(crmMon(n2).leftoverMoveBans()).extracting(b -> b.node()).containsExactly("n1");

        var cleared = n2.run(new ClusterCommand.Clear("vip", null).argv(), TIMEOUT);
        assertThat(cleared.stderr()).contains("Removing constraint: cli-ban-vip-on-n1");
        assertThat(constraints(n2).leftoverMoves()).isEmpty();
        assertThat(pair.activeNode()).isEqualTo("n2"); // stickiness: no move back
    }

    @Test
    void brokenDrbdResyncsWithShrinkingOutOfSyncUntilInSync() throws Exception {
        SimulatedPair pair = pair(PairSpec.Mode.COLD);
        LabToolRunner n1 = new LabToolRunner(pair, "n1");
        LabToolRunner n2 = new LabToolRunner(pair, "n2");
        assertThat(drbd(n1).isUpToDateBothSides()).isTrue();
        assertThat(crmMon(n2).promotedNodes("r0-clone")).containsExactly("n1");
        assertThat(crmMon(n2).nodesRunning("nfo")).containsExactly("n1");
        assertThat(collector(n2).service().running()).isFalse();

        pair.inject("n1", Fault.BREAK_DRBD);
        pair.advance(Duration.ofSeconds(20));
        assertThat(drbd(n1).isConnected()).isFalse();
        assertThat(drbd(n1).isSplitBrain()).isFalse();

        pair.heal();
        List<Long> outOfSync = new ArrayList<>();
        List<Double> done = new ArrayList<>();
        for (int step = 0; step < 10 && drbd(n1).isResyncing() || step == 0; step++) {
            pair.advance(Duration.ofSeconds(1));
            DrbdResource source = drbd(n1);
            if (source.isResyncing()) {
                outOfSync.add(source.connections().get(0).peerDevices().get(0).outOfSyncKib().orElseThrow());
                done.add(source.resyncPercentDone().orElseThrow());
                assertThat(drbd(n2).devices().get(0).diskState()).isEqualTo(io.tandem.drbd.DiskState.INCONSISTENT);
            }
        }
        assertThat(outOfSync).hasSizeGreaterThan(1).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(done).isSorted();
        assertThat(drbd(n1).isUpToDateBothSides()).isTrue();
        assertThat(drbd(n1).connections().get(0).peerDevices().get(0).percentInSync().orElseThrow()).isEqualTo(100.0);
    }

    @Test
    void refusesFaultsThatDoNotApply() {
        SimulatedPair hot = pair(PairSpec.Mode.HOT);
        assertThatThrownBy(() -> hot.inject("n1", Fault.BREAK_DRBD)).isInstanceOf(FaultRefusedException.class)
                .hasMessageContaining("Cold");
        hot.inject("n2", Fault.CRASH_NODE);
        assertThatThrownBy(() -> hot.inject("n2", Fault.KILL_NFO)).isInstanceOf(FaultRefusedException.class)
                .hasMessageContaining("down");
        assertThat(Fault.of("stop-templates")).isEqualTo(Fault.STOP_TEMPLATES);
    }

    @Test
    void answersOnlyTheAllowListedCommands() {
        SimulatedPair hot = pair(PairSpec.Mode.HOT);
        LabToolRunner n1 = new LabToolRunner(hot, "n1");
        for (List<String> argv : List.of(LabToolRunner.DRBD_STATUS, List.of("crm_mon", "-1"),
                List.of("pcs", "resource", "delete", "vip"), List.of("nft", "flush ruleset"), List.of("bash", "-c", "id"))) {
            assertThatThrownBy(() -> n1.run(argv, TIMEOUT)).isInstanceOf(NodeAccessException.ToolMissing.class);
        }
    }

    private static DrbdResource drbd(ToolRunner tools) throws Exception {
        return DrbdParser.statusJson(tools.run(LabToolRunner.DRBD_STATUS, TIMEOUT).stdout()).resource("r0").orElseThrow();
    }
}
