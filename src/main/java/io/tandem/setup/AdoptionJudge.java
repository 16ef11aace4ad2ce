package io.tandem.setup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView;
import io.tandem.monitor.Severity;
import io.tandem.node.GateAgent;
import io.tandem.node.GateDestination;
import io.tandem.node.OutputGate;
import io.tandem.node.ServiceState;
import io.tandem.pacemaker.Cib;
import io.tandem.pacemaker.ClusterStatus;
import io.tandem.pacemaker.Constraint;
import io.tandem.pacemaker.Resource;
import io.tandem.pacemaker.ResourceRelations;
import io.tandem.setup.Adoption.Difference;
import io.tandem.setup.Adoption.Found;
import io.tandem.setup.Adoption.Mapping;

/**
 * Judges an existing cluster against setup's recipe (see {@link SetupPlanner}) for adoption. Pure: reads no node.
 * Resources are recognised by their agent (NFO by the pair's unit, the VIP by IPaddr2, the gate by
 * {@code ocf:tandem:gate}, DRBD by {@code ocf:linbit:drbd} in a promotable clone), and placement and start order by
 * their effect ({@link ResourceRelations}), so a group and a chain of colocations count alike. Where two resources
 * could play a role, or none does, it says so and picks nothing (a name the pair already holds is kept).
 */
final class AdoptionJudge {

    /** What the NFO unit's name may be run as: systemd takes the unit, LSB and the service class the script name. */
    private static final Set<String> SERVICE_CLASSES = Set.of("systemd", "lsb", "service", "upstart");
    private static final Set<String> VIP_AGENTS = Set.of("ocf:heartbeat:IPaddr2");
    private static final String DRBD_AGENT = ClusterStatus.DRBD_AGENT;
    private static final String FILESYSTEM_AGENT = "ocf:heartbeat:Filesystem";
    static final String OUTPUTS_PLACEHOLDER = "<OUTPUTS>";
    private static final String STICKINESS = "resource-stickiness";
    /** setup's resource defaults (SetupPlanner): above the 50 by which it prefers the first active. */
    private static final long RECIPE_STICKINESS = 100;
    private static final long SCORE_INFINITY = 1_000_000;

    /**
     * What adoption is judged from: one node's Pacemaker view, and what each node says of itself.
     *
     * @param node the node whose crm_mon and CIB constraints were read
     * @param constraints the CIB's constraints, or null when they could not be read
     * @param services each node's NFO service state (by node name), where read
     * @param drbdResources the DRBD resources the nodes report ({@code drbdadm status}), empty without DRBD
     * @param outputs NFO's outputs as the nodes' gate drop rules hold them, empty when no node's gate holds any
     */
    record ClusterReading(String node, Instant at, ClusterStatus status, Cib constraints, Map<String, ServiceState> services,
                          Set<String> drbdResources, List<GateDestination> outputs) {
    }

    private final ClusterView pair;
    private final ClusterReading reading;
    private final ClusterStatus status;
    private final ResourceRelations relations;
    private final Map<String, Resource.Primitive> primitives = new LinkedHashMap<>();
    private final List<Found> found = new ArrayList<>();
    private final List<String> ambiguities = new ArrayList<>();
    private final List<Difference> differences = new ArrayList<>();
    private String modeReason;

    private AdoptionJudge(ClusterView pair, ClusterReading reading) {
        this.pair = pair;
        this.reading = reading;
        this.status = reading.status();
        List<Constraint> constraints = reading.constraints() == null ? List.of() : reading.constraints().constraints();
        this.relations = ResourceRelations.of(status.resources(), constraints);
        for (Resource.Primitive p : status.primitives()) {
            String id = base(p.id());
            if (!relations.inBundle(id) && p.agent() != null && !p.agent().startsWith("stonith:")) {
                primitives.putIfAbsent(id, p);
            }
        }
    }

    static Adoption judge(ClusterView pair, ClusterReading reading) {
        return new AdoptionJudge(pair, reading).judge();
    }

    /** The ids of every resource the reading shows (any depth, clone suffixes removed): what a mapping may name. */
    static Set<String> resourceIds(ClusterReading reading) {
        Set<String> ids = new LinkedHashSet<>(reading.status().resourceIds());
        if (reading.constraints() != null) {
            ids.addAll(reading.constraints().resourceIds());
        }
        return ids;
    }

