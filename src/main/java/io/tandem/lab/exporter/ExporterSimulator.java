package io.tandem.lab.exporter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends realistic NetFlow v9/IPFIX from {@code exporters} simulated exporters (distinct source ids /
 * observation domains, all from one UDP socket) to the caller's destinations only: templates every
 * {@code templateInterval}, data at {@code recordsPerSecond}. Labs and tests drive failures through
 * {@link #changeTemplate}, {@link #stopTemplatesTo} and {@link #resumeTemplatesTo}.
 */
public final class ExporterSimulator implements AutoCloseable {

    public static final long FIRST_DOMAIN = 1000;
    static final int MAX_EXPORTERS = 10_000;
    static final int MAX_RATE = 2_000_000;
    private static final int RECORDS_PER_PACKET = 20;
    private static final long TICK_MILLIS = 5;

    public record Config(List<InetSocketAddress> destinations, int exporters, int templatesPerExporter, int version,
                         Duration templateInterval, int recordsPerSecond, Duration duration) {
        public Config {
            if (destinations == null || destinations.isEmpty() || destinations.stream().anyMatch(d -> d == null || d.isUnresolved())) {
                throw new IllegalArgumentException("at least one resolved destination is required");
            }
            if (exporters < 1 || exporters > MAX_EXPORTERS) {
                throw new IllegalArgumentException("exporters must be 1.." + MAX_EXPORTERS);
            }
            if (version != 9 && version != 10) {
                throw new IllegalArgumentException("version must be 9 or 10");
            }
            if (templateInterval == null || templateInterval.toMillis() < 1) {
                throw new IllegalArgumentException("template interval must be positive");
            }
            if (recordsPerSecond < 0 || recordsPerSecond > MAX_RATE) {
                throw new IllegalArgumentException("rate must be 0.." + MAX_RATE);
            }
            destinations = List.copyOf(destinations);
        }
    }

    /** Totals since start; {@code templatePackets} counts per destination sent. */
    public record Counters(long packets, long templatePackets, long dataRecords, long sendErrors) {
    }

    /** A template an exporter currently defines, as a collector keys it. */
    public record SimulatedTemplate(long domain, int templateId, io.tandem.netflow.TemplateDefinition definition) {
    }

    private final Config config;
    private final Clock clock;
    private final List<SimulatedExporter> exporters = new ArrayList<>();
    private final Set<InetSocketAddress> templatesStopped = ConcurrentHashMap.newKeySet();
    private final Set<Integer> dirty = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicLong packets = new AtomicLong();
    private final AtomicLong templatePackets = new AtomicLong();
    private final AtomicLong dataRecords = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private DatagramChannel channel;
    private Thread sender;

    public ExporterSimulator(Config config, Clock clock) {
        this.config = config;
        this.clock = clock;
        for (int i = 0; i < config.exporters(); i++) {
            exporters.add(new SimulatedExporter(config.version(), FIRST_DOMAIN + i, config.templatesPerExporter(), 42 + i));
        }
    }

    public synchronized void start() throws IOException {
        if (channel != null) {
            throw new IllegalStateException("already started");
        }
        channel = DatagramChannel.open();
        sender = new Thread(this::run, "exporter-simulator");
        sender.setDaemon(true);
        sender.start();
    }

    /** Blocks until the configured duration ends, {@link #close()} is called or the thread is interrupted. */
    public void awaitEnd() throws InterruptedException {
        sender.join();
    }

    public synchronized List<SimulatedTemplate> templates() {
        List<SimulatedTemplate> all = new ArrayList<>();
        for (SimulatedExporter e : exporters) {
            List<io.tandem.netflow.TemplateDefinition> defs = e.templates();
            for (int i = 0; i < defs.size(); i++) {
                all.add(new SimulatedTemplate(e.domain(), SimulatedExporter.FIRST_TEMPLATE_ID + i, defs.get(i)));
            }
        }
        return all;
    }

    /** Changes the definition and re-sends that exporter's templates at once. */
    public synchronized void changeTemplate(int exporterIndex, int templateId) {
        if (exporterIndex < 0 || exporterIndex >= exporters.size()) {
            throw new IllegalArgumentException("no exporter " + exporterIndex);
        }
        exporters.get(exporterIndex).changeTemplate(templateId);
        dirty.add(exporterIndex);
    }

    public void stopTemplatesTo(InetSocketAddress destination) {
        templatesStopped.add(destination);
    }

    public void resumeTemplatesTo(InetSocketAddress destination) {
        templatesStopped.remove(destination);
    }

    public Counters counters() {
        return new Counters(packets.get(), templatePackets.get(), dataRecords.get(), sendErrors.get());
    }

    @Override
    public void close() {
        stop.countDown();
        Thread t = sender;
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            sendErrors.incrementAndGet();
        }
    }

    private void run() {
        long start = clock.millis();
        long end = config.duration() == null ? Long.MAX_VALUE : start + config.duration().toMillis();
        long interval = config.templateInterval().toMillis();
        long[] nextTemplates = new long[exporters.size()];
        double budget = 0;
        long last = start;
        int cursor = 0;
        try {
            while (stop.getCount() > 0 && !Thread.currentThread().isInterrupted()) {
                long now = clock.millis();
                if (now >= end) {
                    return;
                }
                synchronized (this) {
                    for (int i = 0; i < exporters.size(); i++) {
                        boolean changed = dirty.remove(i);
                        if (changed || now >= nextTemplates[i]) {
                            for (byte[] p : exporters.get(i).templatePackets(now)) {
                                sendTemplates(p);
                            }
                            dataRecords.incrementAndGet(); // the options data record in the template packet
                            nextTemplates[i] = now + interval;
                        }
                    }
                    budget = Math.min(budget + config.recordsPerSecond() * (now - last) / 1000.0, config.recordsPerSecond() + RECORDS_PER_PACKET);
                    last = now;
                    while (budget >= 1) {
                        SimulatedExporter e = exporters.get(cursor % exporters.size());
                        int template = (cursor / exporters.size()) % e.dataTemplateCount();
                        cursor = (cursor + 1) % (exporters.size() * e.dataTemplateCount());
                        int n = (int) Math.min(budget, Math.min(RECORDS_PER_PACKET, e.maxRecordsPerPacket(template)));
                        sendData(e.dataPacket(template, n, now));
                        dataRecords.addAndGet(n);
                        budget -= n;
                    }
                }
                stop.await(TICK_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendTemplates(byte[] packet) {
        for (InetSocketAddress d : config.destinations()) {
            if (!templatesStopped.contains(d)) {
                send(packet, d);
                templatePackets.incrementAndGet();
            }
        }
    }

    private void sendData(byte[] packet) {
        for (InetSocketAddress d : config.destinations()) {
            send(packet, d);
        }
    }

    private void send(byte[] packet, InetSocketAddress destination) {
        try {
            channel.send(ByteBuffer.wrap(packet), destination);
            packets.incrementAndGet();
        } catch (IOException e) {
            sendErrors.incrementAndGet();
        }
    }
}
