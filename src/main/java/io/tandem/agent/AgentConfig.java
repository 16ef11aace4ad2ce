package io.tandem.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The agent's configuration file ({@code agent.yml}), read and validated in full before anything starts.
 * Every key has a default, so a file with only {@code state-dir} works.
 */
public record AgentConfig(Listen listen, Path stateDir, Nfo nfo, Tools tools, Limits limits, Events events, Capture capture) {

    public static final int DEFAULT_PORT = 7443;
    public static final Path DEFAULT_NFO_HOME = Path.of("/opt/flowintegrator");
    public static final List<Integer> DEFAULT_FLOW_INPUT_PORTS = List.of(9555);

    /** A config file is a page of YAML; anything bigger is a mistake or an attack on the parser. */
    private static final int MAX_FILE_BYTES = 256 * 1024;
    private static final Pattern SYSTEMD_UNIT = Pattern.compile("[A-Za-z0-9@_:.\\\\][A-Za-z0-9@_:.\\\\-]{0,254}");
    private static final Pattern HOST_OR_ADDRESS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:%_-]{0,252}");
    private static final Pattern TOOL_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,39}");
    private static final Pattern CAPTURE_SOURCE = Pattern.compile("none|tcpdump|mirror");

    /** Where and on which port the HTTPS listener binds. */
    public record Listen(String address, int port) {
    }

    /**
     * What the agent looks after on this server.
     *
     * @param configInclude globs relative to {@link #home()} naming the files that make up NFO's configuration
     * @param configExclude globs relative to {@link #home()} taken out of the include set (secrets, logs)
     */
    public record Nfo(Path home, String serviceUnit, List<String> configInclude, List<String> configExclude,
                      List<Integer> flowInputPorts) {
    }

    /**
     * The node's own tools, by absolute path so {@code PATH} cannot substitute them.
     *
     * @param sudo run the tools through {@code sudo -n} (the agent as an unprivileged user with a sudoers rule)
     */
    public record Tools(boolean sudo, Map<String, Path> paths) {
    }

    /**
     * @param maxUploadBytes the largest request body accepted (413 above it)
     * @param maxFileReadBytes the largest file the agent will return in one answer
     * @param maxRequestsPerSecond per client address; 0 turns the limit off
     */
    public record Limits(long maxUploadBytes, long maxFileReadBytes, int maxRequestsPerSecond) {
    }

    /**
     * @param heartbeat how often an idle event stream carries a comment, so both ends notice a dead connection
     * @param replayBuffer how many recent events a reconnecting subscriber can resume from
     * @param clientQueue events waiting for one slow subscriber before it is dropped
     * @param maxSubscribers concurrent event streams (each holds a server thread)
     * @param watchInterval how often the node is read for changes to publish; a change reaches the console within
     *                      this plus a read, so it bounds the dashboard's freshness (each read runs the node's tools)
     */
    public record Events(Duration heartbeat, int replayBuffer, int clientQueue, int maxSubscribers,
                         Duration watchInterval) {
    }

    /**
     * Where the agent sees the NetFlow packets NFO receives, to learn the templates this node holds.
     *
     * @param source {@code tcpdump} (capture on the node's flow input ports), {@code mirror} (a packet broker sends
     *               copies to {@code mirrorAddress}:{@code mirrorPort}), or {@code none}
     * @param saveInterval how often the template cache is written to the state dir, so a restart does not forget
     */
    public record Capture(String source, String mirrorAddress, int mirrorPort, Duration saveInterval) {
        public static final Set<String> SOURCES = Set.of("none", "tcpdump", "mirror");
    }

    public AgentConfig withPort(int port) {
        return new AgentConfig(new Listen(listen.address(), port), stateDir, nfo, tools, limits, events, capture);
    }

    /** Reads, parses and validates the file; a problem names the key in one line. */
    public static AgentConfig load(Path file) throws ConfigException {
        return fromYaml(read(file));
    }

    static AgentConfig fromYaml(String yamlText) throws ConfigException {
        Object document;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(20);
            options.setNestingDepthLimit(20);
            options.setCodePointLimit(MAX_FILE_BYTES);
            document = new Yaml(new SafeConstructor(options)).load(yamlText);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ConfigException("", "line " + line + ": not valid YAML (" + firstLine(e.getProblem()) + ")");
        } catch (YAMLException e) {
            throw new ConfigException("", "not valid YAML (" + firstLine(e.getMessage()) + ")");
        }
        if (document == null) {
            throw new ConfigException("", "is empty; it needs at least 'state-dir: /absolute/path'");
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new ConfigException("", "must be a YAML map of 'key: value' lines");
        }
        return read(new ConfigReader(map, ""));
    }

    private static AgentConfig read(ConfigReader root) throws ConfigException {
        ConfigReader listenSection = root.section("listen");
        String address = listenSection.string("address", "0.0.0.0", HOST_OR_ADDRESS, "an IP address or host name");
        checkResolvable(listenSection.key("address"), address);
        Listen listen = new Listen(address, (int) listenSection.number("port", DEFAULT_PORT, 1, 65535));
        listenSection.finish();

        Path stateDir = root.absolutePath("state-dir", null);
        if (stateDir == null) {
            throw new ConfigException("state-dir", "is required (the directory 'agent init --state-dir' created)");
        }

        ConfigReader nfoSection = root.section("nfo");
        Path home = nfoSection.absolutePath("home", DEFAULT_NFO_HOME);
        String unit = nfoSection.string("service-unit", "nfo.service", SYSTEMD_UNIT, "a systemd unit name");
        ConfigReader configSection = nfoSection.section("config");
        List<String> include = configSection.relativeGlobs("include", List.of("server/etc/**", "tomcat/conf/**"));
        if (include.isEmpty()) {
            throw new ConfigException(configSection.key("include"), "must list at least one glob");
        }
        List<String> exclude = configSection.relativeGlobs("exclude",
                List.of("tomcat/conf/.tomcat_keystore", "**/*.log", "**/*.tmp"));
        configSection.finish();
        List<Integer> flowPorts = nfoSection.ports("flow-input-ports", DEFAULT_FLOW_INPUT_PORTS);
        nfoSection.finish();

        ConfigReader toolsSection = root.section("tools");
        boolean sudo = toolsSection.bool("sudo", false);
        Map<String, Path> toolPaths = toolsSection.pathsByName("paths", defaultToolPaths(), TOOL_NAME);
        toolsSection.finish();

        ConfigReader limitsSection = root.section("limits");
        Limits limits = new Limits(
                limitsSection.number("max-upload-bytes", 64L * 1024 * 1024, 1, 1024L * 1024 * 1024),
                limitsSection.number("max-file-read-bytes", 16L * 1024 * 1024, 1, 1024L * 1024 * 1024),
                (int) limitsSection.number("max-requests-per-second", 50, 0, 100_000));
        limitsSection.finish();

        ConfigReader eventsSection = root.section("events");
        Events events = new Events(
                Duration.ofSeconds(eventsSection.number("heartbeat-seconds", 15, 1, 300)),
                (int) eventsSection.number("replay-buffer", 1000, 0, 100_000),
                (int) eventsSection.number("client-queue", 256, 1, 100_000),
                (int) eventsSection.number("max-subscribers", 8, 1, 64),
                Duration.ofMillis(eventsSection.number("watch-millis", 500, 100, 60_000)));
        eventsSection.finish();

        ConfigReader captureSection = root.section("capture");
        String source = captureSection.string("source", "tcpdump", CAPTURE_SOURCE, "one of none, tcpdump, mirror");
        Capture capture = new Capture(source,
                captureSection.string("mirror-address", "127.0.0.1", HOST_OR_ADDRESS, "an IP address"),
                (int) captureSection.number("mirror-port", 9995, 1, 65535),
                Duration.ofSeconds(captureSection.number("save-seconds", 60, 5, 3600)));
        captureSection.finish();

        root.finish();
        return new AgentConfig(listen, stateDir, new Nfo(home, unit, include, exclude, flowPorts),
                new Tools(sudo, toolPaths), limits, events, capture);
    }

    static Map<String, Path> defaultToolPaths() {
        return Map.of(
                "systemctl", Path.of("/usr/bin/systemctl"),
                "nft", Path.of("/usr/sbin/nft"),
                "crm_mon", Path.of("/usr/sbin/crm_mon"),
                "cibadmin", Path.of("/usr/sbin/cibadmin"),
                "pcs", Path.of("/usr/sbin/pcs"),
                "crm_simulate", Path.of("/usr/sbin/crm_simulate"),
                "drbdadm", Path.of("/usr/sbin/drbdadm"),
                "drbdsetup", Path.of("/usr/sbin/drbdsetup"),
                "tcpdump", Path.of("/usr/bin/tcpdump"),
                "sudo", Path.of("/usr/bin/sudo"));
    }

    private static String read(Path file) throws ConfigException {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException("", "is larger than " + MAX_FILE_BYTES + " bytes; is it the right file?");
            }
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "no such file (" + file.toAbsolutePath() + ")");
        } catch (IOException e) {
            throw new ConfigException("", "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    private static void checkResolvable(String key, String address) throws ConfigException {
        try {
            InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new ConfigException(key, "cannot resolve " + ConfigReader.quote(address));
        }
    }

    private static String firstLine(String text) {
        return text == null ? "syntax error" : text.strip().lines().findFirst().orElse("syntax error");
    }
}
