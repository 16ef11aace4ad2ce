package io.tandem.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped gate agent run with real nftables in a network namespace of its own, as on a node that just booted (no
 * table): Pacemaker's probe blocks the output and says "stopped", while any other monitor only reports the ungated
 * output as an error and changes nothing. Needs root, nft and unshare; skips otherwise.
 */
class GateAgentProbeTest {

    @TempDir
    static Path dir;
    static GateAgentShell shell;
    static Path agent;

    @BeforeAll
    static void runnable() throws Exception {
        shell = GateAgentShell.install(dir);
        agent = shell.agent;
    }

    @Test
    void aProbeOnANodeWithoutTheTableBlocksTheOutputAndSaysStopped() throws Exception {
        String out = inFreshNamespace("OCF_RESKEY_CRM_meta_interval=0 " + agent + " monitor; echo rc=$?; nft list table inet tandem");
        assertThat(out).contains("rc=7").contains("udp dport 514").contains("tcp dport 6514").contains("drop");
        assertThat(inFreshNamespace(agent + " stop >/dev/null 2>&1; OCF_RESKEY_CRM_meta_interval=0 " + agent + " monitor; echo rc=$?"))
                .as("a probe of a blocked gate").contains("rc=7");
        assertThat(inFreshNamespace(agent + " start >/dev/null 2>&1; OCF_RESKEY_CRM_meta_interval=0 " + agent + " monitor; echo rc=$?"))
                .as("a probe of an open gate leaves it open").contains("rc=0");
    }

    @Test
    void anyOtherMonitorOfAMissingTableIsAnErrorAndChangesNothing() throws Exception {
        for (String monitor : List.of("", "OCF_RESKEY_CRM_meta_interval=10000 ")) {
            String out = inFreshNamespace(monitor + agent + " monitor; echo rc=$?; nft list table inet tandem 2>&1 || echo no-table");
            assertThat(out).as(monitor.isEmpty() ? "a monitor by hand" : "a recurring monitor")
                    .contains("rc=1").contains("no-table").contains("NFO output is not gated");
        }
    }

    private static String inFreshNamespace(String script) throws Exception {
        return shell.inFreshNamespace(script);
    }
}
