package io.tandem.access;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One command the console runs as root on a node it reaches over SSH, from the closed set {@link AgentHostCommands}
 * builds (only this package can make one): an argument vector the adapter quotes word by word, never a shell string
 * with values pasted in. Where a step needs a shell (a check, a validated swap), the script is a constant and every
 * value reaches it as a positional parameter ({@code sh -c SCRIPT sh ARG...}).
 */
public final class HostCommand {

    private final String purpose;
    private final List<String> argv;
    private final byte[] stdin;
    private final boolean secretOutput;

    private HostCommand(String purpose, List<String> argv, byte[] stdin, boolean secretOutput) {
        this.purpose = Objects.requireNonNull(purpose, "purpose");
        this.argv = List.copyOf(argv);
        this.stdin = stdin.clone();
        this.secretOutput = secretOutput;
        if (this.argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
    }

    static HostCommand of(String purpose, List<String> argv) {
        return new HostCommand(purpose, argv, new byte[0], false);
    }

    static HostCommand withInput(String purpose, List<String> argv, String stdin) {
        return new HostCommand(purpose, argv, stdin.getBytes(StandardCharsets.UTF_8), false);
    }

    /** Its output holds a secret (agent init's token): never logged, journaled or shown. */
    static HostCommand secret(String purpose, List<String> argv) {
        return new HostCommand(purpose, argv, new byte[0], true);
    }

    /** What it does, in operator words (for a failure's message). */
    public String purpose() {
        return purpose;
    }

    public List<String> argv() {
        return argv;
    }

    /** Bytes fed to the command (a file's content), empty for none. */
    public byte[] stdin() {
        return stdin.clone();
    }

    public boolean secretOutput() {
        return secretOutput;
    }

    @Override
    public String toString() {
        return purpose + ": " + argv; // never the input
    }
}