    private Adoption judge() {
        String nfo = nfo();
        String vip = choose("VIP", agent(VIP_AGENTS::contains), pair.vipResource(), "IPaddr2 primitive");
        String gate = choose("gate", agent(GateAgent.PACEMAKER_AGENT::equals), pair.gateResource(), GateAgent.PACEMAKER_AGENT + " primitive");
        String drbd = choose("DRBD (Pacemaker)", agent(DRBD_AGENT::equals).and(id -> relations.clone(id)
                .map(Resource.Clone::promotable).orElse(false)), null, DRBD_AGENT + " primitive in a promotable clone");
        ClusterMode mode = mode(nfo, drbd);
        // the file system and DRBD's own resource are Cold's; a Hot cluster's other mounts are not NFO's business
        String drbdResource = mode == ClusterMode.COLD ? drbdResource() : null;
        String filesystem = mode == ClusterMode.COLD ? filesystem(drbd) : null;
        fencing();
        foundFencing();

        if (mode != null && mode != pair.mode()) {
            differences.add(new Difference("mode-differs", Severity.WARNING, "The pair is registered " + pair.mode() + "; the cluster is "
                    + "built " + mode, "The monitor judges roles by the pair's mode: a " + mode + " cluster judged as " + pair.mode()
                    + " shows wrong roles and findings. Accepting this proposal sets the pair to " + mode + ".", List.of()));
        }
        if (nfo != null) {
            unitEnabled(nfo);
            if (reading.constraints() == null) {
                differences.add(new Difference("constraints-unread", Severity.WARNING, "The cluster's constraints could not be read",
                        "Tandem cannot tell where Pacemaker places the VIP and the gate, nor in which order it starts them: none of "
                                + "that was checked. Read them on " + reading.node() + ":", List.of("cibadmin --query --scope constraints")));
            } else if (mode == ClusterMode.HOT) {
                hot(nfo, vip, gate);
                failBack(java.util.stream.Stream.of(vip, gate));
                stickiness(java.util.stream.Stream.of(vip, gate));
            } else {
                cold(nfo, vip, gate, drbd, filesystem);
                failBack(java.util.stream.Stream.of(nfo, vip, gate, filesystem));
                stickiness(java.util.stream.Stream.of(nfo, vip, gate, filesystem));
            }
        }
        if (drbd != null && drbdResource != null && !drbd.equals(drbdResource)) {
            differences.add(new Difference("drbd-named-apart", Severity.INFO, "Pacemaker runs DRBD's " + drbdResource + " as " + drbd,
                    "Tandem reads DRBD's state by the resource's own name (" + drbdResource + ") and Pacemaker's by its agent: "
                            + drbd + " is the only DRBD primitive in a promotable clone. With a second DRBD clone in this cluster "
                            + "Tandem could not tell which is NFO's and would not compare them; setup names the primitive after "
                            + "the resource, which removes that doubt.", List.of()));
        }
        ClusterMode proposedMode = mode == null ? pair.mode() : mode;
        Mapping proposed = new Mapping(proposedMode, nfo, vip, gate, drbdResource);
        Mapping current = new Mapping(pair.mode(), pair.nfoResource(), pair.vipResource(), pair.gateResource(), pair.drbdResource());
        return new Adoption(reading.node(), reading.at(), token(pair, reading), mode, modeReason, proposed, current, found,
                ambiguities, differences);
    }

    private String nfo() {
        Set<String> units = new LinkedHashSet<>();
        pair.nodes().forEach(n -> units.add(unitBase(n.serviceUnit())));
        List<String> candidates = ids(id -> {
            String agent = primitives.get(id).agent();
            return SERVICE_CLASSES.contains(agentClass(agent)) && units.contains(unitBase(agentType(agent)));
        });
        String sought = "systemd or LSB primitive of NFO's unit (" + String.join(", ", units) + ")";
        if (candidates.isEmpty() && primitives.containsKey(pair.nfoResource())) {
            Resource.Primitive p = primitives.get(pair.nfoResource());
            found.add(found("NFO", pair.nfoResource(), pair.nfoResource(), "kept: it is the name the pair holds, although its agent "
                    + p.agent() + " does not run NFO's unit (" + String.join(", ", units) + ")"));
            return pair.nfoResource();
        }
        if (candidates.isEmpty()) {
            ambiguities.add("No primitive runs NFO's unit (" + String.join(", ", units) + ") as systemd or LSB: Tandem does not guess "
                    + "which resource is NFO. Name it in the mapping (nfoResource), or correct the unit on the pair's edit page.");
        }
        return chosen("NFO", candidates, pair.nfoResource(), sought);
    }

    private String choose(String role, Predicate<String> matches, String holds, String sought) {
        return chosen(role, ids(matches), holds, sought);
    }

