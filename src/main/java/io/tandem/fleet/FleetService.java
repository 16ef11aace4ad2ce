package io.tandem.fleet;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import io.tandem.access.SecretCipher;
import io.tandem.audit.AuditLog;
import io.tandem.audit.Outcome;
import io.tandem.console.Rejected;

/** Registers, edits and removes HA pairs; every change is validated as a whole and audited. */
@Service
public class FleetService {

    private final Clusters clusters;
    private final SecretCipher cipher;
    private final AuditLog audit;
    private final Clock clock;
    private final FleetSnapshot snapshot;
    private final TransactionTemplate reading;

    FleetService(Clusters clusters, SecretCipher cipher, AuditLog audit, Clock clock, PlatformTransactionManager transactions) {
        this.clusters = clusters;
        this.cipher = cipher;
        this.audit = audit;
        this.clock = clock;
        this.reading = new TransactionTemplate(transactions);
        this.reading.setReadOnly(true);
        this.snapshot = new FleetSnapshot(this::read, clock);
    }

    /** Every pair, by name, as last read (see {@link FleetSnapshot}): no database connection between changes. */
    public List<ClusterView> list() {
        return snapshot.list();
    }

    private FleetSnapshot.Reading read() {
        return reading.execute(status -> {
            List<Cluster> all = clusters.findAllWithNodes();
            Map<UUID, SealedNode> nodes = new java.util.HashMap<>();
            all.forEach(cluster -> cluster.nodes().forEach(node -> nodes.put(node.id(), SealedNode.of(cluster, node))));
            return new FleetSnapshot.Reading(all.stream().map(ClusterView::of).toList(), nodes);
        });
    }

    /** A node's target for reads as last read with the fleet (see {@link FleetSnapshot#node}). */
    java.util.Optional<SealedNode> node(UUID nodeId) {
        return snapshot.node(nodeId);
    }

    /** Something outside this class changed a pair's rows (a node's pinned key): readers see it after the commit. */
    void changed() {
        snapshot.changed();
    }

    /** Whether the pair is still registered (a reader may hold a view of one deleted since). */
    @Transactional(readOnly = true)
    public boolean exists(UUID id) {
        return clusters.existsById(id);
    }

    /** The pair as last read; one registered since (by another console on the database) is looked up. */
    public ClusterView get(UUID id) {
        return snapshot.get(id).orElseGet(() -> reading.execute(status -> ClusterView.of(find(id))));
    }

    @Transactional
    public ClusterView create(ClusterSpec given) {
        ClusterSpec spec = FleetRules.normalize(given);
        ensureNameFree(spec.name(), null);
        Cluster cluster = new Cluster(clock.instant());
        cluster.apply(spec, clock.instant());
        applyNodes(cluster, spec);
        saveChecked(cluster);
        snapshot.changed();
        audit.record("CLUSTER_CREATE", spec.name(), Outcome.SUCCESS, Map.of("after", describe(cluster)));
        return ClusterView.of(cluster);
    }

    /**
     * Replaces the settings of a cluster. With {@code expectedVersion} set, refuses when someone else
     * changed it since that version was read. A null credential keeps the stored one.
     */
    @Transactional
    public ClusterView update(UUID id, ClusterSpec given, Long expectedVersion) {
        Cluster cluster = find(id);
        checkVersion(cluster, expectedVersion);
        ClusterSpec spec = FleetRules.normalize(given);
        for (int i = 0; i < 2; i++) {
            Node node = cluster.node(i);
            if (spec.nodes().get(i).credential() == null && node.hasCredential()
                    && spec.nodes().get(i).access() != node.access()) {
                throw Rejected.invalid("invalid-cluster", "nodes[" + i + "].credential",
                        "The access kind changed: paste the credential for " + spec.nodes().get(i).access() + " access.");
            }
        }
        ensureNameFree(spec.name(), cluster.id());
        Map<String, Object> before = describe(cluster);
        cluster.apply(spec, clock.instant());
        applyNodes(cluster, spec);
        saveChecked(cluster);
        snapshot.changed();
        List<String> replaced = spec.nodes().stream().filter(n -> n.credential() != null).map(NodeSpec::name).toList();
        audit.record("CLUSTER_UPDATE", spec.name(), Outcome.SUCCESS,
                Map.of("before", before, "after", describe(cluster), "credentialsReplacedOn", replaced));
        return ClusterView.of(cluster);
    }

