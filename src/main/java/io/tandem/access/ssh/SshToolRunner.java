package io.tandem.access.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;

import io.tandem.node.CommandResult;
import io.tandem.node.NodeAccessException;
import io.tandem.node.ToolRunner;

/**
 * Runs a node's tools over the node's shared SSH connection, one exec channel per command. Every
 * argument is single-quoted for the remote login shell, which must be a POSIX shell (sh, bash, dash,
 * zsh; not csh or fish). With {@link SshTarget#sudo()} the command runs as {@code sudo -n}.
 */
public final class SshToolRunner implements ToolRunner {

    /** Exit codes a shell reports for a process killed by a signal are 128 + the signal number. */
    private static final Map<String, Integer> SIGNALS = Map.of(
            "HUP", 1, "INT", 2, "QUIT", 3, "ABRT", 6, "KILL", 9, "SEGV", 11, "PIPE", 13, "ALRM", 14, "TERM", 15);

    private final SshConnections connections;
    private final SshTarget target;

    SshToolRunner(SshConnections connections, SshTarget target) {
        this.connections = Objects.requireNonNull(connections);
        this.target = Objects.requireNonNull(target);
    }

    public SshTarget target() {
        return target;
    }

    /** Runs with the configured default timeout. */
    public CommandResult run(List<String> argv) throws NodeAccessException {
        return run(argv, connections.settings().commandTimeout());
    }

    @Override
    public CommandResult run(List<String> argv, Duration timeout) throws NodeAccessException {
        return run(argv, new byte[0], timeout);
    }

    /**
     * Runs with {@code stdin} fed to the command, then end-of-file.
     *
     * @throws NodeAccessException TimedOut when the command outlived {@code timeout}: its channel is
     *         closed, but without a pty OpenSSH does not signal the remote process, which ends only
     *         when it next writes to the closed channel or finishes; ToolMissing or PermissionDenied
     *         when the shell or sudo said the program could not run
     */
    public CommandResult run(List<String> argv, byte[] stdin, Duration timeout) throws NodeAccessException {
        Objects.requireNonNull(stdin, "stdin");
        requirePositive(timeout);
        String command = ShellCommand.of(argv, target.sudo());
        int cap = connections.settings().maxOutputBytes();
        CappedOutput out = new CappedOutput(cap);
        CappedOutput err = new CappedOutput(cap);
        ChannelExec channel = connections.openChannel(target, (session, openTimeout) -> {
            ChannelExec exec = session.createExecChannel(command);
            exec.setOut(out);
            exec.setErr(err);
            try {
                exec.open().verify(openTimeout);
                return exec;
            } catch (IOException | RuntimeException e) {
                exec.close(true);
                throw e;
            }
        }, exec -> exec);
        try {
            feed(channel, stdin);
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                throw SshFailures.timedOut("running " + argv.get(0) + " on " + target.address(), timeout);
            }
            CommandResult result = new CommandResult(exitCode(channel, argv.get(0)), out.text(), err.text(),
                    out.truncated() || err.truncated());
            var failure = ToolFailures.of(argv.get(0), result);
            if (failure.isPresent()) {
                throw failure.get();
            }
            return result;
        } catch (IOException e) {
            throw SshFailures.of("running " + argv.get(0) + " on " + target.address(), e, null);
        } finally {
            // Immediately, not gracefully: after a timeout the remote side may never close its end.
            channel.close(true);
        }
    }

    private static void feed(ChannelExec channel, byte[] stdin) throws IOException {
        // Closing our side sends EOF, so a command that reads stdin ends instead of waiting forever.
        try (OutputStream in = channel.getInvertedIn()) {
            if (stdin.length > 0) {
                in.write(stdin);
                in.flush();
            }
        }
    }

    private int exitCode(ChannelExec channel, String program) throws NodeAccessException {
        Integer status = channel.getExitStatus();
        if (status != null) {
            return status;
        }
        String signal = channel.getExitSignal();
        if (signal != null) {
            return 128 + SIGNALS.getOrDefault(signal, 0);
        }
        throw new NodeAccessException.BadAnswer(
                program + " on " + target.address() + " ended without an exit status", null);
    }

    private static void requirePositive(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }
}
