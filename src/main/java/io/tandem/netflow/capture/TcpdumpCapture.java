package io.tandem.netflow.capture;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Supervises {@code tcpdump -i any -nn -U -s 0 -w - 'udp and (dst port ...)'}, reads its pcap stream
 * into a {@link DatagramSink} and restarts it with exponential backoff when it dies. The command is an
 * argument list, never a shell string; {@code sudo -n} is an option for hosts where tcpdump needs root.
 */
public final class TcpdumpCapture implements AutoCloseable {

    private static final Pattern PERMISSION_TEXT = Pattern.compile(
            "(?i)permission|not permitted|password is required|terminal is required|not allowed to execute");
    private static final Pattern MISSING_TEXT = Pattern.compile("(?i)command not found|no such file");

    public enum State { STARTING, RUNNING, RESTARTING, MISSING, NOT_PERMITTED, STOPPED }

    /** {@code lastError} is the last stderr line or failure seen (empty when none). */
    public record Status(State state, String lastError, long starts, long datagrams) {
    }

    public record Config(String tcpdumpPath, boolean sudo, String interfaceName, List<Integer> ports,
                         Duration initialBackoff, Duration maxBackoff) {
        public Config {
            if (tcpdumpPath == null || tcpdumpPath.isBlank() || interfaceName == null || interfaceName.isBlank()) {
                throw new IllegalArgumentException("tcpdump path and interface are required");
            }
            if (ports == null || ports.isEmpty() || ports.stream().anyMatch(p -> p == null || p < 1 || p > 65535)) {
                throw new IllegalArgumentException("ports must be 1..65535: " + ports);
            }
            if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("backoff must be positive and max >= initial");
            }
            ports = List.copyOf(ports);
        }

        public static Config of(List<Integer> ports) {
            return new Config("tcpdump", false, "any", ports, Duration.ofSeconds(1), Duration.ofMinutes(1));
        }

        public Config withTcpdumpPath(String path) {
            return new Config(path, sudo, interfaceName, ports, initialBackoff, maxBackoff);
        }

        public Config withSudo(boolean useSudo) {
            return new Config(tcpdumpPath, useSudo, interfaceName, ports, initialBackoff, maxBackoff);
        }

        public Config withBackoff(Duration initial, Duration max) {
            return new Config(tcpdumpPath, sudo, interfaceName, ports, initial, max);
        }
    }

    private final Config config;
    private final DatagramSink sink;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread supervisor;
    private volatile State state = State.STARTING;
    private volatile String lastError = "";
    private volatile long starts;
    private volatile long datagrams;
    private volatile Process process;

    public TcpdumpCapture(Config config, DatagramSink sink) {
        this.config = config;
        this.sink = (src, sp, dp, b, o, l, ts, po) -> {
            datagrams++;
            sink.datagram(src, sp, dp, b, o, l, ts, po);
        };
        this.supervisor = new Thread(this::supervise, "tcpdump-capture");
        this.supervisor.setDaemon(true);
    }

    /** The exact argument list that is executed. */
    public List<String> command() {
        List<String> command = new ArrayList<>();
        if (config.sudo()) {
            command.add("sudo");
            command.add("-n");
        }
        command.addAll(List.of(config.tcpdumpPath(), "-i", config.interfaceName(), "-nn", "-U", "-s", "0", "-w", "-"));
        StringBuilder filter = new StringBuilder("udp and (");
        for (int i = 0; i < config.ports().size(); i++) {
            filter.append(i == 0 ? "" : " or ").append("dst port ").append(config.ports().get(i));
        }
        command.add(filter.append(')').toString());
        return command;
    }

    public void start() {
        supervisor.start();
    }

    public Status status() {
        return new Status(state, lastError, starts, datagrams);
    }

    @Override
    public void close() {
        stop.countDown();
        Process p = process;
        if (p != null) {
            p.destroy();
        }
        supervisor.interrupt();
        try {
            supervisor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state = State.STOPPED;
    }

    private void supervise() {
        long backoff = config.initialBackoff().toMillis();
        while (stop.getCount() > 0) {
            long startedAt = System.nanoTime();
            runOnce();
            if (stop.getCount() == 0) {
                break;
            }
            if (Duration.ofNanos(System.nanoTime() - startedAt).compareTo(config.maxBackoff()) > 0) {
                backoff = config.initialBackoff().toMillis(); // it ran a good while: start backing off afresh
            }
            try {
                if (stop.await(backoff, TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                break;
            }
            backoff = Math.min(backoff * 2, config.maxBackoff().toMillis());
        }
        state = State.STOPPED;
    }

    private void runOnce() {
        Process p;
        try {
            p = new ProcessBuilder(command()).start();
        } catch (IOException e) {
            state = MISSING_TEXT.matcher(String.valueOf(e.getMessage())).find() || String.valueOf(e.getMessage()).contains("error=2")
                    ? State.MISSING : State.RESTARTING;
            lastError = String.valueOf(e.getMessage());
            return;
        }
        process = p;
        starts++;
        StderrWatcher stderr = new StderrWatcher(p.getErrorStream());
        stderr.start();
        CaptureSummary summary;
        try (InputStream out = new FirstByteSignal(p.getInputStream())) {
            p.getOutputStream().close();
            summary = CaptureReader.read(out, sink);
        } catch (IOException e) {
            summary = null;
        }
        int exit;
        try {
            exit = p.waitFor();
            stderr.join(2000);
        } catch (InterruptedException e) {
            p.destroy();
            return;
        }
        if (stop.getCount() == 0) {
            return;
        }
        String line = stderr.lastLine;
        if (stderr.permissionDenied) {
            state = State.NOT_PERMITTED;
        } else if (exit == 127 || MISSING_TEXT.matcher(line).find()) {
            state = State.MISSING;
        } else {
            state = State.RESTARTING;
        }
        if (!line.isEmpty()) {
            lastError = line;
        } else if (summary != null && summary.error().isPresent()) {
            lastError = "capture stream: " + summary.error().get().reason();
        } else {
            lastError = "tcpdump exited with status " + exit;
        }
    }

    /** Marks the capture RUNNING once tcpdump has actually produced output. */
    private final class FirstByteSignal extends FilterInputStream {
        private boolean seen;

        FirstByteSignal(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && !seen) {
                seen = true;
                state = State.RUNNING;
            }
            return n;
        }
    }

    private final class StderrWatcher extends Thread {
        private final InputStream err;
        volatile String lastLine = "";
        volatile boolean permissionDenied;

        StderrWatcher(InputStream err) {
            super("tcpdump-stderr");
            setDaemon(true);
            this.err = err;
        }

        @Override
        public void run() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isBlank() || line.startsWith("tcpdump: listening on") || line.contains("packets captured")
                            || line.contains("packets received by filter") || line.contains("packets dropped by kernel")) {
                        continue;
                    }
                    String trimmed = line.length() > 500 ? line.substring(0, 500) : line;
                    lastLine = trimmed;
                    lastError = trimmed;
                    if (PERMISSION_TEXT.matcher(trimmed).find()) {
                        permissionDenied = true;
                        state = TcpdumpCapture.State.NOT_PERMITTED;
                    }
                }
            } catch (IOException e) {
                // the process went away; its exit status tells the rest
            }
        }
    }
}
