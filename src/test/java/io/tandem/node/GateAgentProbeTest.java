package io.tandem.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped gate agent run with real nftables in a network namespace of its own, as on a node that just booted (no
 * table): Pacemaker's probe blocks the output and says "stopped", while any other monitor only reports the ungated
 * output as an error and changes nothing. Needs root, nft and unshare; skips otherwise.
 */
class GateAgentProbeTest {

    private static final String DESTINATIONS = "udp:10.77.0.2:514,tcp:10.77.0.2:6514";

    @TempDir
    static Path dir;
    static Path agent;

    @BeforeAll
    static void runnable() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for a network namespace");
        assumeTrue(onPath("nft") && onPath("unshare"), "needs nft and unshare");
        agent = dir.resolve("gate");
        Files.writeString(agent, GateAgent.script(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
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
        Path output = Files.createTempFile(dir, "out", ".txt");
        ProcessBuilder builder = new ProcessBuilder("unshare", "--net", "sh", "-c", script).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("OCF_RESKEY_destinations", DESTINATIONS);
        builder.environment().put("OCF_ROOT", dir.resolve("no-ocf-root").toString()); // the agent's own logging, not Pacemaker's
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the agent finished").isTrue();
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    private static boolean onPath(String tool) {
        return List.of("/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/").stream().anyMatch(d -> Files.isExecutable(Path.of(d + tool)));
    }
}
