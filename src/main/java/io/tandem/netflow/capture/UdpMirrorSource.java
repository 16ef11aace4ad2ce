package io.tandem.netflow.capture;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import io.tandem.netflow.Exporter;

/**
 * Listens on a UDP port where a packet broker (or the lab simulator) sends copies of the exporters'
 * NetFlow. The exporter address is the datagram's source address, as it would be at NFO.
 */
public final class UdpMirrorSource implements AutoCloseable {

    private static final int MAX_KNOWN_EXPORTERS = 4096;

    private final InetSocketAddress bindAddress;
    private final DatagramSink sink;
    private final Clock clock;
    private final Map<InetAddress, Exporter> exporters = new HashMap<>();
    private DatagramChannel channel;
    private Thread receiver;
    private volatile long datagrams;
    private volatile String lastError = "";
    private int localPort;

    public UdpMirrorSource(InetSocketAddress bindAddress, DatagramSink sink, Clock clock) {
        this.bindAddress = bindAddress;
        this.sink = sink;
        this.clock = clock;
    }

    /** Binds the socket (failures surface here) and starts receiving on a daemon thread. */
    public synchronized void start() throws IOException {
        if (channel != null) {
            throw new IllegalStateException("already started");
        }
        channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
        channel.bind(bindAddress);
        localPort = localAddress().getPort();
        receiver = new Thread(this::receive, "udp-mirror-" + localPort);
        receiver.setDaemon(true);
        receiver.start();
    }

    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("socket closed", e);
        }
    }

    public long datagrams() {
        return datagrams;
    }

    public String lastError() {
        return lastError;
    }

    private void receive() {
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        while (channel.isOpen()) {
            try {
                buffer.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
                if (from == null) {
                    continue;
                }
                datagrams++;
                sink.datagram(exporter(from.getAddress()), from.getPort(), localPort, buffer.array(), 0,
                        buffer.position(), clock.millis(), -1);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                lastError = String.valueOf(e.getMessage());
            }
        }
    }

    private Exporter exporter(InetAddress address) {
        Exporter known = exporters.get(address);
        if (known == null) {
            if (exporters.size() >= MAX_KNOWN_EXPORTERS) {
                exporters.clear(); // spoofed sources must not grow this without bound
            }
            known = Exporter.of(address);
            exporters.put(address, known);
        }
        return known;
    }

    @Override
    public synchronized void close() {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            lastError = String.valueOf(e.getMessage());
        }
        try {
            receiver.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
