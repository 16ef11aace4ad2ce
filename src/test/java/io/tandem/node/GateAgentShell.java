package io.tandem.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The shipped gate agent installed in a test's directory and run with real nftables, each script in a network
 * namespace of its own (as on a node that just booted: no table). Needs root, nft and unshare; the caller skips
 * otherwise.
 */
final class GateAgentShell {

    static final String DESTINATIONS = "udp:10.77.0.2:514,tcp:10.77.0.2:6514";

    private final Path dir;
    final Path agent;

    private GateAgentShell(Path dir, Path agent) {
        this.dir = dir;
        this.agent = agent;
    }

    /** Skips the calling test class unless this machine can run the agent with real nftables. */
    static GateAgentShell install(Path dir) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for a network namespace");
        assumeTrue(onPath("nft") && onPath("unshare"), "needs nft and unshare");
        Path agent = dir.resolve("gate");
        Files.writeString(agent, GateAgent.script(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new GateAgentShell(dir, agent);
    }

    /** Runs {@code script} with sh in a fresh network namespace, the agent's destinations set; stdout and stderr. */
    String inFreshNamespace(String script) throws Exception {
        Path output = Files.createTempFile(dir, "out", ".txt");
        ProcessBuilder builder = new ProcessBuilder("unshare", "--net", "sh", "-c", script).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("OCF_RESKEY_destinations", DESTINATIONS);
        builder.environment().put("OCF_ROOT", dir.resolve("no-ocf-root").toString()); // the agent's own logging, not Pacemaker's
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the agent finished").isTrue();
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    /** An argv of {@link OutputGate} as a shell command line (its script single-quoted; it holds no single quote). */
    static String shell(List<String> argv) {
        assertThat(argv).hasSize(2).first().isEqualTo("nft");
        assertThat(argv.get(1)).doesNotContain("'");
        return "nft '" + argv.get(1) + "'";
    }

    private static boolean onPath(String tool) {
        return List.of("/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/").stream().anyMatch(d -> Files.isExecutable(Path.of(d + tool)));
    }
}
