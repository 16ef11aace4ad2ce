package io.tandem.lab.nfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.tandem.netflow.CachedTemplate;
import io.tandem.netflow.DecodeError;
import io.tandem.netflow.DecodeStats;
import io.tandem.netflow.Exporter;
import io.tandem.netflow.PacketDecoder;
import io.tandem.netflow.TemplateCache;
import io.tandem.netflow.TemplateCacheStore;
import io.tandem.netflow.TemplateKey;
import io.tandem.netflow.TemplateSnapshot;
import io.tandem.netflow.capture.UdpMirrorSource;
import io.tandem.node.GateDestination;
import tools.jackson.databind.json.JsonMapper;

/**
 * A running lab NFO node. It receives NetFlow/IPFIX on UDP with the real {@link PacketDecoder} and
 * {@link TemplateCache}, forwards one {@link FlowSyslog} line per decoded record through its
 * {@link OutputGateSim}, counts what NFO would drop for lack of a template, persists its templates under
 * {@code <home>/data} (and reloads them at start) and writes {@code <home>/run/status.json} every
 * {@value #STATUS_INTERVAL_MILLIS} ms. Configuration is read once, at start.
 *
 * <p>{@link #stop()} is a clean shutdown (templates saved); {@link #kill()} is SIGKILL: nothing more is written.
 */
public final class LabNfo implements AutoCloseable {

    public static final String STATUS_FILE = "run/status.json";
    public static final String TEMPLATE_DIR = "data";
    static final long STATUS_INTERVAL_MILLIS = 250;
    static final long TEMPLATE_SAVE_INTERVAL_MILLIS = 1000;
    /**
     * One hostile datagram can announce tens of thousands of one-byte records; forwarding each would turn the
     * node into an amplifier. Records beyond this cap are counted as suppressed instead.
     */
    static final int MAX_LINES_PER_PACKET = 2048;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final LabNfoConfig config;
    private final NfoConfiguration configuration;
    private final String templatesLoaded;
    private final Instant startedAt;
    private final TemplateCache cache = new TemplateCache();
    private final TemplateCacheStore store;
    private final DecodeStats stats = new DecodeStats();
    private final GateDestination destination;
    private final SyslogOutput output;
    private final UdpMirrorSource source;
    private final ScheduledExecutorService housekeeping;
    private final ServerSocket statusServer;
    /** Per template, the data-record count already forwarded: the decoder counts, it does not call back. */
    private final Map<TemplateKey, Long> forwardedPerTemplate = new HashMap<>();

    private long receivedPackets;
    private long decodedRecords;
    private long droppedNoTemplate;
    private long decodeErrors;
    private String lastDecodeError = "";
    private long forwarded;
    private long suppressed;
    private long outputErrors;
    private long templateChangesSaved;
    private long lastTemplateSave;
    private volatile boolean running;

