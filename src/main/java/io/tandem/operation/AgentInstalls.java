package io.tandem.operation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.tandem.access.AgentHostCommands;
import io.tandem.access.HostCommand;
import io.tandem.access.HostProbe;
import io.tandem.access.NodeConnections;
import io.tandem.access.NodeTarget;
import io.tandem.agent.AgentHealth;
import io.tandem.agent.AgentPackage;
import io.tandem.agent.wire.HealthReport;
import io.tandem.console.Rejected;
import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterView;
import io.tandem.node.CommandResult;
import io.tandem.node.NodeAccessException;
import io.tandem.node.config.Sha256;
import io.tandem.operation.OperationPlans.Plan;
import io.tandem.operation.Preflight.Check;
import io.tandem.operation.Preflight.Verdict;

/**
 * Install, upgrade and remove a node's agent over its SSH access (issue 15): the console's own agent jar, the unit,
 * sudoers drop-in and setup script the packages ship ({@link AgentPackage}), {@code agent init} with the node's
 * registered settings, and the token and certificate taken over the authenticated SSH channel and pinned, so no
 * person compares a fingerprint. Every step that puts something in place has its undo in a clean-up step, which
 * runs like {@code finally} and takes away what an unfinished install left (a failed clean-up offers Remove agent).
 */
@Component
class AgentInstalls {

    /** Room for the agent's state (certificate, audit log, template cache) beyond the jar. */
    static final long STATE_ROOM_KIB = 64 * 1024;
    static final int MIN_JAVA = 17;

    private final NodeConnections connections;
    private final OperationProperties properties;
    private final Clock clock;
    private final Supplier<Optional<Path>> agentJar;

    @Autowired
    AgentInstalls(NodeConnections connections, OperationProperties properties, Clock clock) {
        this(connections, properties, clock, AgentPackage::agentJar);
    }

    AgentInstalls(NodeConnections connections, OperationProperties properties, Clock clock, Supplier<Optional<Path>> agentJar) {
        this.connections = connections;
        this.properties = properties;
        this.clock = clock;
        this.agentJar = agentJar;
    }

    Plan plan(ClusterView cluster, OperationKind kind, String nodeName) {
        ClusterView.NodeView node = cluster.nodes().stream().filter(n -> n.name().equals(nodeName)).findFirst()
                .orElseThrow(() -> Rejected.invalid("unknown-node", "node", "'" + nodeName + "' is not a node of " + cluster.name() + "."));
        List<Check> checks = new ArrayList<>();
        Optional<Path> jar = kind == OperationKind.REMOVE_AGENT ? Optional.empty() : jar(checks);
        Optional<HostProbe> probe = probe(cluster, node, checks);
        List<Step> steps = switch (kind) {
            case INSTALL_AGENT -> {
                if (node.access() != AccessKind.SSH) {
                    checks.add(new Check(Verdict.BLOCK, node.name() + " is reached through an agent already",
                            "Install agent works on a node registered over SSH; use Upgrade agent for a newer version."));
                }
                probe.ifPresent(p -> checks.addAll(installChecks(p, node.name(), node.nfoHome(), node.serviceUnit(),
                        Set.copyOf(node.flowPorts()), jar.map(AgentInstalls::size).orElse(0L))));
                yield install(cluster, node, jar);
            }
            case UPGRADE_AGENT -> {
                if (node.access() != AccessKind.AGENT) {
                    checks.add(new Check(Verdict.BLOCK, node.name() + " is not reached through an agent",
                            "Install agent first."));
                }
                probe.ifPresent(p -> checks.add(p.present().contains(AgentPackage.JAR)
                        ? new Check(Verdict.PASS, AgentPackage.JAR + " is there", "It is kept as " + AgentHostCommands.PREVIOUS_JAR
                                + " until the new agent answers, and put back if it does not.")
                        : new Check(Verdict.BLOCK, "No " + AgentPackage.JAR + " on " + node.name(),
                                "This agent was not installed where Tandem installs it; upgrade it as it was installed.")));
                yield upgrade(cluster, node, jar);
            }
            case REMOVE_AGENT -> {
                probe.ifPresent(p -> checks.add(p.present().isEmpty()
                        ? new Check(Verdict.WARN, "No agent files on " + node.name(), "Only the node's access is switched back to SSH, if needed.")
                        : new Check(Verdict.PASS, "To remove: " + String.join(", ", p.present()), node.access() == AccessKind.AGENT
                                ? node.name() + " is switched back to SSH access first, so the monitor keeps reading it."
                                : node.name() + " is on SSH access already.")));
                yield remove(cluster, node);
            }
            default -> throw new IllegalArgumentException(kind + " is not an agent operation");
        };
        return new Plan(new Preflight(kind, node.name(), checks, steps.stream().map(Step::name).toList(), node.name()), steps);
    }