    /** One candidate is the answer; several are said plainly and none is picked, unless the pair already names one. */
    private String chosen(String role, List<String> candidates, String holds, String sought) {
        if (candidates.size() == 1) {
            found.add(found(role, candidates.get(0), holds, "the only " + sought));
            return candidates.get(0);
        }
        if (candidates.isEmpty()) {
            found.add(found(role, null, holds, "no " + sought + " in the cluster"));
            return null;
        }
        if (holds != null && candidates.contains(holds)) {
            ambiguities.add("Several resources could be the " + role + " (" + String.join(", ", candidates) + "); the pair's "
                    + holds + " is kept. Name another in the mapping if that is wrong.");
            found.add(found(role, holds, holds, "one of several: " + String.join(", ", candidates)));
            return holds;
        }
        ambiguities.add("Several resources could be the " + role + " (" + String.join(", ", candidates) + "): Tandem does not "
                + "guess. Name the one in the mapping.");
        found.add(found(role, null, holds, "several candidates: " + String.join(", ", candidates)));
        return null;
    }

    /** DRBD's own name for its resource, as the monitor reads it from the nodes' DRBD status. */
    private String drbdResource() {
        List<String> names = List.copyOf(new TreeSet<>(reading.drbdResources()));
        String holds = pair.drbdResource();
        if (holds != null && names.contains(holds)) {
            found.add(new Found("DRBD resource", holds, null, null, List.of(), holds, "reported by the nodes' DRBD status"));
            return holds;
        }
        if (names.isEmpty()) {
            found.add(new Found("DRBD resource", null, null, null, List.of(), holds, "the nodes report no DRBD resource"));
            return null;
        }
        return chosen("DRBD resource", names, holds, "DRBD resource the nodes report");
    }

    private String filesystem(String drbd) {
        List<String> all = ids(agent(FILESYSTEM_AGENT::equals));
        List<String> onDrbd = drbd == null ? List.of() : all.stream().filter(fs -> relations.placedWith(fs, cloneOf(drbd), true)).toList();
        return chosen("file system", onDrbd.size() == 1 ? onDrbd : all, null, "Filesystem primitive"
                + (onDrbd.size() == 1 ? " on the Promoted DRBD" : ""));
    }

    private ClusterMode mode(String nfo, String drbd) {
        if (nfo != null) {
            Optional<Resource.Clone> clone = relations.clone(nfo);
            if (clone.isPresent() && !clone.get().promotable()) {
                modeReason = nfo + " runs on both nodes (clone " + clone.get().id() + "): Active/Passive Hot";
                return ClusterMode.HOT;
            }
            modeReason = nfo + " runs on one node at a time" + (drbd != null ? ", with " + drbd + " replicating under it" : "")
                    + ": Active/Passive Cold";
            return ClusterMode.COLD;
        }
        if (drbd != null) {
            modeReason = "a promotable DRBD clone (" + cloneOf(drbd) + "): Active/Passive Cold";
            return ClusterMode.COLD;
        }
        modeReason = "cannot be told without NFO's resource";
        return null;
    }

    private void hot(String nfo, String vip, String gate) {
        String nfoClone = cloneOf(nfo);
        if (vip != null) {
            require(relations.placedWith(vip, nfoClone, false), "vip-not-with-nfo", Severity.WARNING,
                    vip + " is not placed with a running " + nfo,
                    "Pacemaker may move the VIP to a node where NFO is not running: the flows arrive where nothing listens.",
                    pcs("constraint", "colocation", "add", vip, "with", nfoClone, "INFINITY"));
            require(relations.startsAfter(vip, nfoClone), "vip-not-after-nfo", Severity.INFO, vip + " does not start after " + nfoClone,
                    "At start the VIP may come up before NFO listens: a moment of flows to nothing.",
                    pcs("constraint", "order", "start", nfoClone, "then", "start", vip));
        }
        String placedWith = vip != null ? vip : nfoClone;
        if (gate == null) {
            gateMissing(Severity.CRITICAL, "Nothing blocks the passive's output: both NFOs send to the outputs, and the SIEM gets "
                    + "every record twice.", placedWith, vip, null);
            return;
        }
        boolean with = vip != null ? relations.together(gate, vip) : relations.placedWith(gate, nfoClone, false);
        require(with, "gate-not-with-vip", Severity.CRITICAL, gate + " is not placed with " + placedWith,
                "The gate may open on a node without the VIP: the node that receives the flows stays blocked (nothing sent), or "
                        + "both nodes send.", pcs("constraint", "colocation", "add", gate, "with", placedWith, "INFINITY"));
        gateAfterVip(gate, vip);
    }

