package io.tandem.access.agent;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import io.tandem.access.NodeAccess;
import io.tandem.access.NodeTarget;
import io.tandem.access.StagedChange;
import io.tandem.agent.wire.AgentProtocol;
import io.tandem.agent.wire.ConfigProblems;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeOperations;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.config.BackupInfo;
import io.tandem.node.config.CommitResult;
import io.tandem.node.config.ConfigStore;
import io.tandem.node.config.StagedFile;
import io.tandem.pacemaker.ClusterCommand;
import io.tandem.pacemaker.CommandRejectedException;
import io.tandem.node.config.ConfigFile;
import io.tandem.node.config.ConfigManifest;
import io.tandem.node.config.ConfigRefusal;
import io.tandem.node.config.ConfigRefusedException;

/** Access through the Tandem agent: HTTPS with the pinned certificate and the node's agent token. */
@Component
@EnableConfigurationProperties(AgentClientSettings.class)
public class AgentNodeAccess implements NodeAccess {

    private final AgentClientSettings settings;
    /**
     * One client per agent, reused by every poll: a new client per call would mean a new TLS handshake
     * every two seconds per node. A changed pin or token makes a new key and replaces the old client.
     */
    private final java.util.Map<Endpoint, AgentClient> clients = new java.util.concurrent.ConcurrentHashMap<>();

    private record Endpoint(String address, int port, String pin, String token) {
    }

    public AgentNodeAccess() {
        this(AgentClientSettings.defaults());
    }

    @Autowired
    AgentNodeAccess(AgentClientSettings settings) {
        this.settings = settings;
    }

    @Override
    public NodeTarget.Transport transport() {
        return NodeTarget.Transport.AGENT;
    }

    @Override
    public PresentedKey presentedKey(NodeTarget node) throws NodeAccessException {
        PresentedCertificate certificate = AgentClient.probe(node.address(), node.agentPort(), settings.connect());
        return new PresentedKey(certificate.fingerprint(), certificate.subject() + ", valid until " + certificate.notAfter());
    }

    /** {@code GET /v1/health}: whether the agent answers with the pinned certificate and the token, and its version. */
    public io.tandem.agent.wire.HealthReport health(NodeTarget node) throws NodeAccessException {
        return client(node).health();
    }

    @Override
    public NodeSnapshot snapshot(NodeTarget node) throws NodeAccessException {
        return expectDrbd(node, client(node).get(AgentProtocol.SNAPSHOT, NodeSnapshot.class));
    }

    @Override
    public ConfigManifest manifest(NodeTarget node) throws NodeAccessException, ConfigRefusedException {
        AgentClient client = client(node);
        try {
            return client.get(AgentProtocol.CONFIG_MANIFEST, ConfigManifest.class);
        } catch (NodeAccessException.RequestRefused refused) {
            throw configRefusal(refused, null);
        }
    }

    @Override
    public ConfigFile readFile(NodeTarget node, String path) throws NodeAccessException, ConfigRefusedException {
        AgentClient client = client(node);
        try {
            return client.get(AgentProtocol.CONFIG_FILE + "?path=" + URLEncoder.encode(String.valueOf(path), StandardCharsets.UTF_8),
                    ConfigFile.class);
        } catch (NodeAccessException.RequestRefused refused) {
            throw configRefusal(refused, path);
        }
    }

    /** The agent's answer to a stage: what it verified and kept. */
    private record StageAnswer(String changeId, List<String> staged) {
    }

    @Override
    public StagedChange stage(NodeTarget node, String changeId, List<StagedFile> files)
            throws NodeAccessException, ConfigRefusedException {
        ConfigStore.requireId(changeId, "change id");
        AgentClient client = client(node);
        try {
            StageAnswer answer = client.post(AgentProtocol.CONFIG_CHANGES + "/" + changeId, Map.of("files", files),
                    StageAnswer.class);
            return new StagedChange(answer.changeId(), answer.staged());
        } catch (NodeAccessException.RequestRefused refused) {
            if (refused.status() == 413) { // the agent's body limit, before its store saw the files
                throw new ConfigRefusedException(ConfigRefusal.TOO_LARGE, null, refused.getMessage(), refused);
            }
            throw configRefusal(refused, null);
        }
    }

