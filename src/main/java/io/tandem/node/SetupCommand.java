package io.tandem.node;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The closed set of commands setup's apply, undo and dismantle may run on a node: each a typed request whose every
 * value is checked here, on the node's side of the wire too (the records validate as they are built, also when the
 * agent reads them from JSON), and turned into an argument vector by {@link SetupSteps}, never into a shell string.
 * There is no free command: what is not one of these cannot be asked for.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SetupCommand.HostAuth.class, name = "host-auth"),
        @JsonSubTypes.Type(value = SetupCommand.HostDeauth.class, name = "host-deauth"),
        @JsonSubTypes.Type(value = SetupCommand.ClusterSetup.class, name = "cluster-setup"),
        @JsonSubTypes.Type(value = SetupCommand.ClusterAll.class, name = "cluster-all"),
        @JsonSubTypes.Type(value = SetupCommand.Pcs.class, name = "pcs"),
        @JsonSubTypes.Type(value = SetupCommand.CibPush.class, name = "cib-push"),
        @JsonSubTypes.Type(value = SetupCommand.NfoUnit.class, name = "nfo-unit"),
        @JsonSubTypes.Type(value = SetupCommand.GateAgentFile.class, name = "gate-agent"),
        @JsonSubTypes.Type(value = SetupCommand.Gate.class, name = "gate"),
        @JsonSubTypes.Type(value = SetupCommand.DrbdFile.class, name = "drbd-file"),
        @JsonSubTypes.Type(value = SetupCommand.Drbd.class, name = "drbd"),
        @JsonSubTypes.Type(value = SetupCommand.Mkfs.class, name = "mkfs"),
        @JsonSubTypes.Type(value = SetupCommand.MountPoint.class, name = "mount-point")})
public sealed interface SetupCommand {

