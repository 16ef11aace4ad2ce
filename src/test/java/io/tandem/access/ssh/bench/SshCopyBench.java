package io.tandem.access.ssh.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.tandem.access.ssh.TestKeys;
import io.tandem.access.ssh.TestSshServer;
import io.tandem.lab.bench.CopyBench;

/**
 * {@code bench copy} with SSH to the in-process SSH server on loopback (real processes, SFTP on the real file
 * system): Tandem's SSH adapter and {@code rsync} over OpenSSH's client reach the same server. A measurement to read,
 * not a test to pass.
 *
 * <pre>java -cp target/classes:target/test-classes:$(deps) io.tandem.access.ssh.bench.SshCopyBench [--files N] [--repeat N]</pre>
 */
public final class SshCopyBench {

    private SshCopyBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("tandem-copy-bench-ssh");
        KeyPair client = TestKeys.ED25519.generate();
        Path key = work.resolve("id_ed25519");
        Files.writeString(key, TestKeys.openSsh(client, null));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------")); // OpenSSH's client insists
        int exit;
        try (TestSshServer server = TestSshServer.start(work, client.getPublic())) {
            List<String> options = new ArrayList<>(List.of(args));
            options.addAll(List.of("--ssh", "127.0.0.1:" + server.port(), "--user", TestSshServer.USER, "--key", key.toString()));
            exit = CopyBench.run(options, System.out, System.err);
            System.out.printf("SSH server: Apache MINA SSHD in this JVM; commands run by it: %d%n", server.commands().size());
        }
        try (Stream<Path> walk = Files.walk(work)) { // the key and the server's scripts
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
        System.exit(exit);
    }
}
