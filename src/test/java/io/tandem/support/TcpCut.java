package io.tandem.support;

import java.io.IOException;

import io.tandem.lab.bench.CountingRelay;

/**
 * A real TCP path to a server on loopback that a test can cut: every connection through it is closed at once and new
 * ones are refused, as when a machine is cut off from the network or dies.
 */
public final class TcpCut implements AutoCloseable {

    private final CountingRelay relay;

    public TcpCut(int targetPort) throws IOException {
        this.relay = new CountingRelay(targetPort);
    }

    public int port() {
        return relay.port();
    }

    /** Closes every connection through this path and refuses new ones. */
    public void cut() {
        relay.close();
    }

    @Override
    public void close() {
        relay.close();
    }
}