    private LabNfo(LabNfoConfig config) throws IOException {
        this.config = config;
        this.configuration = NfoConfiguration.read(config.home());
        this.startedAt = config.clock().instant();
        this.store = new TemplateCacheStore(config.home().resolve(TEMPLATE_DIR));
        TemplateCacheStore.LoadResult loaded = store.load();
        cache.restore(loaded.snapshot());
        loaded.snapshot().templates().forEach(t -> forwardedPerTemplate.put(t.key(), t.dataRecords()));
        this.templatesLoaded = loaded instanceof TemplateCacheStore.LoadResult.Corrupt corrupt
                ? "corrupt file ignored: " + corrupt.reason()
                : loaded instanceof TemplateCacheStore.LoadResult.Missing ? "none saved"
                : loaded.snapshot().size() + " templates";
        this.destination = config.output().gateDestination();
        this.output = new SyslogOutput(config.output());
        Files.createDirectories(config.home().resolve("run"));
        this.source = new UdpMirrorSource(config.listen(), this::datagram, config.clock());
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lab-nfo-" + config.nodeName());
            t.setDaemon(true);
            return t;
        });
        this.statusServer = config.statusPort() == LabNfoConfig.NO_STATUS_PORT ? null : new ServerSocket();
    }

    /** Reads the configuration, reloads templates, binds the flow input (and status port) and starts. */
    public static LabNfo start(LabNfoConfig config) throws IOException {
        LabNfo nfo = new LabNfo(config);
        try {
            nfo.begin();
        } catch (IOException | RuntimeException e) {
            nfo.halt(false);
            throw e;
        }
        return nfo;
    }

    private void begin() throws IOException {
        running = true;
        source.start();
        if (statusServer != null) {
            statusServer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.statusPort()));
            Thread server = new Thread(this::serveStatus, "lab-nfo-status-" + config.nodeName());
            server.setDaemon(true);
            server.start();
        }
        writeStatus();
        housekeeping.scheduleWithFixedDelay(this::housekeeping, STATUS_INTERVAL_MILLIS, STATUS_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    public LabNfoConfig config() {
        return config;
    }

    public NfoConfiguration configuration() {
        return configuration;
    }

    public InetSocketAddress listenAddress() {
        return source.localAddress();
    }

    /** The bound status port, when one was asked for. */
    public Optional<Integer> statusPort() {
        return statusServer == null ? Optional.empty() : Optional.of(statusServer.getLocalPort());
    }

    public boolean running() {
        return running;
    }

    public TemplateSnapshot templates() {
        return cache.snapshot(config.clock().millis());
    }

    /**
     * Loses every template, in memory and on disk, as an NFO whose exporters stopped re-sending templates
     * eventually does: records stay undecodable until the exporters send them again.
     */
    public void forgetTemplates() throws IOException {
        synchronized (this) {
            cache.clear();
            forwardedPerTemplate.clear();
        }
        store.save(cache.snapshot(config.clock().millis()));
    }

    /** A clean shutdown: the last templates and status are written. */
    public void stop() {
        halt(true);
    }

    /** As SIGKILL: the node stops at once and writes nothing more (its last saved templates stay on disk). */
    public void kill() {
        halt(false);
    }

    @Override
    public void close() {
        stop();
    }

    private void halt(boolean clean) {
        boolean wasRunning = running;
        running = false;
        source.close();
        housekeeping.shutdownNow();
        try {
            housekeeping.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (statusServer != null) {
            try {
                statusServer.close();
            } catch (IOException e) {
                // the port is released either way
            }
        }
        synchronized (this) {
            output.close();
        }
        if (clean && wasRunning) {
            try {
                store.save(cache.snapshot(config.clock().millis()));
            } catch (IOException e) {
                // the periodic save left the previous state; a lab node has nowhere else to report this
            }
            writeStatus();
        }
    }

    public synchronized LabNfoStatus status() {
        return new LabNfoStatus(config.nodeName(), startedAt.toString(), config.clock().instant().toString(),
                running ? listenAddress().toString() : config.listen().toString(), config.output().toString(),
                configuration.digest(), configuration.files(), receivedPackets, decodedRecords, droppedNoTemplate,
                decodeErrors, lastDecodeError, forwarded, suppressed, outputErrors,
                config.gate().droppedPackets(), config.gate().droppedBytes(), cache.size(), templatesLoaded);
    }

    private synchronized void datagram(Exporter exporter, int sourcePort, int destinationPort, byte[] buf, int off,
                                       int len, long nowMillis, long payloadOffset) {
        if (!running) {
            return;
        }
        receivedPackets++;
        long dataBefore = stats.dataRecords();
        long undecodableBefore = stats.undecodableRecords();
        Optional<DecodeError> error = PacketDecoder.decode(exporter, buf, off, len, nowMillis, cache, stats);
        if (error.isPresent()) {
            decodeErrors++;
            lastDecodeError = error.get().toString();
        }
        droppedNoTemplate += stats.undecodableRecords() - undecodableBefore;
        long decoded = stats.dataRecords() - dataBefore;
        decodedRecords += decoded;
        if (decoded > 0) {
            forwardRecords(exporter, PacketId.of(buf, off, len, decoded), decoded, nowMillis);
        }
    }

    /**
     * The packet's version and header sequence number, carried into each line so the SIEM can tell a lost or a
     * doubled record exactly ({@link FlowSyslog}); {@code next} numbers the packet's records as they are sent.
     */
    private static final class PacketId {
        final int version;
        final long sequence;
        final int records;
        int next;

        private PacketId(int version, long sequence, int records) {
            this.version = version;
            this.sequence = sequence;
            this.records = records;
        }

        /** The decoder accepted the packet, so its header is complete. */
        static PacketId of(byte[] buf, int off, int len, long decoded) {
            int version = len >= 2 ? ((buf[off] & 0xff) << 8) | (buf[off + 1] & 0xff) : 0;
            int at = switch (version) {
                case 5 -> 16;
                case 9 -> 12;
                case 10 -> 8;
                default -> -1;
            };
            long sequence = at >= 0 && len >= at + 4 ? java.nio.ByteBuffer.wrap(buf, off + at, 4).getInt() & 0xffffffffL : 0;
            return new PacketId(at >= 0 ? version : 0, sequence, (int) Math.min(decoded, 99_999));
        }
    }

    /** Attributes the packet's decoded records to templates by their counters, then sends one line per record. */
    private void forwardRecords(Exporter exporter, PacketId packet, long decoded, long nowMillis) {
        long budget = MAX_LINES_PER_PACKET;
        long attributed = 0;
        for (CachedTemplate template : cache.snapshot(nowMillis).templates()) {
            Long before = forwardedPerTemplate.put(template.key(), template.dataRecords());
            // a redefined template starts counting from zero again
            long delta = before == null || template.dataRecords() < before ? template.dataRecords()
                    : template.dataRecords() - before;
            attributed += delta;
            budget = send(template.key().exporter().toString(), template.key().domain(),
                    String.valueOf(template.key().templateId()), packet, delta, budget, nowMillis);
        }
        // v5 records have no template: the rest of the packet's records are theirs
        send(exporter.toString(), 0, "v5", packet, Math.max(0, decoded - attributed), budget, nowMillis);
    }

    private long send(String exporter, long domain, String template, PacketId packet, long records, long budget,
                      long nowMillis) {
        long lines = Math.min(records, budget);
        suppressed += records - lines;
        Instant now = Instant.ofEpochMilli(nowMillis);
        for (long i = 0; i < lines; i++) {
            int record = packet.next++;
            if (record >= packet.records) {
                break;
            }
            byte[] line = new FlowSyslog(now, config.nodeName(), exporter, domain, template, forwarded + 1,
                    packet.version, packet.sequence, record, packet.records).format().getBytes(StandardCharsets.UTF_8);
            if (!config.gate().admit(destination, line.length)) {
                continue;
            }
            try {
                output.send(line, nowMillis);
                forwarded++;
            } catch (IOException e) {
                outputErrors++;
            }
        }
        return budget - lines;
    }

    private void housekeeping() {
        writeStatus();
        long changes;
        synchronized (this) {
            changes = stats.templateRecords() + stats.withdrawals();
        }
        long now = config.clock().millis();
        if (changes != templateChangesSaved && now - lastTemplateSave >= TEMPLATE_SAVE_INTERVAL_MILLIS) {
            try {
                store.save(cache.snapshot(now));
                templateChangesSaved = changes;
                lastTemplateSave = now;
            } catch (IOException e) {
                // retried at the next interval
            }
        }
    }

    /** Atomically, so a reader (the agent, a test) never sees half a file. */
    private void writeStatus() {
        Path file = config.home().resolve(STATUS_FILE);
        try {
            byte[] json = JSON.writeValueAsBytes(status());
            Path temp = Files.createTempFile(file.getParent(), "status", ".tmp");
            try {
                Files.write(temp, json);
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            // the next interval tries again
        }
    }

    /** A minimal HTTP/1.0 answer with the status JSON, on loopback only; the request itself is not interpreted. */
    private void serveStatus() {
        while (!statusServer.isClosed()) {
            try (Socket client = statusServer.accept()) {
                client.setSoTimeout(1000);
                drainRequestHead(client.getInputStream());
                byte[] body = JSON.writeValueAsBytes(status());
                OutputStream out = client.getOutputStream();
                out.write(("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // one client's trouble (or the server closing) ends only that exchange
            }
        }
    }

    private static void drainRequestHead(InputStream in) throws IOException {
        int matched = 0;
        for (int i = 0; i < 8192 && matched < 4; i++) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }
}