    private void cold(String nfo, String vip, String gate, String drbd, String filesystem) {
        String group = relations.group(nfo).orElse(null);
        if (drbd == null) {
            differences.add(new Difference("drbd-missing", Severity.CRITICAL, "No DRBD replicates NFO's configuration",
                    "The node that takes over starts NFO with its own configuration, which may be old. Set up DRBD for the volume "
                            + "(setup's DRBD steps), then add it to Pacemaker:",
                    List.of(pcs("resource", "create", nfo + "-drbd", DRBD_AGENT, "drbd_resource=<DRBD-RESOURCE>", "op", "monitor",
                            "interval=29s", "role=Promoted", "op", "monitor", "interval=31s", "role=Unpromoted", "promotable",
                            "promoted-max=1", "promoted-node-max=1", "clone-max=2", "clone-node-max=1", "notify=true"))));
        }
        if (filesystem == null) {
            List<String> commands = new ArrayList<>(List.of(pcs(withGroup(List.of("resource", "create", nfo + "-fs", FILESYSTEM_AGENT,
                    "device=<DRBD-DEVICE>", "directory=<MOUNT-POINT>", "fstype=ext4", "op", "monitor", "interval=20s"), group, nfo))));
            if (group == null) {
                commands.add(pcs("constraint", "colocation", "add", nfo, "with", nfo + "-fs", "INFINITY"));
                commands.add(pcs("constraint", "order", "start", nfo + "-fs", "then", "start", nfo));
            }
            differences.add(new Difference("filesystem-missing", Severity.CRITICAL, "No file system resource mounts NFO's volume",
                    "Pacemaker does not mount the replicated volume where NFO starts: NFO reads whatever lies under the mount point.",
                    commands));
        } else {
            String placed = relations.group(filesystem).orElse(filesystem);
            if (drbd != null) {
                String drbdClone = cloneOf(drbd);
                require(relations.placedWith(filesystem, drbdClone, true), "filesystem-not-with-promoted", Severity.CRITICAL,
                        filesystem + " is not placed with the Promoted " + drbdClone,
                        "The volume may be mounted where DRBD is not Primary: the mount fails, and NFO starts without its "
                                + "configuration.", pcs("constraint", "colocation", "add", placed, "with", "Promoted", drbdClone, "INFINITY"));
                require(relations.startsAfterPromote(filesystem, drbdClone), "filesystem-not-after-promote", Severity.CRITICAL,
                        filesystem + " does not start after " + drbdClone + " is promoted",
                        "Pacemaker may mount the volume before DRBD is Primary there: the mount fails and takes NFO down with it.",
                        pcs("constraint", "order", "promote", drbdClone, "then", "start", placed));
            }
            require(relations.together(nfo, filesystem), "nfo-not-with-filesystem", Severity.CRITICAL,
                    nfo + " is not placed with " + filesystem,
                    "NFO may start on the node where its configuration volume is not mounted.",
                    pcs("constraint", "colocation", "add", nfo, "with", filesystem, "INFINITY"));
            require(relations.startsAfter(nfo, filesystem), "nfo-not-after-filesystem", Severity.WARNING,
                    nfo + " does not start after " + filesystem,
                    "NFO may start before its volume is mounted, and read the empty mount point's configuration.",
                    pcs("constraint", "order", "start", filesystem, "then", "start", nfo));
        }
        if (vip == null) {
            List<String> commands = new ArrayList<>(List.of(pcs(withGroup(List.of("resource", "create", pair.vipResource(),
                    "ocf:heartbeat:IPaddr2", "ip=<VIP-ADDRESS>", "cidr_netmask=<PREFIX>", "op", "monitor", "interval=10s", "timeout=20s"),
                    group, null))));
            if (group == null) {
                commands.add(pcs("constraint", "colocation", "add", pair.vipResource(), "with", nfo, "INFINITY"));
            }
            differences.add(new Difference("vip-missing", Severity.WARNING, "No VIP follows NFO",
                    "In Cold mode only the active runs NFO: without an address that moves with it, the exporters must be "
                            + "re-pointed by hand after a failover.", commands));
        } else {
            require(relations.together(vip, nfo), "vip-not-with-nfo", Severity.WARNING, vip + " is not placed with " + nfo,
                    "The VIP may stay on a node where NFO is stopped: the flows arrive where nothing listens.",
                    pcs("constraint", "colocation", "add", vip, "with", nfo, "INFINITY"));
        }
        if (gate == null) {
            gateMissing(Severity.WARNING, "While Pacemaker works, the passive's NFO is stopped and sends nothing; but nothing "
                    + "blocks an NFO started there by hand or at boot from sending too.", nfo, vip, group);
            return;
        }
        require(relations.together(gate, nfo), "gate-not-with-nfo", Severity.CRITICAL, gate + " is not placed with " + nfo,
                "The gate may open where NFO is stopped and stay blocked where NFO runs: nothing reaches the outputs.",
                pcs("constraint", "colocation", "add", gate, "with", nfo, "INFINITY"));
        gateAfterVip(gate, vip);
    }

