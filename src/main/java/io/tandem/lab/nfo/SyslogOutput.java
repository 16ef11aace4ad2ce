package io.tandem.lab.nfo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Sends syslog lines to the node's output: one datagram per line over UDP, LF-terminated lines over TCP
 * (RFC 6587 non-transparent framing). A TCP connection is opened on demand and, after a failure, retried at most
 * once per {@link #RECONNECT_MILLIS}, so a dead SIEM costs an error count rather than a stalled receiver.
 */
final class SyslogOutput implements AutoCloseable {

    static final long RECONNECT_MILLIS = 500;
    private static final int CONNECT_TIMEOUT_MILLIS = 1000;

    private final LabNfoConfig.Output output;
    private DatagramChannel udp;
    private Socket tcp;
    private OutputStream tcpOut;
    private long nextConnectMillis;

    SyslogOutput(LabNfoConfig.Output output) throws IOException {
        this.output = output;
        if (output.transport() == io.tandem.node.GateDestination.Transport.UDP) {
            udp = DatagramChannel.open();
        }
    }

    /** @throws IOException when the line could not be handed to the network */
    void send(byte[] line, long nowMillis) throws IOException {
        if (udp != null) {
            udp.send(ByteBuffer.wrap(line), output.address());
            return;
        }
        if (tcpOut == null) {
            if (nowMillis < nextConnectMillis) {
                throw new IOException("output connection down; retrying shortly");
            }
            connect(nowMillis);
        }
        try {
            tcpOut.write(line);
            tcpOut.write('\n');
            tcpOut.flush();
        } catch (IOException e) {
            closeTcp();
            nextConnectMillis = nowMillis + RECONNECT_MILLIS;
            throw e;
        }
    }

    private void connect(long nowMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(output.address(), CONNECT_TIMEOUT_MILLIS);
            tcp = socket;
            tcpOut = socket.getOutputStream();
        } catch (IOException e) {
            socket.close();
            nextConnectMillis = nowMillis + RECONNECT_MILLIS;
            throw e;
        }
    }

    private void closeTcp() {
        try {
            if (tcp != null) {
                tcp.close();
            }
        } catch (IOException e) {
            // already broken; nothing left to release
        }
        tcp = null;
        tcpOut = null;
    }

    @Override
    public void close() {
        closeTcp();
        try {
            if (udp != null) {
                udp.close();
            }
        } catch (IOException e) {
            // closing a datagram channel has nothing to flush
        }
    }
}
