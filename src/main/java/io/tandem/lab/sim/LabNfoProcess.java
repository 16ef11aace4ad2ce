package io.tandem.lab.sim;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import io.tandem.lab.nfo.LabNfo;
import io.tandem.lab.nfo.LabNfoConfig;
import io.tandem.lab.nfo.NfoConfiguration;
import io.tandem.lab.nfo.OutputGateSim;
import io.tandem.node.GateDestination;

/**
 * An {@link NfoProcess} backed by a real in-process {@link LabNfo}: killing it really stops it receiving. The
 * first start may bind port 0; every restart binds the port it got then, as NFO keeps its configured port.
 */
public final class LabNfoProcess implements NfoProcess {

    private LabNfoConfig config;
    private LabNfo nfo;
    private byte[] originalServerCfg;
    private boolean configChanged;

    public LabNfoProcess(LabNfoConfig config) {
        this.config = config;
    }

    @Override
    public synchronized void start() throws IOException {
        if (running()) {
            return;
        }
        nfo = LabNfo.start(config);
        config = config.withListen(nfo.listenAddress());
    }

    @Override
    public synchronized void stop() {
        if (nfo != null) {
            nfo.stop();
        }
    }

    @Override
    public synchronized void kill() {
        if (nfo != null) {
            nfo.kill();
        }
    }

    @Override
    public synchronized boolean running() {
        return nfo != null && nfo.running();
    }

    /** The running (or last) node, for its status and templates. */
    public synchronized LabNfo current() {
        return nfo;
    }

    @Override
    public OutputGateSim gate() {
        return config.gate();
    }

    @Override
    public GateDestination outputDestination() {
        return config.output().gateDestination();
    }

    @Override
    public synchronized InetSocketAddress flowInput() {
        return config.listen();
    }

    @Override
    public synchronized void forgetTemplates() throws IOException {
        if (running()) {
            nfo.forgetTemplates();
        } else {
            Files.deleteIfExists(config.home().resolve(LabNfo.TEMPLATE_DIR)
                    .resolve(io.tandem.netflow.TemplateCacheStore.FILE_NAME));
        }
    }

    @Override
    public synchronized void changeConfig() throws IOException {
        Path cfg = serverCfg();
        if (!configChanged) {
            originalServerCfg = Files.exists(cfg) ? Files.readAllBytes(cfg) : null;
            configChanged = true;
        }
        Files.createDirectories(cfg.getParent());
        String before = Files.exists(cfg) ? Files.readString(cfg) : "";
        Files.writeString(cfg, before + "# changed in the lab at " + config.clock().instant() + "\n");
    }

    @Override
    public synchronized void restoreConfig() throws IOException {
        if (!configChanged) {
            return;
        }
        if (originalServerCfg == null) {
            Files.deleteIfExists(serverCfg());
        } else {
            Files.write(serverCfg(), originalServerCfg);
        }
        configChanged = false;
    }

    private Path serverCfg() {
        return NfoConfiguration.directory(config.home()).resolve(NfoConfiguration.SERVER_CFG);
    }
}
