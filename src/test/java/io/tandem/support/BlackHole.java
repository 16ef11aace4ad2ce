package io.tandem.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.tandem.access.ssh.TestKeys;
import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.NodeSpec;

/**
 * A node address that accepts TCP and never answers: the handshake of TLS or SSH waits for a first byte that never
 * comes, as with a host whose service hangs or a firewall that swallows the traffic. It reads and drops what the
 * client sends, so it knows which connections the client still holds open (a client that gives up closes its end).
 */
public final class BlackHole implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger total = new AtomicInteger();

    private BlackHole(ServerSocket server) {
        this.server = server;
    }

    public static BlackHole open() throws IOException {
        BlackHole hole = new BlackHole(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()));
        Thread acceptor = new Thread(hole::acceptForever, "black-hole-" + hole.port());
        acceptor.setDaemon(true);
        acceptor.start();
        return hole;
    }

    public int port() {
        return server.getLocalPort();
    }

    /**
     * A Hot pair whose two nodes both sit here, reached by {@code access}, each with its own credential (never asked
     * for: the handshake never gets that far), so each node has its own connection as two real nodes would.
     */
    public ClusterSpec pair(AccessKind access) {
        boolean ssh = access == AccessKind.SSH;
        List<NodeSpec> nodes = List.of("silent-a", "silent-b").stream()
                .map(name -> new NodeSpec(name, "127.0.0.1", access, ssh ? "nfo" : null, ssh ? port() : null, ssh ? null : port(),
                        null, null, null, null, null,
                        ssh ? TestKeys.openSsh(TestKeys.ED25519.generate(), null) : "token-" + UUID.randomUUID()))
                .toList();
        return new ClusterSpec("silent-" + access.name().toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8),
                ClusterMode.HOT, null, null, null, null, null, nodes);
    }

    /** Connections accepted whose client has not closed them yet: calls still waiting on this "node". */
    public int openConnections() {
        return open.get();
    }

    public int acceptedConnections() {
        return total.get();
    }

    /** Waits (polling) until at least {@code count} connections are open at once. */
    public void awaitOpen(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (open.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + open.get() + " of " + count + " connections open on the black hole after "
                        + timeout.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    private void acceptForever() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.add(socket);
                open.incrementAndGet();
                total.incrementAndGet();
                Thread drain = new Thread(() -> drainUntilClosed(socket), "black-hole-conn");
                drain.setDaemon(true);
                drain.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void drainUntilClosed(Socket socket) {
        byte[] buffer = new byte[4096];
        try (InputStream in = socket.getInputStream()) {
            while (in.read(buffer) >= 0) {
                // never answer
            }
        } catch (IOException e) {
            // the client reset the connection or we closed: either way it is no longer waiting here
        } finally {
            open.decrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }
}