    @Override
    public CommitResult commit(NodeTarget node, String changeId) throws NodeAccessException, ConfigRefusedException {
        ConfigStore.requireId(changeId, "change id");
        return postConfig(node, AgentProtocol.CONFIG_CHANGES + "/" + changeId + "/commit", CommitResult.class);
    }

    @Override
    public CommitResult rollback(NodeTarget node, String backupId) throws NodeAccessException, ConfigRefusedException {
        ConfigStore.requireId(backupId, "backup id");
        return postConfig(node, AgentProtocol.CONFIG_BACKUPS + "/" + backupId + "/rollback", CommitResult.class);
    }

    @Override
    public List<BackupInfo> backups(NodeTarget node) throws NodeAccessException, ConfigRefusedException {
        AgentClient client = client(node);
        try {
            return List.of(client.get(AgentProtocol.CONFIG_BACKUPS, BackupInfo[].class));
        } catch (NodeAccessException.RequestRefused refused) {
            throw configRefusal(refused, null);
        }
    }

    @Override
    public List<String> pruneBackups(NodeTarget node, int keep) throws NodeAccessException, ConfigRefusedException {
        ConfigStore.beyondRetention(List.of(), keep); // a bad keep is refused here, as on the other transports
        return List.of(postConfig(node, AgentProtocol.CONFIG_BACKUPS_PRUNE + "?keep=" + keep, String[].class));
    }

    @Override
    public NodeOperations.Outcome service(NodeTarget node, NodeOperations.ServiceAction action) throws NodeAccessException {
        return client(node).post(AgentProtocol.SERVICE + "/" + action.name().toLowerCase(java.util.Locale.ROOT), null,
                NodeOperations.Outcome.class);
    }

    @Override
    public io.tandem.node.SetupProbe.Facts setupProbe(NodeTarget node, io.tandem.node.SetupProbe.Request request)
            throws NodeAccessException {
        return client(node).post(AgentProtocol.SETUP_PROBE, request, io.tandem.node.SetupProbe.Facts.class);
    }

    @Override
    public io.tandem.node.SetupDryRun.Result setupDryRun(NodeTarget node, io.tandem.node.SetupDryRun.Request request)
            throws NodeAccessException {
        return client(node).post(AgentProtocol.SETUP_DRY_RUN, request, io.tandem.node.SetupDryRun.Result.class);
    }

    @Override
    public NodeOperations.Outcome setupStep(NodeTarget node, io.tandem.node.SetupCommand command) throws NodeAccessException {
        return client(node).post(AgentProtocol.SETUP_STEPS, command, NodeOperations.Outcome.class);
    }

    @Override
    public NodeOperations.Outcome gate(NodeTarget node, io.tandem.node.GateChange change) throws NodeAccessException {
        return client(node).post(AgentProtocol.GATE, change, NodeOperations.Outcome.class);
    }

    @Override
    public NodeOperations.Outcome pacemaker(NodeTarget node, ClusterCommand command)
            throws NodeAccessException, CommandRejectedException {
        Map<String, String> request = new java.util.HashMap<>();
        request.put("verb", command.verb());
        request.put("resource", command.resource());
        request.put("node", command.node());
        AgentClient client = client(node);
        try {
            return client.post(AgentProtocol.PCS, request, NodeOperations.Outcome.class);
        } catch (NodeAccessException.RequestRefused refused) {
            CommandRejectedException.Reason reason = rejection(refused);
            if (reason == null) {
                throw refused;
            }
            throw new CommandRejectedException(reason, refused.getMessage());
        }
    }

