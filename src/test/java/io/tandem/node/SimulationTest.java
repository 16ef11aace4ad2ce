package io.tandem.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tandem.pacemaker.ClusterCommand;

/**
 * The preview of a pcs command: the commands run on the node, in order, and what is read from crm_simulate's real
 * output (samples recorded in the Pacemaker lab, lab/samples).
 */
class SimulationTest {

    private static final String CRM_MON = "lab/samples/crm_mon-hot-healthy.xml";

    /** Answers crm_mon with a real sample, pcs with success and crm_simulate with the given sample; records argv. */
    private static final class Recorded implements ToolRunner {
        final List<List<String>> ran = new ArrayList<>();
        final String simulation;
        final int pcsExit;
        final String pcsError;

        Recorded(String simulation, int pcsExit, String pcsError) {
            this.simulation = simulation;
            this.pcsExit = pcsExit;
            this.pcsError = pcsError;
        }

        @Override
        public CommandResult run(List<String> argv, Duration timeout) throws NodeAccessException {
            ran.add(argv);
            try {
                return switch (argv.get(0)) {
                    case "crm_mon" -> new CommandResult(0, Files.readString(Path.of(CRM_MON)), "", false);
                    case "pcs" -> argv.get(1).equals("-f") ? new CommandResult(pcsExit, "", pcsError, false)
                            : new CommandResult(0, "", "", false);
                    case "crm_simulate" -> new CommandResult(0, Files.readString(Path.of(simulation)), "", false);
                    default -> throw new NodeAccessException.ToolMissing(argv.get(0), null);
                };
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void disablingTheGateIsPreviewedOnACopyAndReadAsAStopOfTheGate() throws Exception {
        Recorded tools = new Recorded("lab/samples/crm_simulate-hot-disable-gate.txt", 0, "");
        NodeOperations.Simulation simulation = NodeOperations.simulate(tools, new ClusterCommand.Disable("nfo-gate"),
                "/tmp/tandem-cib.x", Duration.ofSeconds(5));

        assertThat(tools.ran).containsExactly(NodeOperations.CRM_MON,
                List.of("pcs", "cluster", "cib", "/tmp/tandem-cib.x"),
                List.of("pcs", "-f", "/tmp/tandem-cib.x", "resource", "disable", "nfo-gate"),
                List.of("crm_simulate", "-x", "/tmp/tandem-cib.x", "-S"));
        assertThat(simulation.succeeded()).isTrue();
        assertThat(simulation.applied()).isTrue();
        assertThat(simulation.transitions()).containsExactly("Stop nfo-gate ( nfo-a ) due to node availability");
        assertThat(simulation.revised()).contains("nfo-gate").contains("Stopped (disabled)");
    }

    @Test
    void standbyOfThePassiveStopsItsNfoInstance() throws Exception {
        Recorded tools = new Recorded("lab/samples/crm_simulate-hot-standby-passive.txt", 0, "");
        NodeOperations.Simulation simulation = NodeOperations.simulate(tools, new ClusterCommand.Standby("nfo-b"),
                "/tmp/c", Duration.ofSeconds(5));
        assertThat(simulation.transitions()).containsExactly("Stop nfo:0 ( nfo-b ) due to node availability");
        assertThat(simulation.revised()).contains("Node nfo-b: standby").contains("Stopped: [ nfo-b ]");
    }

    @Test
    void maintenanceModePlansNoTransitionAndShowsEverythingUnmanaged() throws Exception {
        Recorded tools = new Recorded("lab/samples/crm_simulate-hot-maintenance-on.txt", 0, "");
        NodeOperations.Simulation simulation = NodeOperations.simulate(tools, new ClusterCommand.Maintenance(true),
                "/tmp/c", Duration.ofSeconds(5));
        assertThat(simulation.transitions()).isEmpty();
        assertThat(simulation.revised()).contains("(unmanaged)");
    }

    @Test
    void cleanupIsNotAppliedToTheCopyAndARefusalOnTheCopyIsReportedNotRun() throws Exception {
        Recorded cleanup = new Recorded("lab/samples/crm_simulate-hot-maintenance-on.txt", 0, "");
        NodeOperations.Simulation asIs = NodeOperations.simulate(cleanup, new ClusterCommand.Cleanup("nfo-gate", null),
                "/tmp/c", Duration.ofSeconds(5));
        assertThat(cleanup.ran).noneMatch(argv -> argv.contains("-f"));
        assertThat(asIs.applied()).isFalse();

        Recorded refusing = new Recorded("lab/samples/crm_simulate-hot-disable-gate.txt", 1,
                "Error: bundle 'x' does not exist\n");
        NodeOperations.Simulation refused = NodeOperations.simulate(refusing, new ClusterCommand.Disable("nfo-gate"),
                "/tmp/c", Duration.ofSeconds(5));
        assertThat(refused.succeeded()).isFalse();
        assertThat(refused.refusal()).contains("exit 1").contains("Error: bundle 'x' does not exist");
        assertThat(refusing.ran).noneMatch(argv -> argv.get(0).equals("crm_simulate"));
    }
}
