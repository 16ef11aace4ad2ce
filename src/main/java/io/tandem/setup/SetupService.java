package io.tandem.setup;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

import io.tandem.access.NodeConnections;
import io.tandem.console.Rejected;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.node.NodeAccessException;
import io.tandem.node.SetupDryRun;
import io.tandem.setup.Checklist.Status;

/**
 * The plan and the dry run of setup for a registered pair. Both read only: the plan reads the nodes through
 * {@link Discovery}, the dry run writes nothing but a temporary directory on the node that starts active.
 */
@Service
public class SetupService {

    private final FleetService fleet;
    private final Discovery discovery;
    private final NodeConnections connections;

    SetupService(FleetService fleet, Discovery discovery, NodeConnections connections) {
        this.fleet = fleet;
        this.discovery = discovery;
        this.connections = connections;
    }

    /** The form checked (a 400 naming each field at fault), discovery's failures as warnings. */
    public SetupPlan plan(UUID clusterId, SetupForm form) {
        ClusterView cluster = fleet.get(clusterId);
        ValidSetup setup = ValidSetup.of(form, cluster);
        return SetupPlanner.plan(setup, discovery.discover(clusterId, form));
    }

    /**
     * What the plan's CIB changes would build and where Pacemaker would run each resource, computed on the node that
     * starts active from an empty CIB in a file.
     *
     * @param node where it ran
     * @param plan the plan it was computed for (its steps and warnings)
     */
    public record DryRun(String node, SetupPlan plan, SetupDryRun.Result result) {
    }

    public DryRun dryRun(UUID clusterId, SetupForm form) {
        ClusterView cluster = fleet.get(clusterId);
        ValidSetup setup = ValidSetup.of(form, cluster);
        Checklist checklist = discovery.discover(clusterId, form);
        requireNoCluster(checklist);
        SetupPlan plan = SetupPlanner.plan(setup, checklist);
        SetupDryRun.Request request = new SetupDryRun.Request(List.of(setup.active().name(), setup.passive().name()),
                plan.cibChanges(), plan.drbdConfig());
        try {
            SetupDryRun.Result result = connections.call(clusterId, setup.active().id(), (access, node) -> access.setupDryRun(node, request));
            return new DryRun(setup.active().name(), plan, result);
        } catch (NodeAccessException e) {
            throw Rejected.conflict("dry-run-unavailable", "activeNode", "The dry run could not run on " + setup.active().name()
                    + " (" + e.reason() + "): " + e.getMessage());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw Rejected.conflict("dry-run-unavailable", "activeNode", "The dry run could not run on " + setup.active().name()
                    + ": " + e.getMessage());
        }
    }

    /**
     * A dry run starts from an empty CIB, so it is only true for nodes without a cluster: an existing one is adopted,
     * never set up over; a node Tandem could not read may have one.
     */
    private static void requireNoCluster(Checklist checklist) {
        for (Checklist.NodeChecklist node : checklist.nodes()) {
            Checklist.Check existing = node.checks().stream().filter(c -> c.id().equals("existing-cluster")).findFirst().orElse(null);
            if (existing != null && existing.status() == Status.FAIL) {
                throw Rejected.conflict("cluster-exists", "clusterName", node.node() + " already belongs to a cluster (" + existing.found()
                        + "). Setup never overwrites a cluster: adopt it instead (its resources are mapped to the pair), or "
                        + "dismantle it first.");
            }
            if (existing == null) {
                String why = node.checks().stream().filter(c -> c.status() == Status.FAIL).map(c -> c.title() + ": " + c.found())
                        .findFirst().orElse("not read");
                throw Rejected.conflict("node-unread", "activeNode", "Tandem cannot tell whether " + node.node() + " already belongs "
                        + "to a cluster (" + why + "); run discovery and fix that first.");
            }
        }
    }
}
