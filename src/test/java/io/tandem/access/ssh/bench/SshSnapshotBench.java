package io.tandem.access.ssh.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

import io.tandem.access.RecordedNode;
import io.tandem.access.ssh.TestKeys;
import io.tandem.access.ssh.TestSshServer;
import io.tandem.lab.bench.SnapshotBench;

/**
 * {@code bench snapshot} against the in-process SSH server on loopback, whose node tools print the recorded outputs
 * of a passive Hot node: the SSH adapter's own cost per snapshot (round trips, parsing), without a real node's
 * tool run times. A measurement to read, not a test to pass.
 *
 * <pre>java -cp target/classes:target/test-classes:$(deps) io.tandem.access.ssh.bench.SshSnapshotBench [calls]</pre>
 */
public final class SshSnapshotBench {

    private SshSnapshotBench() {
    }

    public static void main(String[] args) throws Exception {
        String calls = args.length > 0 ? args[0] : "200";
        Path work = Files.createTempDirectory("tandem-snapshot-bench");
        KeyPair client = TestKeys.ED25519.generate();
        Path key = work.resolve("id_ed25519");
        Files.writeString(key, TestKeys.openSsh(client, null));
        try (TestSshServer server = TestSshServer.start(work, client.getPublic())) {
            new RecordedNode().installScripts(work.resolve("bin"));
            int exit = SnapshotBench.run(List.of("--ssh", "127.0.0.1:" + server.port(), "--user", TestSshServer.USER,
                    "--key", key.toString(), "--calls", calls), System.out, System.err);
            System.out.printf("commands run by the server: %d%n", server.commands().size());
            System.exit(exit);
        }
    }
}
