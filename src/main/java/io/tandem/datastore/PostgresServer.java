package io.tandem.datastore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.util.LinuxUtils;

/**
 * The PostgreSQL programs run on one data directory: initdb, single-user mode, pg_ctl start and stop,
 * and recognising a server an earlier, killed console left running on this directory.
 */
final class PostgresServer {

    private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);
    private static final String PID_FILE = "postmaster.pid";
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);

    private final Path installation;
    private final Path dataDir;
    private final Path logFile;

    PostgresServer(Path installation, Path dataDir, Path logFile) {
        this.installation = installation;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.logFile = logFile;
    }

    Path dataDir() {
        return dataDir;
    }

    boolean initialised() {
        return Files.exists(dataDir.resolve("PG_VERSION"));
    }

    /** A new cluster whose superuser has a password from the start: there is never a trust line. */
    void initdb(String superuser, String password) {
        Path passwordFile = dataDir.resolveSibling(dataDir.getFileName() + ".initdb-password");
        try {
            Files.deleteIfExists(passwordFile);
            Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
            run("initdb", List.of("-D", dataDir.toString(), "-U", superuser, "--auth=scram-sha-256",
                    "--pwfile=" + passwordFile, "-E", "UTF-8", "--no-instructions"), null);
        } catch (IOException e) {
            throw new DataStoreException("Cannot prepare the new database in " + dataDir + ": " + e.getMessage(),
                    "Make the data directory writable by this user.", e);
        } finally {
            try {
                Files.deleteIfExists(passwordFile);
            } catch (IOException ignored) {
                // 0600 and in the private data directory; removed at the next start at the latest
            }
        }
    }

    /** Runs SQL in single-user mode: no network, no pg_hba; for setting the superuser's password on an old cluster. */
    void singleUser(String database, String sql) {
        run("postgres", List.of("--single", "-D", dataDir.toString(), "-c", "listen_addresses=", database), sql);
    }

    /** Writes pg_hba.conf: SCRAM password logins over loopback only, nothing else. */
    void writeAccessRules() {
        try {
            Files.writeString(dataDir.resolve("pg_hba.conf"), """
                    # Written by Tandem at every start of the embedded server: password (SCRAM) logins over loopback
                    # only. The server listens on 127.0.0.1 and has no Unix socket. Edits here are replaced.
                    host    all    all    127.0.0.1/32    scram-sha-256
                    """, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataStoreException("Cannot write " + dataDir.resolve("pg_hba.conf") + ": " + e.getMessage(),
                    "Make the data directory writable by this user.", e);
        }
    }

    void start(int port, Duration timeout) {
        createPrivateFile(logFile);
        String options = String.join(" ", "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=''",
                "-c", "password_encryption=scram-sha-256",
                "-c", "timezone=UTC",
                // a crash of the machine may lose the last moment of history, never corrupt it
                "-c", "synchronous_commit=off");
        long seconds = Math.max(1, timeout.toSeconds());
        run("pg_ctl", List.of("-D", dataDir.toString(), "-l", logFile.toString(), "-w", "-t", Long.toString(seconds),
                "-o", options, "start"), null);
    }

    /** Stops the server: fast (sessions rolled back), or immediate if that does not finish in time. */
    void stop() {
        try {
            run("pg_ctl", List.of("-D", dataDir.toString(), "-m", "fast", "-w", "-t", "30", "stop"), null);
        } catch (DataStoreException e) {
            log.warn("PostgreSQL in {} did not stop in 30 s ({}); stopping it immediately", dataDir, e.getMessage());
            run("pg_ctl", List.of("-D", dataDir.toString(), "-m", "immediate", "-w", "-t", "30", "stop"), null);
        }
    }

    /** The postmaster running on this data directory, if its pid file names a live postgres process here. */
    Optional<ProcessHandle> postmaster() {
        List<String> lines;
        try {
            lines = Files.readAllLines(dataDir.resolve(PID_FILE), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (lines.size() < 2 || !lines.get(0).strip().matches("\\d{1,10}")) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
                .filter(ProcessHandle::isAlive)
                .filter(process -> isPostgresOnThisDirectory(process, lines.get(1).strip()));
    }

    /**
     * A console killed with -9 leaves its server running, which holds the directory and the port of the last
     * run. Stop that server cleanly; a pid file whose process is gone or is something else (after a reboot)
     * is removed so the new server does not take it for a live one.
     */
    void stopLeftOver() {
        Path pidFile = dataDir.resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> orphan = postmaster();
        if (orphan.isPresent()) {
            log.warn("A PostgreSQL server from an earlier run (pid {}) is still running on {}; stopping it",
                    orphan.get().pid(), dataDir);
            stop();
            awaitExit(orphan.get());
            return;
        }
        try {
            Files.deleteIfExists(pidFile);
            log.info("Removed the stale {} of a server that is no longer running", pidFile);
        } catch (IOException e) {
            throw new DataStoreException("Cannot remove the stale " + pidFile + ": " + e.getMessage(),
                    "Remove it by hand (no server is running on this directory).", e);
        }
    }

    /** pg_ctl returns once the pid file is gone, a moment before the process has exited and let go of its port. */
    private static void awaitExit(ProcessHandle process) {
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("PostgreSQL pid {} still exists 10 s after it stopped", process.pid());
        }
    }

    private boolean isPostgresOnThisDirectory(ProcessHandle process, String recordedDir) {
        if (!Path.of(recordedDir).toAbsolutePath().normalize().equals(dataDir)) {
            return false;
        }
        Optional<String> command = process.info().command();
        if (command.isPresent() && !Path.of(command.get()).getFileName().toString().equals("postgres")) {
            return false;
        }
        // the postmaster works in its data directory; where /proc is missing, its -D argument says the same
        Path cwd = Path.of("/proc", Long.toString(process.pid()), "cwd");
        try {
            return cwd.toRealPath().equals(dataDir.toRealPath());
        } catch (IOException | SecurityException e) {
            return process.info().arguments().map(args -> List.of(args).contains(dataDir.toString())).orElse(command.isPresent());
        }
    }

    /** Last lines of the server log, for an error message. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private void run(String program, List<String> arguments, String input) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            // PostgreSQL refuses to run as root; in its own user namespace it runs as an unprivileged user
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(installation.resolve("bin").resolve(program).toString());
        command.addAll(arguments);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new DataStoreException("Cannot run " + program + " from " + installation + ": " + e.getMessage(),
                    "Remove " + installation + " so it is unpacked again.", e);
        }
        try {
            try (OutputStream stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            CompletableFuture<String> reading = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            if (!process.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new DataStoreException(program + " did not finish in " + TOOL_TIMEOUT.toSeconds() + " s on " + dataDir + ".",
                        "Look at " + logFile + ".");
            }
            String output = reading.completeOnTimeout("", 10, TimeUnit.SECONDS).join();
            if (input != null && output.contains("ERROR:")) {
                // single-user mode reports a failed statement but still exits with 0
                throw new DataStoreException(program + " refused a statement on " + dataDir + ": " + lastLines(output),
                        "Look at " + logFile + ".");
            }
            if (process.exitValue() != 0) {
                throw new DataStoreException(program + " failed on " + dataDir + " (exit " + process.exitValue() + "): "
                        + lastLines(output) + tail(),
                        "Look at " + logFile + ". If the port is taken, set --tandem.embedded-db.port=N; "
                                + "or use an external server with SPRING_DATASOURCE_URL.");
            }
            log.debug("{}: {}", program, output);
        } catch (IOException e) {
            throw new DataStoreException(program + " failed on " + dataDir + ": " + e.getMessage(), "Look at " + logFile + ".", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new DataStoreException("Interrupted while running " + program + ".", "Start the console again.", e);
        }
    }

    private String tail() {
        String tail = logTail();
        return tail.isBlank() ? "" : "\n" + tail;
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    private static String lastLines(String output) {
        List<String> lines = output.strip().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
    }

    private static void createPrivateFile(Path file) {
        try {
            if (!Files.exists(file) && Files.getFileAttributeView(file.getParent(), PosixFileAttributeView.class) != null) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
        } catch (IOException e) {
            throw new DataStoreException("Cannot create " + file + ": " + e.getMessage(), "Make the data directory writable.", e);
        }
    }
}