    /** What must hold on the node before the agent is installed there; pure, from the probe's answer. */
    static List<Check> installChecks(HostProbe probe, String node, String nfoHome, String unit, Set<Integer> flowPorts, long jarBytes) {
        List<Check> checks = new ArrayList<>();
        if (probe.uid() != 0) {
            checks.add(new Check(Verdict.BLOCK, "Commands on " + node + " do not run as root (uid " + probe.uid() + ")",
                    "Installing writes /usr, /etc and creates a user: log in as root, or register the node with sudo for a "
                            + "user whose 'sudo -n' works without a password."));
        }
        if (!probe.present().isEmpty()) {
            checks.add(new Check(Verdict.BLOCK, "An agent is installed on " + node + " already",
                    String.join(", ", probe.present()) + ". Remove it first (Remove agent, or dpkg -r / rpm -e tandem-agent)."));
        }
        var java = probe.javaMajor();
        if (java.isEmpty() || java.getAsInt() < MIN_JAVA) {
            checks.add(new Check(Verdict.BLOCK, java.isEmpty() ? "No Java runtime at " + AgentPackage.JAVA + " on " + node
                    : "Java " + java.getAsInt() + " at " + AgentPackage.JAVA + " is older than " + MIN_JAVA,
                    "The agent needs Java " + MIN_JAVA + " or newer there (its unit starts " + AgentPackage.JAVA + "). Install it on "
                            + node + ": " + probe.javaInstallCommand() + (probe.java().isBlank() ? "" : " (it said: " + probe.java() + ")")));
        } else {
            checks.add(new Check(Verdict.PASS, "Java " + java.getAsInt() + " at " + AgentPackage.JAVA, probe.java()));
        }
        List<String> missing = new ArrayList<>(List.of("sudo", "visudo", "useradd", "sha256sum"));
        missing.removeAll(probe.tools());
        if (!missing.isEmpty()) {
            checks.add(new Check(Verdict.BLOCK, node + " lacks " + String.join(", ", missing),
                    "The agent reaches the node's tools through sudo and its drop-in (checked with visudo); the install "
                            + "creates a system user (useradd) and verifies the jar (sha256sum). Install them first."));
        }
        long jarKib = (jarBytes + 1023) / 1024;
        checks.add(space(node, "/usr/share", probe.freeUsrKib(), jarKib * 2)); // the upload and the installed copy
        checks.add(space(node, "/var/lib", probe.freeVarKib(), STATE_ROOM_KIB));
        checks.add(new Check(Verdict.PASS, "agent.yml: NFO home " + nfoHome + ", unit " + unit + ", flow ports " + flowPorts.stream().sorted().toList(),
                "As registered for " + node + "; change the node's registration first if these are wrong."));
        if (!probe.nfoHomeExists()) {
            checks.add(new Check(Verdict.WARN, nfoHome + " does not exist on " + node,
                    "The agent will report NFO's configuration as missing until the registered NFO home is right."));
        }
        if ("not-found".equals(probe.unitLoadState())) {
            checks.add(new Check(Verdict.WARN, unit + " is not a unit on " + node,
                    "The agent will report NFO's service as unknown until the registered unit is right."));
        }
        return checks;
    }

    private static Check space(String node, String where, long freeKib, long neededKib) {
        if (freeKib < 0) {
            return new Check(Verdict.WARN, "Free space in " + where + " on " + node + " unknown", "df did not answer; " + neededKib / 1024 + " MiB are needed.");
        }
        return freeKib >= neededKib
                ? new Check(Verdict.PASS, freeKib / 1024 + " MiB free in " + where, neededKib / 1024 + " MiB needed.")
                : new Check(Verdict.BLOCK, "Only " + freeKib / 1024 + " MiB free in " + where + " on " + node, neededKib / 1024 + " MiB needed.");
    }

    private Optional<Path> jar(List<Check> checks) {
        Optional<Path> jar = agentJar.get();
        if (jar.isEmpty()) {
            checks.add(new Check(Verdict.BLOCK, "This console runs from classes, not from a jar",
                    "The agent installed on a node is the console's own jar (tandem-agent.jar beside it when built); start the "
                            + "console with java -jar to install or upgrade agents."));
        } else {
            checks.add(new Check(Verdict.PASS, "Agent " + AgentHealth.version() + " from " + jar.get().getFileName()
                    + " (" + size(jar.get()) / 1_000_000 + " MB)", jar.get().toString()));
        }
        return jar;
    }

