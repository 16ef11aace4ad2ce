package io.tandem.node;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs a node's tools on this machine (the agent's backend): {@link ProcessBuilder} over the argument vector, never a
 * shell. Children run with {@code LC_ALL=C} and {@code TZ=UTC} so that messages and timestamps are the ones the
 * parsers expect; stdin is {@code /dev/null}, so a tool that unexpectedly prompts fails instead of hanging.
 * stdout and stderr are drained concurrently (a tool filling one pipe cannot block on the other) and kept up to
 * {@link Settings#maxOutputBytes()} each; the rest is read and discarded and the result marked truncated.
 */
public final class LocalToolRunner implements ToolRunner {

    /**
     * @param sudo prefix every command with {@code sudo -n --} (non-interactive: a password prompt is a refusal)
     * @param toolPaths tool name (the argv's first element, e.g. {@code "nft"}, or {@code "sudo"}) to the absolute
     *        path to run instead; tests point these at scripts that print recorded output
     * @param maxOutputBytes cap per stream
     */
    public record Settings(boolean sudo, Map<String, Path> toolPaths, int maxOutputBytes) {
        public static final int DEFAULT_MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

        public Settings {
            toolPaths = Map.copyOf(Objects.requireNonNull(toolPaths, "toolPaths"));
            toolPaths.forEach((tool, path) -> {
                if (!path.isAbsolute()) {
                    throw new IllegalArgumentException("tool path for " + tool + " must be absolute: " + path);
                }
            });
            if (maxOutputBytes < 1) {
                throw new IllegalArgumentException("maxOutputBytes must be positive");
            }
        }

        public static Settings defaults() {
            return new Settings(false, Map.of(), DEFAULT_MAX_OUTPUT_BYTES);
        }

        public Settings withSudo(boolean useSudo) {
            return new Settings(useSudo, toolPaths, maxOutputBytes);
        }

        public Settings withToolPaths(Map<String, Path> paths) {
            return new Settings(sudo, paths, maxOutputBytes);
        }

        public Settings withMaxOutputBytes(int max) {
            return new Settings(sudo, toolPaths, max);
        }
    }

    /** After the tool exits, how long a pipe may stay open (held by a daemonised grandchild) before we give up. */
    private static final Duration PIPE_GRACE = Duration.ofSeconds(2);

    private final Settings settings;

    public LocalToolRunner(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public CommandResult run(List<String> argv, Duration timeout) throws NodeAccessException {
        List<String> command = command(argv);
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a positive timeout is required");
        }
        Process process = start(command);
        Drain out = new Drain(process.getInputStream(), settings.maxOutputBytes(), "stdout " + argv.get(0));
        Drain err = new Drain(process.getErrorStream(), settings.maxOutputBytes(), "stderr " + argv.get(0));
        out.start();
        err.start();
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                destroyTree(process);
                out.abandon();
                err.abandon();
                throw new NodeAccessException.TimedOut(
                        argv.get(0) + " did not finish within " + Durations.words(timeout) + " and was killed", null);
            }
            if (!out.finish(PIPE_GRACE) || !err.finish(PIPE_GRACE)) {
                throw new NodeAccessException.TimedOut(argv.get(0) + " exited but a child process kept its output "
                        + "open; the output was abandoned", null);
            }
        } catch (InterruptedException e) {
            destroyTree(process);
            out.abandon();
            err.abandon();
            Thread.currentThread().interrupt();
            throw new NodeAccessException.TimedOut(argv.get(0) + " was interrupted", e);
        }
        CommandResult result = new CommandResult(process.exitValue(), out.text(), err.text(),
                out.truncated() || err.truncated());
        refuseWhenNotAllowed(argv.get(0), result);
        return result;
    }

    private List<String> command(List<String> argv) {
        if (argv == null || argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
        for (String arg : argv) {
            if (arg == null || arg.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("argv must not contain null or NUL characters");
            }
        }
        List<String> command = new ArrayList<>();
        if (settings.sudo()) {
            command.add(resolve("sudo"));
            command.add("-n");
            command.add("--");
        }
        command.add(resolve(argv.get(0)));
        command.addAll(argv.subList(1, argv.size()));
        return command;
    }

    private String resolve(String tool) {
        Path override = settings.toolPaths().get(tool);
        return override != null ? override.toString() : tool;
    }

    private static Process start(List<String> command) throws NodeAccessException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("LC_ALL", "C");
        builder.environment().put("TZ", "UTC");
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            return builder.start();
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("error=13")) {
                throw new NodeAccessException.PermissionDenied("not allowed to run " + command.get(0), e);
            }
            throw new NodeAccessException.ToolMissing(command.get(0) + " could not be started: " + message, e);
        }
    }

    /** A tool that ran but was refused is not an answer about the node; name the refusal. */
    private void refuseWhenNotAllowed(String tool, CommandResult result) throws NodeAccessException {
        if (result.succeeded()) {
            return;
        }
        String stderr = result.stderr().toLowerCase(Locale.ROOT);
        if (settings.sudo() && stderr.contains("sudo:") && stderr.contains("command not found")) {
            throw new NodeAccessException.ToolMissing(tool + " is not installed or not on sudo's secure_path", null);
        }
        if (result.exitCode() == 127) {
            throw new NodeAccessException.ToolMissing(tool + " was not found (exit 127): " + result.firstErrorLine(),
                    null);
        }
        if (result.exitCode() == 126 || stderr.contains("a password is required")
                || stderr.contains("permission denied") || stderr.contains("operation not permitted")) {
            throw new NodeAccessException.PermissionDenied(tool + " was not allowed to run: "
                    + result.firstErrorLine(), null);
        }
    }

    private static void destroyTree(Process process) {
        // Collect descendants first: once the parent is gone they are re-parented and out of reach.
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /** Reads one stream to its end on its own thread, keeping at most {@code cap} bytes. */
    private static final class Drain extends Thread {
        private final InputStream in;
        private final int cap;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private volatile boolean truncated;

        Drain(InputStream in, int cap, String name) {
            super("tool-" + name);
            setDaemon(true);
            this.in = in;
            this.cap = cap;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[16 * 1024];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    int room = cap - kept.size();
                    if (n > room) {
                        truncated = true;
                    }
                    if (room > 0) {
                        synchronized (kept) {
                            kept.write(buffer, 0, Math.min(n, room));
                        }
                    }
                }
            } catch (IOException e) {
                // The stream was closed under us (abandon) or the pipe broke: keep what was read.
            }
        }

        boolean finish(Duration grace) throws InterruptedException {
            join(grace.toMillis());
            if (isAlive()) {
                abandon();
                return false;
            }
            return true;
        }

        void abandon() {
            try {
                in.close();
            } catch (IOException e) {
                // nothing more to read from it either way
            }
        }

        boolean truncated() {
            return truncated;
        }

        String text() {
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