    /**
     * A location constraint that pins what follows the active to a node at INFINITY outweighs any stickiness: Pacemaker
     * moves the output back there as soon as it can run there again, a second handover after every failover that
     * nobody chose the moment of. The recipe prefers the first active by 50, below a stickiness of 100. A move's own
     * cli-prefer is the leftover finding's business, not this.
     */
    private void failBack(java.util.stream.Stream<String> followers) {
        Set<String> names = withParents(followers.toList());
        for (Constraint c : reading.constraints().constraints()) {
            if (c instanceof Constraint.Location l && !l.isLeftoverMove() && l.node() != null && infinite(l.score())
                    && l.resources().stream().anyMatch(names::contains)) {
                String resource = l.resources().stream().filter(names::contains).findFirst().orElseThrow();
                differences.add(new Difference("fails-back", Severity.WARNING, l.id() + " pins " + resource + " to " + l.node()
                        + " at INFINITY", "Pacemaker moves the output back to " + l.node() + " as soon as it can run there again: "
                        + "after every failover a second handover that nobody planned, at a moment nobody chose. Prefer the "
                        + "node by less than the stickiness, as setup does:", List.of(pcs("constraint", "delete", l.id()),
                        pcs("constraint", "location", resource, "prefers", l.node() + "=50"),
                        pcs("resource", "defaults", "update", "resource-stickiness=100"))));
            }
        }
    }

    /** The followers with the group and clone each is in: a constraint or a meta attribute on either applies to it. */
    private Set<String> withParents(List<String> followers) {
        Set<String> names = new LinkedHashSet<>();
        followers.stream().filter(java.util.Objects::nonNull).forEach(id -> {
            names.add(id);
            relations.group(id).ifPresent(names::add);
            relations.clone(id).map(c -> base(c.id())).ifPresent(names::add);
        });
        return names;
    }

    /**
     * The recipe keeps the output where it runs with a stickiness (100) above the preference for the first active (50).
     * A preference at or above what follows the active's stickiness moves the output back when the preferred node
     * returns, a second handover nobody chose (at INFINITY {@link #failBack} has said so); with no stickiness at all,
     * Pacemaker may move it when a node rejoins. Judged only where the configuration was read, not from a document of
     * constraints alone (an older agent's snapshot), which says nothing of the meta attributes. Pacemaker adds up a group's
     * members' stickiness; this compares each resource's own, so it may warn of a group that would in fact stay.
     */
    private void stickiness(java.util.stream.Stream<String> followers) {
        Cib cib = reading.constraints();
        if (cib.resourceDefaults().isEmpty()) {
            return;
        }
        List<String> primitives = followers.filter(java.util.Objects::nonNull).toList();
        Set<String> names = withParents(primitives);
        Map<String, Stickiness> unreadable = new LinkedHashMap<>();
        boolean failsBack = differences.stream().anyMatch(d -> d.id().equals("fails-back"));
        for (Constraint c : cib.constraints()) {
            if (!(c instanceof Constraint.Location l) || l.isLeftoverMove() || l.node() == null || infinite(l.score())) {
                continue;
            }
            Long preference = score(l.score());
            String resource = l.resources().stream().filter(names::contains).findFirst().orElse(null);
            if (preference == null || preference <= 0 || resource == null) {
                continue;
            }
            Stickiness held = stickinessOf(resource);
            if (held.score().isEmpty()) {
                unreadable.putIfAbsent(held.source(), held);
            } else if (held.score().get() < SCORE_INFINITY && preference >= held.score().get()) {
                failsBack = true;
                List<String> commands = new ArrayList<>(List.of(held.raise()));
                if (preference >= RECIPE_STICKINESS) {
                    commands.add(pcs("constraint", "delete", l.id()));
                    commands.add(pcs("constraint", "location", resource, "prefers", l.node() + "=50"));
                }
                differences.add(new Difference("fails-back", Severity.WARNING, l.id() + " prefers " + l.node() + " for " + resource
                        + " by " + l.score().trim() + ", not less than its resource-stickiness (" + held.said() + ")",
                        "Pacemaker moves the output back to " + l.node() + " when that node returns: after every failover a "
                                + "second handover that nobody planned, at a moment nobody chose. Keep the stickiness above the "
                                + "preference, as setup does (stickiness 100, the first active preferred by 50):", commands));
            }
        }
        List<Stickiness> none = new ArrayList<>();
        for (String id : primitives) {
            Stickiness held = stickinessOf(id);
            if (held.score().isEmpty()) {
                unreadable.putIfAbsent(held.source(), held);
            } else if (held.score().get() <= 0 && none.stream().noneMatch(n -> n.source().equals(held.source()))) {
                none.add(held);
            }
        }
        unreadable.values().forEach(u -> differences.add(new Difference("stickiness-unreadable", Severity.WARNING,
                "resource-stickiness " + u.where() + " is '" + u.value() + "', which is not a score",
                "A score is a whole number or INFINITY. Tandem cannot read this one, so it did not judge whether Pacemaker "
                        + "moves the output back when a node returns. Set it as setup does:", List.of(u.raise()))));
        if (!failsBack && !none.isEmpty()) {
            Stickiness first = none.get(0);
            String title = first.value() == null ? "resource-stickiness is not set: Pacemaker may move the output when a node rejoins"
                    : "resource-stickiness " + first.where() + " is " + first.value() + ": Pacemaker may move the output when a "
                    + "node rejoins";
            String negative = none.stream().anyMatch(n -> n.score().get() < 0) ? " A negative stickiness even pushes a resource "
                    + "away from the node it runs on." : "";
            differences.add(new Difference("no-stickiness", Severity.INFO, title, "Without a stickiness nothing holds the output "
                    + "where it runs: when a node rejoins, Pacemaker may move it for a placement it scores equal or better, a "
                    + "handover nobody chose." + negative + " Setup sets a stickiness of 100:",
                    none.stream().map(Stickiness::raise).distinct().toList()));
        }
    }

