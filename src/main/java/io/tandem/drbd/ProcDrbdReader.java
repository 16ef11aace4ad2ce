package io.tandem.drbd;

import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads DRBD 8.x {@code /proc/drbd}. Each device line ({@code 1: cs:SyncSource ro:Primary/Secondary
 * ds:UpToDate/Inconsistent C r-----}) becomes a resource named by its minor, with one unnamed peer; the
 * {@code sync'ed:} and {@code finish:} lines under it give resync progress. DRBD 9 keeps only the version here, which
 * reads as no resources.
 */
final class ProcDrbdReader {

    private static final String FORMAT = "/proc/drbd";
    /** 8.4 does not name peers; every device has exactly one. */
    static final String PEER = "peer";

    private static final Pattern DEVICE = Pattern.compile(
            "^\\s*(\\d{1,9}): cs:(\\S+)(?: ro:(\\S+?)/(\\S+))?(?: ds:(\\S+?)/(\\S+))?.*$");
    private static final Pattern OUT_OF_SYNC = Pattern.compile("\\boos:(\\d+)");
    private static final Pattern PROGRESS = Pattern.compile(
            "(?:sync'ed|verified):\\s*([\\d.]+)%\\s*\\((\\d+)/(\\d+)\\)([KM])");
    private static final Pattern FINISH = Pattern.compile("finish:\\s*(\\d{1,6}):(\\d{1,2}):(\\d{1,2})");
    private static final List<String> HEADERS = List.of("version:", "GIT-hash:", "srcversion:");

    private final StatusBuilder status = new StatusBuilder();
    private StatusBuilder.PeerDeviceBuilder peerDevice;
    private boolean recognised;

    private ProcDrbdReader() {
    }

    static DrbdStatus read(String text) throws DrbdParseException {
        ProcDrbdReader reader = new ProcDrbdReader();
        TextLines.readLines(text, FORMAT, reader::line);
        if (!reader.recognised) {
            throw new DrbdParseException(FORMAT + ": neither a version line nor a device line found");
        }
        return reader.status.build();
    }

    private void line(String line) throws DrbdParseException {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return;
        }
        if (HEADERS.stream().anyMatch(trimmed::startsWith)) {
            recognised = true;
            return;
        }
        Matcher device = DEVICE.matcher(line);
        if (device.matches()) {
            recognised = true;
            device(device);
        } else if (Character.isWhitespace(line.charAt(0))) {
            details(trimmed);
        } else {
            throw new DrbdParseException("unexpected line '" + trimmed + "'");
        }
    }

    /**
     * 8.4's {@code cs:} holds either a connection state or, once connected, a replication state
     * ({@code SyncSource}); both are split apart so 8.4 and 9 answer the same questions.
     */
    private void device(Matcher m) throws DrbdParseException {
        String minor = m.group(1);
        String cs = m.group(2);
        peerDevice = null;
        if (cs.equals("Unconfigured")) {
            return;
        }
        StatusBuilder.ResourceBuilder resource = status.resource(minor);
        resource.set("role", orUnknown(m.group(3)));
        StatusBuilder.DeviceBuilder device = resource.device(0);
        device.set("minor", minor);
        device.set("disk", orUnknown(m.group(5)));
        StatusBuilder.ConnectionBuilder connection = resource.connection(PEER);
        connection.set("role", orUnknown(m.group(4)));
        peerDevice = connection.peerDevice(0);
        peerDevice.set("peer-disk", orUnknown(m.group(6)));
        ReplicationState replication = ReplicationState.of(cs);
        if (replication == ReplicationState.UNKNOWN) {
            connection.setState(ConnectionState.of(cs));
            peerDevice.setReplication(ReplicationState.OFF);
        } else {
            connection.setState(ConnectionState.CONNECTED);
            peerDevice.setReplication(replication);
        }
    }

    private void details(String trimmed) throws DrbdParseException {
        if (peerDevice == null) {
            return; // statistics of an unconfigured device, or 8.3's act_log/resync cache lines
        }
        Matcher oos = OUT_OF_SYNC.matcher(trimmed);
        if (oos.find()) {
            peerDevice.set("out-of-sync", oos.group(1));
        }
        Matcher progress = PROGRESS.matcher(trimmed);
        if (progress.find()) {
            long unit = progress.group(4).equals("M") ? 1024 : 1;
            peerDevice.setResync(StatusBuilder.decimal("sync'ed", progress.group(1)),
                    StatusBuilder.number("total", progress.group(3)) * unit, OptionalLong.empty());
        }
        Matcher finish = FINISH.matcher(trimmed);
        if (finish.find()) {
            long seconds = Long.parseLong(finish.group(1)) * 3600 + Long.parseLong(finish.group(2)) * 60
                    + Long.parseLong(finish.group(3));
            peerDevice.set("eta", Long.toString(seconds));
        }
    }

    private static String orUnknown(String value) {
        return value == null ? "Unknown" : value;
    }
}
