package io.tandem.drbd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Mutable state shared by every DRBD reader. Each object takes {@code key:value} pairs under any of the names the
 * formats use for the same fact ({@code disk} / {@code disk-state}, {@code done} / {@code percent-resync-done}),
 * so the readers differ only in how they find objects, never in what a key means. Unknown keys are ignored:
 * DRBD adds statistics with every release.
 */
final class StatusBuilder {

    private final Map<String, ResourceBuilder> resources = new LinkedHashMap<>();

    ResourceBuilder resource(String name) {
        return resources.computeIfAbsent(name, ResourceBuilder::new);
    }

    void removeResource(String name) {
        resources.remove(name);
    }

    Optional<ResourceBuilder> existing(String name) {
        return Optional.ofNullable(resources.get(name));
    }

    DrbdStatus build() throws DrbdParseException {
        List<DrbdResource> built = new ArrayList<>();
        for (ResourceBuilder r : resources.values()) {
            built.add(r.build());
        }
        return new DrbdStatus(built);
    }

    /** An object that accepts {@code key:value} pairs. */
    abstract static class Part {
        abstract void set(String key, String value) throws DrbdParseException;
    }

    static final class ResourceBuilder extends Part {
        private final String name;
        private DrbdRole role = DrbdRole.UNKNOWN;
        private boolean suspended;
        private String simulatedBy;
        private final Map<Integer, DeviceBuilder> devices = new LinkedHashMap<>();
        private final Map<String, ConnectionBuilder> connections = new LinkedHashMap<>();

        ResourceBuilder(String name) {
            this.name = name;
        }

        @Override
        void set(String key, String value) {
            switch (key) {
                case "role" -> role = DrbdRole.of(value);
                // "no", or the reason for suspension: "user", "no-data", "fencing", "quorum"
                case "suspended" -> suspended = !isNo(value);
                // not DRBD's: Tandem's demo and lab stand-ins say so, for the UI to tell operators
                case DrbdResource.SIMULATED_KEY -> simulatedBy = value.length() > 200 ? value.substring(0, 200) : value;
                default -> {
                }
            }
        }

        DeviceBuilder device(int volume) {
            return devices.computeIfAbsent(volume, DeviceBuilder::new);
        }

        void removeDevice(int volume) {
            devices.remove(volume);
        }

        ConnectionBuilder connection(String key) {
            return connections.computeIfAbsent(key, ConnectionBuilder::new);
        }

        void removeConnection(String key) {
            connections.remove(key);
        }

        DrbdResource build() throws DrbdParseException {
            List<DrbdDevice> builtDevices = new ArrayList<>();
            for (DeviceBuilder d : devices.values()) {
                builtDevices.add(d.build());
            }
            List<DrbdConnection> builtConnections = new ArrayList<>();
            for (ConnectionBuilder c : connections.values()) {
                builtConnections.add(c.build());
            }
            return new DrbdResource(name, role, suspended, builtDevices, builtConnections,
                    java.util.Optional.ofNullable(simulatedBy).filter(text -> !text.isBlank()));
        }
    }

    static final class DeviceBuilder extends Part {
        private final int volume;
        private int minor = -1;
        private DiskState disk = DiskState.UNKNOWN;
        private OptionalLong size = OptionalLong.empty();
        private Optional<Boolean> quorum = Optional.empty();

        DeviceBuilder(int volume) {
            this.volume = volume;
        }

        @Override
        void set(String key, String value) throws DrbdParseException {
            switch (key) {
                case "minor" -> minor = (int) number(key, value);
                case "disk", "disk-state" -> disk = DiskState.of(value);
                case "size" -> size = OptionalLong.of(number(key, value));
                case "quorum" -> quorum = Optional.of(!isNo(value));
                default -> {
                }
            }
        }

        DrbdDevice build() {
            return new DrbdDevice(volume, minor, disk, size, quorum);
        }
    }

    static final class ConnectionBuilder extends Part {
        private String peerName;
        private OptionalInt peerNodeId = OptionalInt.empty();
        private ConnectionState state = ConnectionState.UNKNOWN;
        private DrbdRole peerRole = DrbdRole.UNKNOWN;
        private boolean congested;
        private boolean splitBrainReported;
        private final Map<Integer, PeerDeviceBuilder> peerDevices = new LinkedHashMap<>();