    private Optional<HostProbe> probe(ClusterView cluster, ClusterView.NodeView node, List<Check> checks) {
        try {
            CommandResult answer = connections.shell(cluster.id(), node.id(), (shell, target) ->
                    shell.run(target, AgentHostCommands.probe(target), properties.agentCommandTimeout()));
            return Optional.of(HostProbe.parse(answer.stdout()));
        } catch (Rejected e) {
            checks.add(new Check(Verdict.BLOCK, "No SSH access to " + node.name(), e.getMessage()));
        } catch (Exception e) {
            checks.add(new Check(Verdict.BLOCK, "Cannot read " + node.name() + " over SSH", describe(e)));
        }
        return Optional.empty();
    }

    // ---- install ----

    /** What an install put in place so far: its clean-up takes exactly that away if it does not finish. */
    private static final class Placed {
        String upload;
        boolean files;
        boolean user;
        boolean started;
        boolean complete;
        AgentPackage.InitOutput identity;
    }

    /**
     * The steps are listed whatever the preflight says, so the page shows what would run; without the jar (a console
     * run from classes) the preflight blocks, and no step runs.
     */
    private List<Step> install(ClusterView cluster, ClusterView.NodeView node, Optional<Path> jar) {
        Placed placed = new Placed();
        return List.of(
                new Step("Upload the agent jar to " + node.name() + " and install it as " + AgentPackage.JAR + " (SHA-256 verified there)", () -> {
                    String sha256 = uploadVerified(cluster, node, jar.orElseThrow(), placed);
                    placed.files = true;
                    exec(cluster, node, AgentHostCommands.makeAgentHome());
                    return Step.Result.done(installVerified(cluster, node, placed.upload, sha256));
                }).ifInterrupted("Remove agent takes away whatever of the agent is on " + node.name() + "."),
                new Step("Create the system user " + AgentPackage.USER + " and " + AgentPackage.STATE_DIR + " (as the packages' postinst)", () -> {
                    exec(cluster, node, AgentHostCommands.writeSetupScript());
                    placed.user = true;
                    exec(cluster, node, AgentHostCommands.createUser());
                    return Step.Result.done("User " + AgentPackage.USER + " and " + AgentPackage.STATE_DIR + " (0700) are there.");
                }),
                new Step("Install the sudoers drop-in " + AgentPackage.SUDOERS + " (checked with visudo -cf first)", () -> {
                    exec(cluster, node, AgentHostCommands.installSudoers());
                    return Step.Result.done("visudo accepted it; " + AgentPackage.SUDOERS + " is in place (0440).");
                }),
                new Step("Install the hardened systemd unit " + AgentPackage.UNIT, () -> {
                    exec(cluster, node, AgentHostCommands.installUnit());
                    exec(cluster, node, AgentHostCommands.systemctl("daemon-reload"));
                    return Step.Result.done(AgentPackage.UNIT + " is in place; systemd reloaded.");
                }),
                new Step("Run agent init as " + AgentPackage.USER + " and take its token and certificate fingerprint over SSH", () -> {
                    CommandResult init = connections.shell(cluster.id(), node.id(), (shell, target) ->
                            required(shell.run(target, AgentHostCommands.init(target), properties.agentCommandTimeout()),
                                    AgentHostCommands.init(target)));
                    placed.identity = AgentPackage.InitOutput.parse(init.stdout());
                    return Step.Result.done("agent.yml written with " + node.name() + "'s NFO home, unit, flow ports and port "
                            + node.agentPort() + "; certificate " + placed.identity.fingerprint() + " (the token stays with the console).");
                }),
                new Step("Start the agent (systemctl enable --now " + AgentPackage.UNIT_NAME + ")", () -> {
                    placed.started = true;
                    exec(cluster, node, AgentHostCommands.systemctl("enable", "--now", AgentPackage.UNIT_NAME));
                    return Step.Result.done(AgentPackage.UNIT_NAME + " is enabled and started.");
                }),
                new Step("Wait for the agent's /v1/health with the pinned certificate and the token", () -> {
                    NodeTarget agent = connections.target(cluster.id(), node.id())
                            .asAgent(placed.identity.token(), placed.identity.fingerprint());
                    HealthReport health = awaitHealth(agent, null);
                    return Step.Result.done("The agent answers: " + health.status() + ", version " + health.version() + ".");
                }),
                new Step("Switch " + node.name() + " to agent access", true, () -> {
                    connections.switchToAgent(cluster.id(), node.id(), placed.identity.token(), placed.identity.fingerprint());
                    placed.complete = true;
                    return Step.Result.done("The agent is installed on " + node.name() + " and Tandem reads the node through it "
                            + "(certificate " + placed.identity.fingerprint() + " pinned); its SSH access is kept for upgrades and removal.");
                }).ifInterrupted("the node may or may not be switched: see its access on the pair's page. If it is still on SSH, "
                        + "run Remove agent and install again."),
                Step.cleanup("Undo what an unfinished install put on " + node.name(), new Step.Fix(OperationKind.REMOVE_AGENT, node.name()), () -> {
                    if (placed.complete) {
                        return Step.Result.done("Installed; nothing to undo.");
                    }
                    List<String> undone = new ArrayList<>();
                    if (placed.started) {
                        exec(cluster, node, AgentHostCommands.stop());
                        undone.add("stopped the agent");
                    }
                    if (placed.files) {
                        exec(cluster, node, AgentHostCommands.removeFiles());
                        exec(cluster, node, AgentHostCommands.systemctl("daemon-reload"));
                        undone.add("removed the jar, unit and sudoers drop-in");
                    }
                    if (placed.user) {
                        exec(cluster, node, AgentHostCommands.purge());
                        undone.add("removed " + AgentPackage.STATE_DIR + " and the user");
                    }
                    removeUpload(cluster, node, placed.upload);
                    return Step.Result.done(undone.isEmpty() ? "Nothing was put in place." : "Undone: " + String.join(", ", undone) + ".");
                }));
    }

