package io.tandem.access.ssh.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.tandem.access.ssh.SshConnections;
import io.tandem.access.ssh.SshSettings;
import io.tandem.access.ssh.SshTarget;
import io.tandem.access.ssh.SshToolRunner;
import io.tandem.access.ssh.TestKeys;
import io.tandem.access.ssh.TestSshServer;

/**
 * How long one small command takes on a reused connection to the in-process SSH server: p50 and
 * p95 over {@code CALLS} calls after a warm-up. A measurement to read, not a test to pass.
 *
 * <pre>java -cp target/classes:target/test-classes:$(deps) io.tandem.access.ssh.bench.SshBench [calls]</pre>
 */
public final class SshBench {

    private static final List<String> COMMAND = List.of("cat", "/proc/uptime");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private SshBench() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path work = Files.createTempDirectory("tandem-ssh-bench");
        KeyPair client = TestKeys.ED25519.generate();
        try (TestSshServer server = TestSshServer.start(work, client.getPublic());
                SshConnections connections = new SshConnections(SshSettings.defaults())) {
            SshToolRunner runner = connections.runner(new SshTarget("127.0.0.1", server.port(), TestSshServer.USER,
                    TestKeys.openSsh(client, null), null, TestKeys.fingerprint(server.hostKey()), false));
            long connectStart = System.nanoTime();
            runner.run(COMMAND, TIMEOUT);
            long firstCall = System.nanoTime() - connectStart;
            for (int i = 0; i < 20; i++) {
                runner.run(COMMAND, TIMEOUT);
            }
            long[] nanos = new long[calls];
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                runner.run(COMMAND, TIMEOUT);
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            System.out.printf("%s over one reused connection, %d calls (server sessions: %d)%n",
                    String.join(" ", COMMAND), calls, server.sessionsCreated());
            System.out.printf("first call incl. connect+auth: %.1f ms%n", firstCall / 1e6);
            System.out.printf("p50 %.2f ms  p95 %.2f ms  max %.2f ms%n",
                    percentile(nanos, 50) / 1e6, percentile(nanos, 95) / 1e6, nanos[calls - 1] / 1e6);
        }
    }

    private static long percentile(long[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)];
    }
}