        ConnectionBuilder(String key) {
            this.peerName = key;
        }

        @Override
        void set(String key, String value) throws DrbdParseException {
            switch (key) {
                case "name", "conn-name" -> peerName = value;
                case "peer-node-id", "node-id" -> peerNodeId = OptionalInt.of((int) number(key, value));
                case "connection", "connection-state" -> setState(ConnectionState.of(value));
                case "role", "peer-role" -> peerRole = DrbdRole.of(value);
                case "congested" -> congested = !isNo(value);
                default -> {
                }
            }
        }

        void setState(ConnectionState newState) {
            state = newState;
            if (newState == ConnectionState.CONNECTED) {
                splitBrainReported = false; // resolved: DRBD only reconnects once one side's data was discarded
            }
        }

        void reportSplitBrain() {
            splitBrainReported = true;
        }

        PeerDeviceBuilder peerDevice(int volume) {
            return peerDevices.computeIfAbsent(volume, PeerDeviceBuilder::new);
        }

        boolean hasPeerDevices() {
            return !peerDevices.isEmpty();
        }

        void removePeerDevice(int volume) {
            peerDevices.remove(volume);
        }

        DrbdConnection build() {
            return new DrbdConnection(peerName, peerNodeId, state, peerRole, congested, splitBrainReported,
                    peerDevices.values().stream().map(PeerDeviceBuilder::build).toList());
        }
    }

    static final class PeerDeviceBuilder extends Part {
        private final int volume;
        private ReplicationState replication = ReplicationState.UNKNOWN;
        private DiskState peerDisk = DiskState.UNKNOWN;
        private OptionalLong outOfSync = OptionalLong.empty();
        private OptionalDouble percentInSync = OptionalDouble.empty();
        private OptionalDouble done = OptionalDouble.empty();
        private OptionalLong total = OptionalLong.empty();
        private OptionalLong eta = OptionalLong.empty();

        PeerDeviceBuilder(int volume) {
            this.volume = volume;
        }

        @Override
        void set(String key, String value) throws DrbdParseException {
            switch (key) {
                case "replication", "replication-state" -> replication = ReplicationState.of(value);
                // the status text calls the peer's disk "disk" inside a peer block
                case "peer-disk", "peer-disk-state", "disk" -> peerDisk = DiskState.of(value);
                case "out-of-sync" -> outOfSync = OptionalLong.of(number(key, value));
                case "percent-in-sync" -> percentInSync = OptionalDouble.of(decimal(key, value));
                case "done", "percent-resync-done" -> done = OptionalDouble.of(decimal(key, value));
                case "rs-total" -> total = OptionalLong.of(number(key, value));
                case "eta", "estimated-seconds-to-finish" -> eta = OptionalLong.of(number(key, value));
                default -> {
                }
            }
        }

        void setReplication(ReplicationState state) {
            replication = state;
        }

        void setResync(double percentDone, long totalKib, OptionalLong etaSeconds) {
            done = OptionalDouble.of(percentDone);
            total = OptionalLong.of(totalKib);
            eta = etaSeconds;
        }

        /** Progress only means something while a resync runs; DRBD leaves stale "done" values behind otherwise. */
        DrbdPeerDevice build() {
            Optional<ResyncProgress> resync = replication.isResync() && done.isPresent()
                    ? Optional.of(new ResyncProgress(done.getAsDouble(), total, eta))
                    : Optional.empty();
            return new DrbdPeerDevice(volume, replication, peerDisk, outOfSync, percentInSync, resync);
        }
    }

    static boolean isNo(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.equals("no") || v.equals("false") || v.equals("0");
    }

    static long number(String key, String value) throws DrbdParseException {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            // JSON writes some counters as 100.00-style decimals
            return Math.round(decimal(key, value));
        }
    }

    static double decimal(String key, String value) throws DrbdParseException {
        try {
            double parsed = Double.parseDouble(value.trim());
            if (Double.isNaN(parsed) || Double.isInfinite(parsed)) {
                throw new NumberFormatException("not finite");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new DrbdParseException(key + ":" + value + " is not a number");
        }
    }

    static int volume(String value) throws DrbdParseException {
        long volume = number("volume", value);
        if (volume < 0 || volume > 65535) {
            throw new DrbdParseException("volume:" + value + " is out of range");
        }
        return (int) volume;
    }
}