    /**
     * A resource's stickiness as Pacemaker applies it: its own meta attribute, else its group's, else its clone's, else
     * the resource defaults'; unset is 0.
     */
    private Stickiness stickinessOf(String id) {
        Cib cib = reading.constraints();
        List<String> chain = new ArrayList<>(List.of(id));
        relations.group(id).ifPresent(chain::add);
        relations.clone(id).map(c -> base(c.id())).filter(c -> !c.equals(id)).ifPresent(chain::add);
        for (String at : chain) {
            Optional<String> own = cib.meta(at, STICKINESS);
            if (own.isPresent()) {
                return new Stickiness(own.get(), at);
            }
        }
        return new Stickiness(cib.resourceDefaults().orElse(Map.of()).get(STICKINESS), null);
    }

    /**
     * Where a resource's stickiness comes from and what it says.
     *
     * @param value as written, null when nothing sets it
     * @param resource the resource whose meta attribute sets it, null for the resource defaults
     */
    private record Stickiness(String value, String resource) {

        /** Empty when the value is not a score; INFINITY as 1000000, which no preference outweighs. */
        Optional<Long> score() {
            if (value == null) {
                return Optional.of(0L);
            }
            if (infinite(value)) {
                return Optional.of(SCORE_INFINITY);
            }
            return Optional.ofNullable(AdoptionJudge.score(value));
        }

        String source() {
            return resource == null ? "" : resource;
        }

        String where() {
            return resource == null ? "(resource defaults)" : "of " + resource;
        }

        String said() {
            return (value == null ? "not set, so 0" : value.trim()) + (resource == null ? ", resource defaults" : ", on " + resource);
        }

        String raise() {
            return resource == null ? pcs("resource", "defaults", "update", STICKINESS + "=" + RECIPE_STICKINESS)
                    : pcs("resource", "meta", resource, STICKINESS + "=" + RECIPE_STICKINESS);
        }
    }

    /** A score as a number (INFINITY and anything beyond it as 1000000, as Pacemaker caps it), null when it is not one. */
    private static Long score(String score) {
        String s = score == null ? "" : score.trim().toUpperCase(java.util.Locale.ROOT);
        if (s.equals("-INFINITY")) {
            return -SCORE_INFINITY;
        }
        if (infinite(s)) {
            return SCORE_INFINITY;
        }
        if (!s.matches("[+-]?\\d{1,18}")) {
            return null;
        }
        return Math.max(-SCORE_INFINITY, Math.min(SCORE_INFINITY, Long.parseLong(s)));
    }

    private static boolean infinite(String score) {
        String s = score == null ? "" : score.trim().toUpperCase(java.util.Locale.ROOT);
        return s.equals("INFINITY") || s.equals("+INFINITY");
    }

    private void gateAfterVip(String gate, String vip) {
        if (vip != null) {
            require(relations.startsAfter(gate, vip), "gate-not-after-vip", Severity.INFO, gate + " does not start after " + vip,
                    "The output may open a moment before the address that receives the flows is up.",
                    pcs("constraint", "order", "start", vip, "then", "start", gate));
        }
    }