    // ---- upgrade ----

    /** Listed like {@link #install}'s steps, with or without the jar. */
    private List<Step> upgrade(ClusterView cluster, ClusterView.NodeView node, Optional<Path> jar) {
        Placed placed = new Placed();
        String version = AgentHealth.version();
        return List.of(
                new Step("Upload the agent jar " + version + " to " + node.name() + " (SHA-256 verified there)", () -> {
                    String sha256 = uploadVerified(cluster, node, jar.orElseThrow(), placed);
                    return Step.Result.done("Uploaded; SHA-256 " + sha256 + " on both sides.");
                }),
                new Step("Keep the running jar as " + AgentHostCommands.PREVIOUS_JAR + " and install the new one", () -> {
                    exec(cluster, node, AgentHostCommands.keepPreviousJar());
                    placed.files = true;
                    return Step.Result.done(installVerified(cluster, node, placed.upload, sha256(jar.orElseThrow())));
                }),
                new Step("Restart the agent (its state in " + AgentPackage.STATE_DIR + " stays)", () -> {
                    exec(cluster, node, AgentHostCommands.systemctl("restart", AgentPackage.UNIT_NAME));
                    return Step.Result.done("Restarted " + AgentPackage.UNIT_NAME + ".");
                }),
                new Step("Wait for the agent's /v1/health to report version " + version, true, () -> {
                    HealthReport health = awaitHealth(connections.target(cluster.id(), node.id()), version);
                    placed.complete = true;
                    return Step.Result.done(node.name() + "'s agent runs version " + health.version() + " with its certificate and token unchanged.");
                }),
                Step.cleanup("Put the previous jar back unless the new agent answered", new Step.Fix(OperationKind.UPGRADE_AGENT, node.name()), () -> {
                    String detail;
                    if (placed.complete) {
                        exec(cluster, node, AgentHostCommands.remove(AgentHostCommands.PREVIOUS_JAR));
                        detail = "Upgraded; the previous jar is removed.";
                    } else if (placed.files) {
                        exec(cluster, node, AgentHostCommands.restorePreviousJar());
                        exec(cluster, node, AgentHostCommands.systemctl("restart", AgentPackage.UNIT_NAME));
                        detail = "The previous jar is back and the agent restarted on it.";
                    } else {
                        detail = "The running jar was not touched.";
                    }
                    removeUpload(cluster, node, placed.upload);
                    return Step.Result.done(detail);
                }));
    }

    // ---- remove ----

