package io.tandem.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tandem.netflow.TemplateCache;
import io.tandem.netflow.TemplateCacheStore;
import io.tandem.netflow.TemplateSnapshot;
import io.tandem.netflow.capture.FlowIngest;
import io.tandem.netflow.capture.TcpdumpCapture;
import io.tandem.netflow.capture.UdpMirrorSource;
import io.tandem.node.NodeAccessException;
import io.tandem.node.TemplateSource;

/**
 * The agent's view of the NetFlow this node receives: tcpdump on the flow input ports (or a mirror
 * port), decoded into a template cache that is saved in the state dir and reloaded at start.
 */
final class TemplateCapture implements TemplateSource, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TemplateCapture.class);

    private final String source;
    private final TemplateCache cache = new TemplateCache();
    private final TemplateCacheStore store;
    private final Clock clock;
    private final ScheduledExecutorService saver;
    private TcpdumpCapture tcpdump;
    private UdpMirrorSource mirror;

    private TemplateCapture(String source, Path stateDir, Clock clock) {
        this.source = source;
        this.store = new TemplateCacheStore(stateDir.resolve("templates"));
        this.clock = clock;
        this.saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "template-cache-save");
            thread.setDaemon(true);
            return thread;
        });
    }

    static TemplateCapture start(AgentConfig config, Path stateDir, Clock clock) {
        AgentConfig.Capture settings = config.capture();
        TemplateCapture capture = new TemplateCapture(settings.source(), stateDir, clock);
        capture.restore();
        FlowIngest ingest = new FlowIngest(capture.cache);
        switch (settings.source()) {
            case "tcpdump" -> {
                Path tcpdumpPath = config.tools().paths().get("tcpdump");
                capture.tcpdump = new TcpdumpCapture(TcpdumpCapture.Config.of(config.nfo().flowInputPorts())
                        .withTcpdumpPath(tcpdumpPath == null ? "tcpdump" : tcpdumpPath.toString())
                        .withSudo(config.tools().sudo()), ingest);
                capture.tcpdump.start();
            }
            case "mirror" -> {
                capture.mirror = new UdpMirrorSource(new InetSocketAddress(settings.mirrorAddress(), settings.mirrorPort()), ingest, clock);
                try {
                    capture.mirror.start();
                } catch (IOException e) {
                    log.warn("Cannot listen for mirrored NetFlow on {}:{}: {}", settings.mirrorAddress(), settings.mirrorPort(), e.getMessage());
                }
            }
            default -> {
                // none: the cache stays as last saved
            }
        }
        long every = settings.saveInterval().toMillis();
        capture.saver.scheduleAtFixedRate(capture::save, every, every, TimeUnit.MILLISECONDS);
        return capture;
    }

    @Override
    public TemplateSnapshot read() throws NodeAccessException {
        if (source.equals("none")) {
            return null;
        }
        if (tcpdump != null) {
            TcpdumpCapture.Status status = tcpdump.status();
            switch (status.state()) {
                case MISSING -> throw new NodeAccessException.ToolMissing("tcpdump is not installed (or not at the configured path): "
                        + status.lastError(), null);
                case NOT_PERMITTED -> throw new NodeAccessException.PermissionDenied("tcpdump may not capture: " + status.lastError()
                        + " (run the agent as root, give tcpdump CAP_NET_RAW, or set tools.sudo)", null);
                default -> {
                    // running or restarting: the cache is what it is
                }
            }
        }
        return cache.snapshot(clock.millis());
    }

    private void restore() {
        TemplateCacheStore.LoadResult loaded = store.load();
        if (loaded instanceof TemplateCacheStore.LoadResult.Corrupt corrupt) {
            log.warn("The saved template cache {} is unreadable ({}); starting empty", corrupt.file(), corrupt.reason());
        }
        cache.restore(loaded.snapshot());
    }

    private void save() {
        try {
            store.save(cache.snapshot(clock.millis()));
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot save the template cache: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        saver.shutdownNow();
        if (tcpdump != null) {
            tcpdump.close();
        }
        if (mirror != null) {
            mirror.close();
        }
        save();
    }
}