    /**
     * The recipe's gate: the agent on both nodes, each gate set as the agent leaves it (so Pacemaker's first probe finds
     * a known state, ADR 0018), then the resource with the pair's outputs, placed with the VIP and started after it.
     */
    private void gateMissing(Severity severity, String meaning, String placedWith, String vip, String group) {
        String gate = pair.gateResource();
        List<String> active = vip != null ? List.copyOf(status.nodesRunning(vip)) : List.of();
        // the gate opens where the VIP is; without one, on the pair's first node (the operator may pick the other)
        String activeNode = active.size() == 1 ? active.get(0) : pair.nodes().get(0).name();
        String outputs = reading.outputs().isEmpty() ? OUTPUTS_PLACEHOLDER
                : reading.outputs().stream().map(AdoptionJudge::output).collect(Collectors.joining(","));
        List<String> commands = new ArrayList<>();
        pair.nodes().forEach(n -> commands.add(SetupPlanner.gateAgentInstall(n.name())));
        String open = SetupPlanner.shell(OutputGate.openCommand());
        for (ClusterView.NodeView n : pair.nodes()) {
            if (n.name().equals(activeNode)) {
                commands.add(open + "   # on " + n.name());
            } else if (!reading.outputs().isEmpty()) {
                commands.add(SetupPlanner.shell(OutputGate.blockCommand(reading.outputs())) + "   # on " + n.name());
            } else {
                commands.add(open + "   # on " + n.name() + ", then the next line once per output");
                commands.add(SetupPlanner.shell("nft", "add rule " + OutputGate.FAMILY + " " + OutputGate.TABLE + " " + OutputGate.CHAIN
                        + " <ip|ip6> daddr <ADDRESS> <udp|tcp> dport <PORT> counter drop comment \"" + OutputGate.COMMENT + "\"")
                        + "   # on " + n.name());
            }
        }
        commands.add(pcs(withGroup(List.of("resource", "create", gate, GateAgent.PACEMAKER_AGENT, "destinations=" + outputs,
                "op", "monitor", "interval=10s", "timeout=20s"), group, null)));
        if (group == null) {
            commands.add(pcs("constraint", "colocation", "add", gate, "with", placedWith, "INFINITY"));
            if (vip != null) {
                commands.add(pcs("constraint", "order", "start", vip, "then", "start", gate));
            }
        }
        String known = reading.outputs().isEmpty() ? " " + OUTPUTS_PLACEHOLDER + " is NFO's outputs, comma-separated, as "
                + "udp:HOST:PORT or tcp:HOST:PORT: no node's gate holds them, so Tandem does not know them."
                : " The outputs are those the nodes' gate rules drop today.";
        differences.add(new Difference("gate-missing", severity, "No output gate (" + GateAgent.PACEMAKER_AGENT + ")", meaning + known,
                commands));
    }

    private void fencing() {
        boolean devices = !status.fencingDevices().isEmpty();
        List<String> create = List.of(pcs("stonith", "create", "nfo-fence", "<FENCE-AGENT>", "<PARAMETER>=<VALUE>", "op", "monitor",
                "interval=60s"));
        if (!status.options().stonithEnabled()) {
            List<String> commands = new ArrayList<>(devices ? List.of() : create);
            commands.add(pcs("property", "set", "stonith-enabled=true"));
            differences.add(new Difference("fencing-disabled", Severity.CRITICAL, "Fencing is disabled (stonith-enabled=false)",
                    "A node that stops answering is assumed dead without being fenced: both nodes may run NFO with the output "
                            + "open" + (pair.mode() == ClusterMode.COLD ? ", and both may write the DRBD volume (split brain)." : "."),
                    commands));
        } else if (!devices) {
            differences.add(new Difference("fencing-no-device", Severity.CRITICAL, "Fencing is enabled but no fence device exists",
                    "Pacemaker cannot fence a node that stops answering, so it waits instead of taking over.", create));
        }
    }

    private void foundFencing() {
        List<String> devices = status.fencingDevices().stream().map(p -> base(p.id())).distinct().toList();
        found.add(new Found("fencing", devices.isEmpty() ? null : String.join(", ", devices), null, null, List.of(), null,
                "stonith-enabled=" + status.options().stonithEnabled()));
    }

    private void unitEnabled(String nfo) {
        List<String> nodes = reading.services().entrySet().stream().filter(e -> e.getValue() != null && e.getValue().enabledAtBoot())
                .map(Map.Entry::getKey).sorted().toList();
        if (nodes.isEmpty()) {
            return;
        }
        List<String> commands = pair.nodes().stream().filter(n -> nodes.contains(n.name()))
                .map(n -> SetupPlanner.shell("systemctl", "disable", n.serviceUnit()) + "   # on " + n.name()).toList();
        differences.add(new Difference("nfo-unit-enabled", Severity.WARNING, "NFO's unit is enabled in systemd on "
                + String.join(" and ", nodes) + " while Pacemaker runs NFO (" + nfo + ")",
                "At boot systemd starts NFO there before Pacemaker decides where it runs: on the passive an NFO Pacemaker did "
                        + "not start may run (Cold) or run twice, and Pacemaker's probe finds it where it did not expect it.",
                commands));
    }

