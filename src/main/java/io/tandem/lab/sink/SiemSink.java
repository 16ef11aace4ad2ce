package io.tandem.lab.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.tandem.lab.nfo.FlowSyslog;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lab's SIEM: one UDP socket and one TCP listener on the same port receive {@link FlowSyslog} lines (one per
 * datagram; LF-terminated over TCP) and count them per sending node (the line's host name) and per second of
 * arrival by the sink's clock. Loss across a failover shows as {@link #gaps}, duplication (two outputs open) as
 * {@link #overlaps}; both are counted exactly, per record and exporter, in {@link #exporters} (see
 * {@link RecordLedger}). Every bound is fixed: lines, clients, nodes, streams and seconds kept.
 */
public final class SiemSink implements AutoCloseable {

    static final int MAX_LINE_BYTES = 4096;
    static final int MAX_NODES = 64;
    static final int MAX_SECONDS = 24 * 3600;
    static final int MAX_TCP_CLIENTS = 64;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Seconds {@code from..to} (inclusive, epoch seconds) with no record from any node. */
    public record Gap(long fromSecond, long toSecond) {
        public long seconds() {
            return toSecond - fromSecond + 1;
        }
    }

    /** A second in which more than one node's output reached the SIEM: duplicate data. */
    public record Overlap(long second, Map<String, Long> byNode) {
    }

    /**
     * What {@link #writeReport} writes.
     *
     * @param exporters per exporter ({@code address/domain}): records received, {@code lost} and {@code duplicated} records
     */
    public record Report(Map<String, Long> totals, long malformed, List<Gap> gaps, List<Overlap> overlaps,
                         Map<String, RecordLedger.Counts> exporters, Map<Long, Map<String, Long>> countsBySecond) {
    }

    private final Clock clock;
    private final DatagramChannel udp;
    private final ServerSocket tcp;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger clientCount = new AtomicInteger();
    private final Map<String, Long> totals = new LinkedHashMap<>();
    private final TreeMap<Long, Map<String, Long>> bySecond = new TreeMap<>();
    private final RecordLedger ledger = new RecordLedger();
    private long malformed;

    private SiemSink(Clock clock, DatagramChannel udp, ServerSocket tcp) {
        this.clock = clock;
        this.udp = udp;
        this.tcp = tcp;
    }

    /** Binds UDP and TCP on {@code listen} (port 0: one free port for both) and starts receiving. */
    public static SiemSink start(InetSocketAddress listen, Clock clock) throws IOException {
        IOException last = null;
        // with port 0 the UDP port picked may be taken for TCP; a few tries find one free for both
        for (int attempt = 0; attempt < (listen.getPort() == 0 ? 10 : 1); attempt++) {
            DatagramChannel udp = DatagramChannel.open();
            try {
                udp.bind(listen);
                ServerSocket tcp = new ServerSocket();
                try {
                    tcp.bind(new InetSocketAddress(listen.getAddress(),
                            ((InetSocketAddress) udp.getLocalAddress()).getPort()));
                } catch (IOException e) {
                    tcp.close();
                    throw e;
                }
                SiemSink sink = new SiemSink(clock, udp, tcp);
                sink.startThreads();
                return sink;
            } catch (IOException e) {
                udp.close();
                last = e;
            }
        }
        throw last;
    }

    private void startThreads() {
        daemon(this::receiveUdp, "siem-sink-udp").start();
        daemon(this::acceptTcp, "siem-sink-tcp").start();
    }

    public InetSocketAddress udpAddress() {
        try {
            return (InetSocketAddress) udp.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("sink closed", e);
        }
    }

    public InetSocketAddress tcpAddress() {
        return (InetSocketAddress) tcp.getLocalSocketAddress();
    }

    /** Records per node since start. */
    public synchronized Map<String, Long> totals() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(totals));
    }

    /** Records per arrival second (epoch seconds) and node; the last {@value #MAX_SECONDS} seconds are kept. */
    public synchronized NavigableMap<Long, Map<String, Long>> countsBySecond() {
        TreeMap<Long, Map<String, Long>> copy = new TreeMap<>();
        bySecond.forEach((second, nodes) -> copy.put(second, Collections.unmodifiableMap(new LinkedHashMap<>(nodes))));
        return Collections.unmodifiableNavigableMap(copy);
    }

    /** Lines that were not {@link FlowSyslog} lines, were too long, or came from one node too many. */
    public synchronized long malformed() {
        return malformed;
    }

    /**
     * Runs of silent seconds at least {@code minGap} long between the first and the last second that saw a
     * record: the output loss of a failover.
     */
    public synchronized List<Gap> gaps(Duration minGap) {
        long min = Math.max(1, (minGap.toMillis() + 999) / 1000);
        List<Gap> gaps = new ArrayList<>();
        Long previous = null;
        for (long second : bySecond.keySet()) {
            if (previous != null && second - previous - 1 >= min) {
                gaps.add(new Gap(previous + 1, second - 1));
            }
            previous = second;
        }
        return gaps;
    }

    /** Seconds in which records from more than one node arrived. */
    public synchronized List<Overlap> overlaps() {
        List<Overlap> overlaps = new ArrayList<>();
        bySecond.forEach((second, nodes) -> {
            if (nodes.size() > 1) {
                overlaps.add(new Overlap(second, Collections.unmodifiableMap(new LinkedHashMap<>(nodes))));
            }
        });
        return overlaps;
    }

    public synchronized Report report() {
        return new Report(totals(), malformed, gaps(Duration.ofSeconds(1)), overlaps(), exporters(), countsBySecond());
    }

    /** Per exporter: records received, lost and duplicated, from the records' identities. */
    public Map<String, RecordLedger.Counts> exporters() {
        return ledger.byExporter();
    }

    /** Writes {@link #report()} as JSON, atomically. */
    public void writeReport(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path temp = Files.createTempFile(absolute.getParent(), "sink-report", ".tmp");
        try {
            Files.write(temp, JSON.writeValueAsBytes(report()));
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Counts one received line; public so the demo can feed lines it received by other means. */
    public void accept(String line) {
        var parsed = FlowSyslog.parse(line);
        long second = Math.floorDiv(clock.millis(), 1000);
        synchronized (this) {
            if (parsed.isEmpty() || (!totals.containsKey(parsed.get().node()) && totals.size() >= MAX_NODES)) {
                malformed++;
                return;
            }
            String node = parsed.get().node();
            ledger.add(parsed.get());
            totals.merge(node, 1L, Long::sum);
            bySecond.computeIfAbsent(second, s -> new LinkedHashMap<>()).merge(node, 1L, Long::sum);
            while (bySecond.size() > MAX_SECONDS) {
                bySecond.pollFirstEntry();
            }
        }
    }

    @Override
    public void close() {
        try {
            udp.close();
            tcp.close();
        } catch (IOException e) {
            // closing listeners has nothing to flush
        }
        for (Socket client : clients) {
            try {
                client.close();
            } catch (IOException e) {
                // the reader thread ends either way
            }
        }
    }

    private void receiveUdp() {
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        while (udp.isOpen()) {
            try {
                buffer.clear();
                if (udp.receive(buffer) == null) {
                    continue;
                }
                buffer.flip();
                accept(buffer.remaining() > MAX_LINE_BYTES ? null
                        : StandardCharsets.UTF_8.decode(buffer).toString());
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // a failed receive loses one datagram, as a real SIEM would
            }
        }
    }

    private void acceptTcp() {
        while (!tcp.isClosed()) {
            try {
                Socket client = tcp.accept();
                if (clientCount.incrementAndGet() > MAX_TCP_CLIENTS) {
                    clientCount.decrementAndGet();
                    client.close();
                    continue;
                }
                clients.add(client);
                daemon(() -> readLines(client), "siem-sink-client").start();
            } catch (SocketException e) {
                return;
            } catch (IOException e) {
                // one failed accept does not stop the listener
            }
        }
    }

    /** LF-framed lines; an overlong line is counted once as malformed and skipped to its end. */
    private void readLines(Socket client) {
        try (client; InputStream in = client.getInputStream()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean overlong = false;
            byte[] chunk = new byte[8192];
            int n;
            while ((n = in.read(chunk)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    if (b == '\n') {
                        accept(overlong ? null : line.toString(StandardCharsets.UTF_8));
                        line.reset();
                        overlong = false;
                    } else if (line.size() >= MAX_LINE_BYTES) {
                        overlong = true;
                    } else {
                        line.write(b);
                    }
                }
            }
        } catch (IOException e) {
            // the client went away; what it sent is counted
        } finally {
            clients.remove(client);
            clientCount.decrementAndGet();
        }
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }
}
