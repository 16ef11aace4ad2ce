package io.tandem.access.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.shell.ProcessShellFactory;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A real SSH server on 127.0.0.1 for tests and the bench: Apache MINA SSHD running each exec
 * request with {@code /bin/sh} as a real process, SFTP on the real file system, public-key
 * authentication for one user. A fake {@code sudo} first on the shell's PATH records its arguments
 * and runs the rest, so sudo targets are tested without root.
 */
public final class TestSshServer implements AutoCloseable {

    public static final String USER = "tandem";

    private final Path work;
    private final Path bin;
    private final List<PublicKey> authorized = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger scripts = new AtomicInteger();
    private KeyPair hostKey;
    private SshServer server;
    private int port;

    private TestSshServer(Path work) throws IOException {
        this.work = work;
        this.bin = Files.createDirectories(work.resolve("bin"));
        Files.createDirectories(work.resolve("commands"));
        installFakeSudo();
    }

    /** Starts on a random port with a fresh host key, accepting {@code authorizedKeys} for {@link #USER}. */
    public static TestSshServer start(Path work, PublicKey... authorizedKeys) throws IOException {
        TestSshServer server = new TestSshServer(work);
        server.authorized.addAll(List.of(authorizedKeys));
        server.hostKey = newHostKey();
        server.listen(0);
        return server;
    }

    public int port() {
        return port;
    }

    public PublicKey hostKey() {
        return hostKey.getPublic();
    }

    /** Sessions the server has accepted since it was first started. */
    public int sessionsCreated() {
        return sessions.get();
    }

    /** Every exec command string exactly as the server received it. */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    /** Where the fake sudo writes its arguments, NUL-separated. */
    public Path sudoLog() {
        return work.resolve("sudo.args");
    }

    /** From now on the fake sudo refuses as real sudo does when it would need a password. */
    public void denySudo() throws IOException {
        Files.writeString(work.resolve("sudo.deny"), "");
    }

    public void stop() throws IOException {
        server.stop(true);
    }

    /** Starts again on the same port, keeping or replacing the host key. */
    public void restart(boolean newHostKey) throws IOException {
        if (server.isStarted()) {
            stop();
        }
        if (newHostKey) {
            hostKey = newHostKey();
        }
        listen(port);
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    private void listen(int onPort) throws IOException {
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(onPort);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        // Answers leave at once instead of waiting on the client's delayed ACK, so the bench measures
        // this adapter and process start-up rather than Nagle's algorithm on loopback.
        CoreModuleProperties.TCP_NODELAY.set(sshd, true);
        sshd.setPublickeyAuthenticator((user, key, session) ->
                USER.equals(user) && authorized.stream().anyMatch(allowed -> KeyUtils.compareKeys(allowed, key)));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setCommandFactory((channel, command) -> new ScriptShell(command, shell(command)).createShell(channel));
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        sshd.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                sessions.incrementAndGet();
            }
        });
        sshd.start();
        server = sshd;
        port = sshd.getPort();
    }

    /**
     * The command is saved byte for byte and run as {@code sh FILE}, like OpenSSH's {@code sh -c}
     * but independent of the JVM's argument encoding, so what the shell parses is exactly what arrived.
     */
    private List<String> shell(String command) {
        commands.add(command);
        Path script = work.resolve("commands").resolve("cmd-" + scripts.incrementAndGet() + ".sh");
        try {
            Files.write(script, command.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.of("/usr/bin/env", "PATH=" + bin + ":/usr/local/bin:/usr/bin:/bin", "/bin/sh", script.toString());
    }

    /** MINA's own factory always runs {@code /bin/sh -c COMMAND}; this one runs the given elements. */
    private static final class ScriptShell extends ProcessShellFactory {
        ScriptShell(String command, List<String> elements) {
            super(command, elements);
        }

        @Override
        protected List<String> resolveEffectiveCommand(ChannelSession channel, String command, List<String> elements) {
            return elements;
        }
    }

    private void installFakeSudo() throws IOException {
        Path sudo = bin.resolve("sudo");
        Files.writeString(sudo, """
                #!/bin/sh
                printf '%%s\\0' "$@" > '%1$s/sudo.args'
                if [ -e '%1$s/sudo.deny' ]; then
                  echo "sudo: a password is required" >&2
                  exit 1
                fi
                [ "$1" = "-n" ] && shift
                [ "$1" = "--" ] && shift
                if ! command -v "$1" >/dev/null 2>&1; then
                  echo "sudo: $1: command not found" >&2
                  exit 1
                fi
                exec "$@"
                """.formatted(work));
        Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static KeyPair newHostKey() {
        try {
            return KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