    private List<Step> remove(ClusterView cluster, ClusterView.NodeView node) {
        return List.of(
                new Step("Switch " + node.name() + " back to SSH access", () -> {
                    connections.switchToSsh(cluster.id(), node.id());
                    return Step.Result.done("Tandem reads " + node.name() + " over SSH again.");
                }),
                new Step("Stop and disable the agent", () -> {
                    exec(cluster, node, AgentHostCommands.stop());
                    return Step.Result.done(AgentPackage.UNIT_NAME + " is stopped and disabled (or was not there).");
                }),
                new Step("Remove the unit, the sudoers drop-in and " + AgentPackage.HOME, () -> {
                    exec(cluster, node, AgentHostCommands.removeFiles());
                    exec(cluster, node, AgentHostCommands.systemctl("daemon-reload"));
                    return Step.Result.done("Removed " + AgentPackage.UNIT + ", " + AgentPackage.SUDOERS + " and " + AgentPackage.HOME + ".");
                }),
                new Step("Remove " + AgentPackage.STATE_DIR + " and the user " + AgentPackage.USER, true, () -> {
                    exec(cluster, node, AgentHostCommands.purge());
                    return Step.Result.done("The agent is removed from " + node.name() + "; Tandem reads it over SSH.");
                }));
    }

    // ---- shared ----

    /** Uploads to a fresh name in /tmp as the SSH user and checks the node's sha256sum of it; returns the hash. */
    private String uploadVerified(ClusterView cluster, ClusterView.NodeView node, Path jar, Placed placed) throws Exception {
        String sha256 = sha256(jar);
        placed.upload = "/tmp/tandem-agent-" + UUID.randomUUID() + ".jar";
        connections.shell(cluster.id(), node.id(), (shell, target) -> {
            shell.upload(target, jar, placed.upload, properties.agentUploadTimeout());
            return null;
        });
        requireHash(cluster, node, placed.upload, sha256);
        return sha256;
    }

    private String installVerified(ClusterView cluster, ClusterView.NodeView node, String upload, String sha256) throws Exception {
        exec(cluster, node, AgentHostCommands.installJar(upload));
        requireHash(cluster, node, AgentPackage.JAR, sha256);
        return AgentPackage.JAR + " installed; SHA-256 " + sha256 + " verified on " + node.name() + ".";
    }

    private void requireHash(ClusterView cluster, ClusterView.NodeView node, String path, String expected) throws Exception {
        String actual = AgentHostCommands.sha256Of(exec(cluster, node, AgentHostCommands.sha256(path)).stdout());
        if (!actual.equals(expected)) {
            throw new IllegalStateException(path + " on " + node.name() + " has SHA-256 " + actual + ", not " + expected
                    + " (the transfer was damaged)");
        }
    }

    private void removeUpload(ClusterView cluster, ClusterView.NodeView node, String upload) throws Exception {
        if (upload != null) {
            exec(cluster, node, AgentHostCommands.remove(upload));
        }
    }

    /** Polls /v1/health until it answers (with {@code version}, when given) or the start timeout passes. */
    private HealthReport awaitHealth(NodeTarget agent, String version) throws Exception {
        Instant deadline = clock.instant().plus(properties.agentStartTimeout());
        String last = "no answer yet";
        while (clock.instant().isBefore(deadline)) {
            try {
                HealthReport health = connections.agentHealth(agent);
                if (version == null || version.equals(health.version())) {
                    return health;
                }
                last = "it reports version " + health.version();
            } catch (NodeAccessException e) {
                last = e.reason() + ": " + e.getMessage();
            }
            Thread.sleep(Math.max(100, properties.pollInterval().toMillis()));
        }
        throw new IllegalStateException("Waited " + properties.agentStartTimeout().toSeconds() + " s for the agent on "
                + agent.name() + " to answer" + (version == null ? "" : " with version " + version) + "; " + last
                + ". See journalctl -u " + AgentPackage.UNIT_NAME + " there.");
    }

    private CommandResult exec(ClusterView cluster, ClusterView.NodeView node, HostCommand command) throws Exception {
        return connections.shell(cluster.id(), node.id(), (shell, target) ->
                required(shell.run(target, command, properties.agentCommandTimeout()), command));
    }

    /** A command that failed stops its step; a secret output (agent init's token) never reaches the message. */
    static CommandResult required(CommandResult result, HostCommand command) {
        if (!result.succeeded()) {
            String said = command.secretOutput() ? OperationPlans.firstLine(result.stderr(), "no error output")
                    : OperationPlans.firstLine(result.stderr(), OperationPlans.firstLine(result.stdout(), "no output"));
            throw new IllegalStateException(command.purpose() + " failed with exit " + result.exitCode() + ": " + said);
        }
        return result;
    }

    private static String describe(Exception e) {
        return e instanceof NodeAccessException n ? n.reason() + ": " + n.getMessage()
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The real file's hash: the console's jar is often a link to a versioned one, and the hash reads no links. */
    static String sha256(Path file) throws IOException {
        return Sha256.of(file.toRealPath());
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
