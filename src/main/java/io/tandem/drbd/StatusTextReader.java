package io.tandem.drbd;

import java.util.List;

/**
 * Reads {@code drbdadm status} and {@code drbdsetup status [--verbose] [--statistics]}. The format nests by
 * indentation: a resource at column 0, its volumes and peer connections at 2, a peer's volumes at 4. Deeper lines
 * continue the object above them ({@code --verbose} output and documentation listings wrap long lines).
 */
final class StatusTextReader {

    private static final String FORMAT = "drbdadm status";

    private enum Context { RESOURCE, DEVICE, CONNECTION, PEER_DEVICE }

    private final StatusBuilder status = new StatusBuilder();
    private StatusBuilder.ResourceBuilder resource;
    private StatusBuilder.ConnectionBuilder connection;
    private StatusBuilder.Part current;
    private Context context;

    private StatusTextReader() {
    }

    static DrbdStatus read(String text) throws DrbdParseException {
        StatusTextReader reader = new StatusTextReader();
        TextLines.readLines(text, FORMAT, reader::line);
        if (reader.resource == null) {
            throw new DrbdParseException(FORMAT + ": no resource found");
        }
        return reader.status.build();
    }

    private void line(String line) throws DrbdParseException {
        List<String> tokens = TextLines.tokens(line);
        if (tokens.isEmpty()) {
            return;
        }
        int indent = TextLines.indent(line);
        if (indent == 0) {
            startResource(tokens);
        } else if (resource == null) {
            throw new DrbdParseException("indented line before any resource: '" + line.strip() + "'");
        } else if (indent <= 2) {
            startDeviceOrConnection(tokens);
        } else if (indent <= 4 && startsPeerDevice(tokens)) {
            startPeerDevice(tokens);
        } else {
            TextLines.applyAll(current, tokens, 0);
        }
    }

    /** {@code <name> role:<role> ...}; requiring the role keeps single-word outputs (cstate, dstate) out. */
    private void startResource(List<String> tokens) throws DrbdParseException {
        if (TextLines.pair(tokens.get(0)) != null || TextLines.valueOf(tokens, "role") == null) {
            throw new DrbdParseException("expected '<resource> role:<role>', got '" + String.join(" ", tokens) + "'");
        }
        resource = status.resource(tokens.get(0));
        connection = null;
        TextLines.applyAll(resource, tokens, 1);
        current = resource;
        context = Context.RESOURCE;
    }

    /** A local volume starts with a key ({@code volume:0} or, single-volume, {@code disk:...}); a peer with its name. */
    private void startDeviceOrConnection(List<String> tokens) throws DrbdParseException {
        if (TextLines.pair(tokens.get(0)) != null) {
            String volume = TextLines.valueOf(tokens, "volume");
            StatusBuilder.DeviceBuilder device = resource.device(volume == null ? 0 : StatusBuilder.volume(volume));
            TextLines.applyAll(device, tokens, 0);
            current = device;
            context = Context.DEVICE;
        } else {
            connection = resource.connection(tokens.get(0));
            TextLines.applyAll(connection, tokens, 1);
            current = connection;
            context = Context.CONNECTION;
        }
    }

    private boolean startsPeerDevice(List<String> tokens) {
        boolean inPeer = context == Context.CONNECTION || context == Context.PEER_DEVICE;
        return inPeer && (tokens.get(0).startsWith("volume:") || !connection.hasPeerDevices());
    }

    private void startPeerDevice(List<String> tokens) throws DrbdParseException {
        String volume = TextLines.valueOf(tokens, "volume");
        StatusBuilder.PeerDeviceBuilder peerDevice = connection.peerDevice(
                volume == null ? 0 : StatusBuilder.volume(volume));
        TextLines.applyAll(peerDevice, tokens, 0);
        current = peerDevice;
        context = Context.PEER_DEVICE;
    }
}