    /** A Pacemaker/corosync node name: also safe as one argument and in a file name. */
    Pattern NODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    /** An IPv4/IPv6 address or a DNS name, as corosync's {@code addr=} takes it. */
    Pattern ADDRESS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:-]{0,252}");
    Pattern CLUSTER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");
    Pattern DRBD_RESOURCE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    Pattern DEVICE = Pattern.compile("/dev/[A-Za-z0-9_][A-Za-z0-9_./-]{0,199}");
    Pattern DIRECTORY = Pattern.compile("/[A-Za-z0-9_][A-Za-z0-9_./-]{0,199}");

    /** The words of what this runs, as the journal and the node's audit may show them: never a secret. */
    String describe();

    /** One node of the pair with the address corosync and pcsd reach it at. */
    record Host(String name, String address) {
        public Host {
            require(name, NODE, "node name");
            require(address, ADDRESS, "node address");
        }
    }

    /**
     * {@code pcs host auth}: the only command that carries the hacluster password. It is held in memory for this one
     * call: {@link #toString()} and {@link #describe()} leave it out, and the argument vector shown anywhere has it
     * replaced (see {@link SetupSteps#shown}).
     */
    record HostAuth(List<Host> hosts, String password) implements SetupCommand {
        public HostAuth {
            hosts = pair(hosts);
            if (password == null || password.isEmpty() || password.length() > 512
                    || password.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("the hacluster password is missing or has control characters");
            }
        }

        @Override
        public String describe() {
            return "pcs host auth " + words(hosts) + " -u hacluster -p <hacluster password>";
        }

        @Override
        public String toString() {
            return "HostAuth[hosts=" + hosts + ", password=(given)]";
        }
    }

    record HostDeauth(List<String> nodes) implements SetupCommand {
        public HostDeauth {
            nodes = List.copyOf(nodes);
            if (nodes.size() != 2) {
                throw new IllegalArgumentException("two node names are required");
            }
            nodes.forEach(n -> require(n, NODE, "node name"));
        }

        @Override
        public String describe() {
            return "pcs host deauth " + String.join(" ", nodes);
        }
    }

    /** {@code pcs cluster setup NAME ... --start --wait}: writes corosync.conf and the authkeys through pcsd, starts both. */
    record ClusterSetup(String name, List<Host> hosts, int tokenMs) implements SetupCommand {
        public ClusterSetup {
            require(name, CLUSTER, "cluster name");
            hosts = pair(hosts);
            if (tokenMs < 100 || tokenMs > 60_000) {
                throw new IllegalArgumentException("totem token must be 100..60000 ms: " + tokenMs);
            }
        }

        @Override
        public String describe() {
            return "pcs cluster setup " + name + " " + words(hosts) + " transport knet totem token=" + tokenMs + " --start --wait=120";
        }
    }

    /** {@code pcs cluster start|stop|destroy --all}: the whole cluster, from this node. */
    record ClusterAll(Verb verb) implements SetupCommand {
        public enum Verb { START, STOP, DESTROY }

        public ClusterAll {
            java.util.Objects.requireNonNull(verb, "verb");
        }

        @Override
        public String describe() {
            return "pcs cluster " + verb.name().toLowerCase(java.util.Locale.ROOT) + " --all" + (verb == Verb.START ? " --wait=120" : "");
        }
    }

    /** One pcs command on the live CIB: the CIB edits of {@link CibChanges} and their undoing. */
    record Pcs(List<String> args) implements SetupCommand {
        public Pcs {
            args = List.copyOf(args);
            CibChanges.requireLive(args);
        }

        @Override
        public String describe() {
            return "pcs " + String.join(" ", args);
        }
    }

    /**
     * The resources and constraints built with {@code pcs -f} on a copy of the CIB and pushed in one transaction
     * ({@code pcs cluster cib-push --config}), so Pacemaker never starts a resource before its constraints exist.
     */
    record CibPush(List<List<String>> changes) implements SetupCommand {
        public CibPush {
            changes = changes.stream().map(List::copyOf).toList();
            CibChanges.requireAll(changes);
        }

        @Override
        public String describe() {
            return "pcs cluster cib FILE; " + changes.size() + " × pcs -f FILE ...; pcs cluster cib-push FILE --config";
        }
    }

    /** NFO's own service unit, as the node's configuration names it (never a unit from the request). */
    record NfoUnit(Action action) implements SetupCommand {
        public enum Action { ENABLE, DISABLE, START, STOP }

        public NfoUnit {
            java.util.Objects.requireNonNull(action, "action");
        }

        @Override
        public String describe() {
            return "systemctl " + action.name().toLowerCase(java.util.Locale.ROOT) + " <NFO's unit>";
        }
    }

    /** Installs ({@code install=true}) or removes this console's gate agent ({@link GateAgent#script()}). */
    record GateAgentFile(boolean install) implements SetupCommand {
        @Override
        public String describe() {
            return install ? "install -D -m 0755 <tandem-gate " + GateAgent.version() + "> " + GateAgent.INSTALLED_PATH
                    : "rm -f " + GateAgent.INSTALLED_PATH;
        }
    }

    /**
     * The output gate set by Tandem, as the gate agent's start (open) or stop (blocked) leaves it: before the resources
     * exist, so Pacemaker's first probe of the gate finds a defined state on each node (an absent table is an error,
     * and the recovery would block the active's output for a moment).
     */
    record Gate(GateChange change) implements SetupCommand {
        public Gate {
            java.util.Objects.requireNonNull(change, "change");
        }

        @Override
        public String describe() {
            return "nft: " + change.verb() + " the output gate";
        }
    }

    /** Writes ({@code text} non-null) or removes {@code /etc/drbd.d/RESOURCE.res}; a written file is parsed by drbdadm. */
    record DrbdFile(String resource, String text) implements SetupCommand {
        public DrbdFile {
            require(resource, DRBD_RESOURCE, "DRBD resource");
            if (text != null && (text.length() > 16 * 1024 || text.chars().anyMatch(c -> c == 0))) {
                throw new IllegalArgumentException("the DRBD resource file is too large or has NUL characters");
            }
        }

        public String path() {
            return "/etc/drbd.d/" + resource + ".res";
        }

        @Override
        public String describe() {
            return text == null ? "rm -f " + path() : "install -m 0644 <resource file> " + path() + "; drbdadm dump " + resource;
        }
    }

    /** The drbdadm verbs setup uses on the resource it wrote. */
    record Drbd(Verb verb, String resource) implements SetupCommand {
        public enum Verb {
            CREATE_MD("create-md", "--force"), UP("up"), DOWN("down"), PRIMARY_FORCE("primary", "--force"),
            SECONDARY("secondary"), WIPE_MD("wipe-md", "--force");

            final List<String> words;

            Verb(String... words) {
                this.words = List.of(words);
            }
        }

        public Drbd {
            java.util.Objects.requireNonNull(verb, "verb");
            require(resource, DRBD_RESOURCE, "DRBD resource");
        }

        @Override
        public String describe() {
            return "drbdadm " + String.join(" ", verb.words) + " " + resource;
        }
    }

    /**
     * A new ext4 file system on {@code device} (DRBD's device): destroys what the backing device held, so it runs only
     * with the phrase the user typed, {@code format BACKING on NODE}, which the node checks again.
     */
    record Mkfs(String device, String backingDevice, String confirmation) implements SetupCommand {
        public Mkfs {
            require(device, DEVICE, "device");
            require(backingDevice, DEVICE, "device");
            if (confirmation == null || !confirmation.startsWith("format " + backingDevice + " on ")) {
                throw new IllegalArgumentException("formatting " + backingDevice + " needs the typed confirmation 'format "
                        + backingDevice + " on <node>'");
            }
        }

        @Override
        public String describe() {
            return "mkfs.ext4 -F -L nfo " + device;
        }
    }

    /** Creates ({@code create=true}, {@code mkdir -p}) or removes an empty mount point ({@code rmdir}). */
    record MountPoint(String path, boolean create) implements SetupCommand {
        /** Never a system directory, whatever the form says. */
        private static final Set<String> SYSTEM = Set.of("/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64", "/opt",
                "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/var", "/var/lib");

        public MountPoint {
            require(path, DIRECTORY, "mount point");
            if (path.contains("/../") || path.endsWith("/..") || path.contains("/./") || path.contains("//")
                    || SYSTEM.contains(path.replaceAll("/+$", ""))) {
                throw new IllegalArgumentException("not a mount point setup may create or remove: " + path);
            }
        }

        @Override
        public String describe() {
            return (create ? "mkdir -p " : "rmdir ") + path;
        }
    }

    private static List<Host> pair(List<Host> hosts) {
        if (hosts == null || hosts.size() != 2 || hosts.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("the two nodes of the pair are required");
        }
        return List.copyOf(hosts);
    }

    private static String words(List<Host> hosts) {
        return hosts.stream().map(h -> h.name() + " addr=" + h.address()).collect(java.util.stream.Collectors.joining(" "));
    }

    private static void require(String value, Pattern pattern, String what) {
        // a path's ".." would leave the directory the pattern names (/dev/x/../../etc/passwd)
        if (value == null || !pattern.matcher(value).matches() || value.startsWith("/") && value.contains("..")) {
            throw new IllegalArgumentException("not a " + what + " setup accepts: " + value);
        }
    }
}
