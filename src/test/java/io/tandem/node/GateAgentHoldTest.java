package io.tandem.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gate agent 1.2 and Tandem's handover hold, with real nftables: the hold that {@link OutputGate#holdCommand} writes
 * reads as running until its deadline and as an error after it; Pacemaker's stop and start replace it; anything that
 * only looks like a hold is an error, never "running".
 */
class GateAgentHoldTest {

    private static final List<GateDestination> BOTH = List.of(
            new GateDestination("ip", "10.77.0.2", GateDestination.Transport.UDP, 514),
            new GateDestination("ip", "10.77.0.2", GateDestination.Transport.TCP, 6514));

    @TempDir
    static Path dir;
    static GateAgentShell shell;

    @BeforeAll
    static void runnable() throws Exception {
        shell = GateAgentShell.install(dir);
    }

    @Test
    void aHoldBeforeItsDeadlineIsRunningAndBlocksEveryDestination() throws Exception {
        String out = shell.inFreshNamespace(hold(BOTH, Instant.now().plusSeconds(60)) + "; " + shell.agent
                + " monitor; echo rc=$?; nft list table inet tandem");
        assertThat(out).contains("rc=0").contains("udp dport 514").contains("tcp dport 6514")
                .contains("tandem-hold until");
    }

    @Test
    void aHoldPastItsDeadlineIsAnErrorThatNamesTheExpiredHold() throws Exception {
        String out = shell.inFreshNamespace(hold(BOTH, Instant.now().minusSeconds(5)) + "; " + shell.agent
                + " monitor; echo rc=$?");
        assertThat(out).contains("rc=1").contains("hold of the output expired");
    }

    @Test
    void pacemakersStopAndStartReplaceTheHold() throws Exception {
        String stopped = shell.inFreshNamespace(hold(BOTH, Instant.now().plusSeconds(60)) + "; " + shell.agent
                + " stop; echo stop=$?; " + shell.agent + " monitor; echo rc=$?; nft list table inet tandem");
        assertThat(stopped).contains("stop=0").contains("rc=7").contains("tandem-gate").doesNotContain("tandem-hold");
        String started = shell.inFreshNamespace(hold(BOTH, Instant.now().plusSeconds(60)) + "; " + shell.agent
                + " start; echo start=$?; " + shell.agent + " monitor; echo rc=$?; nft list table inet tandem");
        assertThat(started).contains("start=0").contains("rc=0").doesNotContain("drop");
    }

    @Test
    void aHoldOfSomeDestinationsOrMixedWithTheGatesRulesIsAnError() throws Exception {
        String partial = shell.inFreshNamespace(hold(BOTH.subList(0, 1), Instant.now().plusSeconds(60)) + "; "
                + shell.agent + " monitor; echo rc=$?");
        assertThat(partial).as("only the UDP destination held").contains("rc=1").contains("partly blocked");
        String mixed = shell.inFreshNamespace(shell.agent + " stop >/dev/null 2>&1; nft 'add rule inet tandem output ip daddr "
                + "10.77.0.2 udp dport 514 counter drop comment \"tandem-hold until " + Instant.now().plusSeconds(60).getEpochSecond()
                + "\"'; " + shell.agent + " monitor; echo rc=$?");
        assertThat(mixed).contains("rc=1").contains("mixes");
    }

    private static String hold(List<GateDestination> destinations, Instant until) {
        return GateAgentShell.shell(OutputGate.holdCommand(destinations, until));
    }
}