    /**
     * Saves the mode and resource names of an existing cluster into the pair (setup's adopt); a blank name keeps the
     * pair's. Refuses when someone changed the pair since {@code expectedVersion}. {@code evidence} (what the names were
     * read from) goes into the audit entry.
     */
    @Transactional
    public ClusterView adopt(UUID id, ClusterSpec names, long expectedVersion, Map<String, Object> evidence) {
        Cluster cluster = find(id);
        checkVersion(cluster, expectedVersion);
        ClusterSpec adopted = FleetRules.adopted(names, ClusterView.of(cluster));
        Map<String, Object> details = new LinkedHashMap<>(evidence);
        details.put("before", describe(cluster));
        cluster.applyResources(adopted, clock.instant());
        clusters.saveAndFlush(cluster);
        snapshot.changed();
        details.put("after", describe(cluster));
        audit.record("CLUSTER_ADOPT", cluster.name(), Outcome.SUCCESS, details);
        return ClusterView.of(cluster);
    }

    /**
     * Replaces the globs of configuration files allowed to differ between the pair's nodes. Refuses the whole list
     * when one glob is unusable, naming it.
     */
    @Transactional
    public ClusterView ignoreDrift(UUID id, List<String> given, Long expectedVersion) {
        Cluster cluster = find(id);
        checkVersion(cluster, expectedVersion);
        List<String> globs = FleetRules.driftIgnore(given);
        List<String> before = cluster.driftIgnore();
        cluster.ignoreDrift(globs, clock.instant());
        clusters.saveAndFlush(cluster);
        snapshot.changed();
        audit.record("CLUSTER_DRIFT_IGNORE", cluster.name(), Outcome.SUCCESS, Map.of("before", before, "after", globs));
        return ClusterView.of(cluster);
    }

    @Transactional
    public void delete(UUID id) {
        Cluster cluster = find(id);
        Map<String, Object> before = describe(cluster);
        clusters.delete(cluster);
        snapshot.changed();
        audit.record("CLUSTER_DELETE", cluster.name(), Outcome.SUCCESS, Map.of("before", before));
    }

    private static void checkVersion(Cluster cluster, Long expectedVersion) {
        if (expectedVersion != null && expectedVersion != cluster.version()) {
            throw Rejected.conflict("stale-version", null, "Someone else changed '" + cluster.name()
                    + "' since you opened it (version " + expectedVersion + ", now " + cluster.version()
                    + "). Reload and apply your change again.");
        }
    }

    private void applyNodes(Cluster cluster, ClusterSpec spec) {
        for (int i = 0; i < 2; i++) {
            Node node = cluster.node(i);
            NodeSpec nodeSpec = spec.nodes().get(i);
            boolean endpointChanged = !Objects.equals(node.address(), nodeSpec.address()) || node.access() != nodeSpec.access();
            node.apply(nodeSpec);
            if (endpointChanged) {
                node.forgetPin();
            }
            if (nodeSpec.credential() != null) {
                node.storeCredential(cipher.encrypt(nodeSpec.credential(), owner(node)));
            }
        }
    }

    /** Binds a ciphertext to its node, so it cannot be copied to another row and used there. */
    static String owner(Node node) {
        return "node:" + node.id();
    }

    private void ensureNameFree(String name, UUID self) {
        clusters.findByName(name).filter(other -> !other.id().equals(self)).ifPresent(other -> {
            throw Rejected.conflict("name-taken", "name", "A pair named '" + name + "' already exists.");
        });
    }

    private void saveChecked(Cluster cluster) {
        try {
            clusters.saveAndFlush(cluster);
        } catch (DataIntegrityViolationException e) {
            // a parallel request registered the same name between our check and our insert
            throw Rejected.conflict("name-taken", "name", "A pair named '" + cluster.name() + "' already exists.");
        }
    }

    private Cluster find(UUID id) {
        return clusters.findById(id).orElseThrow(() -> Rejected.notFound("Cluster", id));
    }

    private static Map<String, Object> describe(Cluster cluster) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("name", cluster.name());
        state.put("mode", cluster.mode().name());
        state.put("description", cluster.description());
        state.put("nfoResource", cluster.nfoResource());
        state.put("vipResource", cluster.vipResource());
        state.put("gateResource", cluster.gateResource());
        state.put("drbdResource", cluster.drbdResource());
        state.put("nodes", cluster.nodes().stream().map(node -> {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("name", node.name());
            n.put("address", node.address());
            n.put("access", node.access().name());
            n.put("sshUser", node.sshUser());
            n.put("sshPort", node.sshPort());
            n.put("sshSudo", node.sshSudo());
            n.put("agentPort", node.agentPort());
            n.put("nfoHome", node.nfoHome());
            n.put("serviceUnit", node.serviceUnit());
            n.put("configIncludes", node.configIncludes());
            n.put("configExcludes", node.configExcludes());
            n.put("flowPorts", node.flowPorts());
            n.put("hasCredential", node.hasCredential());
            return n;
        }).toList());
        return state;
    }
}