    private void require(boolean holds, String id, Severity severity, String title, String meaning, String command) {
        if (!holds) {
            differences.add(new Difference(id, severity, title, meaning, List.of(command)));
        }
    }

    private Found found(String role, String resource, String holds, String note) {
        if (resource == null) {
            return new Found(role, null, null, null, List.of(), holds, note);
        }
        String within = relations.group(resource).or(() -> relations.clone(resource).map(Resource.Clone::id)).orElse(null);
        Resource.Primitive p = primitives.get(resource);
        return new Found(role, resource, p == null ? null : p.agent(), within, List.copyOf(status.nodesRunning(resource)), holds, note);
    }

    private List<String> ids(Predicate<String> matches) {
        return primitives.keySet().stream().filter(matches).toList();
    }

    private Predicate<String> agent(Predicate<String> agent) {
        return id -> agent.test(primitives.get(id).agent());
    }

    private String cloneOf(String id) {
        return relations.clone(id).map(c -> base(c.id())).orElse(id);
    }

    private static List<String> withGroup(List<String> create, String group, String after) {
        if (group == null) {
            return create;
        }
        List<String> all = new ArrayList<>(create);
        all.addAll(List.of("--group", group));
        if (after != null) {
            all.addAll(List.of("--before", after));
        }
        return all;
    }

    private static String pcs(String... args) {
        return pcs(List.of(args));
    }

    private static String pcs(List<String> args) {
        List<String> argv = new ArrayList<>(List.of("pcs"));
        argv.addAll(args);
        return SetupPlanner.shell(argv);
    }

    /** As the gate agent's {@code destinations} and setup's form write an output: {@code udp:HOST:PORT}. */
    private static String output(GateDestination d) {
        return d.transport().nft() + ":" + (d.family().equals("ip6") ? "[" + d.address() + "]" : d.address()) + ":" + d.port();
    }

    private static String agentClass(String agent) {
        int colon = agent.indexOf(':');
        return colon < 0 ? agent : agent.substring(0, colon);
    }

    private static String agentType(String agent) {
        return agent.substring(agent.lastIndexOf(':') + 1);
    }

    private static String unitBase(String unit) {
        return unit != null && unit.endsWith(".service") ? unit.substring(0, unit.length() - ".service".length()) : unit;
    }

    private static String base(String id) {
        int colon = id.lastIndexOf(':');
        return colon > 0 && colon < id.length() - 1 && id.substring(colon + 1).chars().allMatch(Character::isDigit)
                ? id.substring(0, colon) : id;
    }

    /**
     * What a proposal was read from: the resources (id, kind, agent, where each sits), the constraints other than a
     * move's leftovers (those come and go with every switchover), fencing, the DRBD resources, and the pair's version.
     * Roles, placement and counters are left out: they change without the cluster changing.
     */
    static String token(ClusterView pair, ClusterReading reading) {
        List<String> lines = new ArrayList<>();
        reading.status().resources().forEach(r -> describe(r, "", lines));
        if (reading.constraints() != null) {
            reading.constraints().constraints().stream().filter(c -> !c.isLeftoverMove()).map(Object::toString).sorted().forEach(lines::add);
        }
        lines.add("stonith-enabled=" + reading.status().options().stonithEnabled());
        reading.status().fencingDevices().stream().map(p -> "fence " + base(p.id()) + " " + p.agent()).distinct().forEach(lines::add);
        new TreeSet<>(reading.drbdResources()).forEach(d -> lines.add("drbd " + d));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(String.join("\n", new LinkedHashSet<>(lines))
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12) + "." + pair.version();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static void describe(Resource r, String within, List<String> lines) {
        String agent = r instanceof Resource.Primitive p ? " " + p.agent() : "";
        lines.add(base(r.id()) + " " + r.getClass().getSimpleName() + agent + within);
        String here = " in " + base(r.id());
        if (r instanceof Resource.Group g) {
            g.members().forEach(m -> describe(m, here, lines));
        } else if (r instanceof Resource.Clone c) {
            c.instances().forEach(i -> describe(i, here + (c.promotable() ? " promotable" : ""), lines));
        } else if (r instanceof Resource.Bundle b) {
            b.replicas().forEach(rep -> rep.primitives().forEach(p -> describe(p, here, lines)));
        }
    }
}