    @Override
    public NodeOperations.Simulation simulate(NodeTarget node, ClusterCommand command)
            throws NodeAccessException, CommandRejectedException {
        Map<String, String> request = new java.util.HashMap<>();
        request.put("verb", command.verb());
        request.put("resource", command.resource());
        request.put("node", command.node());
        try {
            return client(node).post(AgentProtocol.PCS_SIMULATIONS, request, NodeOperations.Simulation.class);
        } catch (NodeAccessException.RequestRefused refused) {
            CommandRejectedException.Reason reason = rejection(refused);
            if (reason == null) {
                throw refused;
            }
            throw new CommandRejectedException(reason, refused.getMessage());
        }
    }

    private static CommandRejectedException.Reason rejection(NodeAccessException.RequestRefused refused) {
        if (!AgentProtocol.problemType("command-rejected").equals(refused.type())) {
            return null;
        }
        for (CommandRejectedException.Reason reason : CommandRejectedException.Reason.values()) {
            if (reason.name().equals(refused.problemReason())) {
                return reason;
            }
        }
        return CommandRejectedException.Reason.INVALID_NAME;
    }

    private <T> T postConfig(NodeTarget node, String path, Class<T> type) throws NodeAccessException, ConfigRefusedException {
        AgentClient client = client(node);
        try {
            return client.post(path, null, type);
        } catch (NodeAccessException.RequestRefused refused) {
            throw configRefusal(refused, null);
        }
    }

    /** The agent's config problem back into the config store's own refusal; any other refusal stays what it was. */
    private static ConfigRefusedException configRefusal(NodeAccessException.RequestRefused refused, String path)
            throws NodeAccessException.RequestRefused {
        ConfigRefusal reason = ConfigProblems.refusal(refused.type()).orElseThrow(() -> refused);
        return new ConfigRefusedException(reason, path, refused.getMessage(), refused);
    }

    @Override
    public java.util.Optional<Watch> watch(NodeTarget node, Runnable onChange) throws NodeAccessException {
        if (node.credential() == null || node.pinnedFingerprint() == null) {
            return java.util.Optional.empty();
        }
        EventSubscription subscription = client(node).events(null, event -> onChange.run());
        return java.util.Optional.of(new Watch() {
            @Override
            public boolean isOpen() {
                return subscription.isOpen();
            }

            @Override
            public void close() {
                subscription.close();
            }
        });
    }

    private AgentClient client(NodeTarget node) throws NodeAccessException {
        if (node.credential() == null) {
            throw new NodeAccessException.AuthRefused("No agent token is stored for " + node.name() + ".", null);
        }
        Endpoint endpoint = new Endpoint(node.address(), node.agentPort(), node.pinnedFingerprint(), node.credential());
        AgentClient client = clients.get(endpoint);
        if (client == null) {
            clients.keySet().removeIf(old -> old.address().equals(endpoint.address()) && old.port() == endpoint.port());
            AgentClient fresh = new AgentClient(endpoint.address(), endpoint.port(), endpoint.pin(), endpoint.token(), settings);
            client = java.util.Objects.requireNonNullElse(clients.putIfAbsent(endpoint, fresh), fresh);
        }
        return client;
    }

    /** The agent does not know the pair's mode; in Cold mode a node without DRBD is a failure the console must see. */
    private static NodeSnapshot expectDrbd(NodeTarget node, NodeSnapshot snapshot) {
        if (!node.expectDrbd() || snapshot.drbd() != null || snapshot.failure("drbd").isPresent()) {
            return snapshot;
        }
        List<NodeSnapshot.PartFailure> failures = new ArrayList<>(snapshot.failures());
        failures.add(new NodeSnapshot.PartFailure("drbd", "tool missing", "DRBD is not installed or not running on " + node.name()
                + ", but this is a Cold pair."));
        return new NodeSnapshot(snapshot.takenAt(), snapshot.host(), snapshot.service(), snapshot.udp(), snapshot.gate(),
                snapshot.crmMon(), snapshot.constraints(), snapshot.drbd(), snapshot.templates(), failures, snapshot.gateAgent(),
                snapshot.agentVersion());
    }
}
