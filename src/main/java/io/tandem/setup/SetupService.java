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

    /**
     * The plan apply runs: the form checked (400), discovery run, and refused (409 {@code cluster-exists}, naming the
     * node) when either node already belongs to a cluster, or cannot be read well enough to tell.
     *
     * @param activeNode the node that starts active (the form's {@code activeNode})
     * @param passiveNode the other one
     */
    public record Ready(String clusterName, String activeNode, String passiveNode, SetupPlan plan) {
    }

    public Ready ready(UUID clusterId, SetupForm form) {
        ValidSetup setup = ValidSetup.of(form, fleet.get(clusterId));
        Checklist checklist = discovery.discover(clusterId, form);
        requireNoCluster(checklist);
        requireNoBlockingFailure(checklist);
        return new Ready(setup.clusterName(), setup.active().name(), setup.passive().name(), SetupPlanner.plan(setup, checklist));
    }

    /**
     * The plan the form makes, without discovery: what undo needs to revert the steps a setup with this form ran (the
     * cluster exists by then, so discovery would only refuse).
     */
    public Ready replan(UUID clusterId, SetupForm form) {
        ValidSetup setup = ValidSetup.of(form, fleet.get(clusterId));
        return new Ready(setup.clusterName(), setup.active().name(), setup.passive().name(), SetupPlanner.plan(setup, null));
    }

    public DryRun dryRun(UUID clusterId, SetupForm form) {
        ValidSetup setup = ValidSetup.of(form, fleet.get(clusterId));
        SetupPlan plan = ready(clusterId, form).plan();
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

    /** Checks whose failure would make apply break the storage or stop on it half-way. */
    private static final java.util.Set<String> STORAGE_CHECKS = java.util.Set.of("drbd-device", "mount-source", "mount-passive",
            "mount-fstab");

    /**
     * Discovery's failures that apply must not run past, each refused (409) with discovery's own words and fix: a VIP in
     * use would be taken from whoever uses it; storage not ready would be broken or stop apply half-way; a peer's pcsd
     * out of reach would stop apply at its first step.
     */
    private static void requireNoBlockingFailure(Checklist checklist) {
        refuseFailed(checklist, java.util.Set.of(Discovery.VIP_FREE), (node, c) -> Rejected.conflict("vip-in-use", "vip",
                c.title().replace(" is free", " is in use") + ": " + c.found() + ". " + c.fix()));
        refuseFailed(checklist, STORAGE_CHECKS, (node, c) -> Rejected.conflict("storage-not-ready",
                c.id().startsWith("drbd") ? "drbd.device" : "replicatedMount", "On " + node + ": " + c.title() + " failed ("
                        + c.found() + "). " + c.fix()));
        refuseFailed(checklist, java.util.Set.of("pcsd-peer"), (node, c) -> Rejected.conflict("peer-unreachable", "activeNode",
                c.title().replace(" answers", " does not answer") + ": " + c.found() + ". " + c.fix()));
    }

    private static void refuseFailed(Checklist checklist, java.util.Set<String> ids,
                                     java.util.function.BiFunction<String, Checklist.Check, Rejected> refusal) {
        for (Checklist.NodeChecklist node : checklist.nodes()) {
            node.checks().stream().filter(c -> ids.contains(c.id()) && c.status() == Status.FAIL).findFirst()
                    .ifPresent(c -> {
                        throw refusal.apply(node.node(), c);
                    });
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
