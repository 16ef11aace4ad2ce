package io.tandem.lab.sim;

import java.io.IOException;
import java.net.InetSocketAddress;

import io.tandem.lab.nfo.OutputGateSim;
import io.tandem.node.GateDestination;

/**
 * The NFO process of one simulated node, as the simulated systemd starts and stops it. {@link LabNfoProcess}
 * runs a real in-process {@link io.tandem.lab.nfo.LabNfo}; the demo may provide its own.
 */
public interface NfoProcess {

    void start() throws IOException;

    /** A clean stop (systemctl stop). */
    void stop();

    /** Death by SIGKILL: nothing is saved. */
    void kill();

    boolean running();

    /** The node's firewall gate, consulted by the process before each send. */
    OutputGateSim gate();

    /** Where the process sends its output: what the gate's drop rule names. */
    GateDestination outputDestination();

    /** Where exporters send this node's flows. */
    InetSocketAddress flowInput();

    /** The node loses its templates (in memory and persisted). */
    void forgetTemplates() throws IOException;

    /** Changes a file of the configuration on disk; the running process does not see it. */
    void changeConfig() throws IOException;

    /** Puts the configuration back as it was before {@link #changeConfig()}. */
    void restoreConfig() throws IOException;
}
