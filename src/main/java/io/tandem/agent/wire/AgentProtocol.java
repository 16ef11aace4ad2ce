package io.tandem.agent.wire;

/** Names both ends of the agent connection must agree on. */
public final class AgentProtocol {

    /** Every problem the agent answers has a {@code type} of this prefix plus a stable slug. */
    public static final String PROBLEM_TYPE_PREFIX = "urn:tandem:agent:problem:";

    public static final String HEALTH = "/v1/health";
    public static final String EVENTS = "/v1/events";
    /** The node snapshot ({@code io.tandem.node.NodeSnapshot} as JSON). */
    public static final String SNAPSHOT = "/v1/snapshot";
    /** Problem slug: the agent runs but cannot read its node; the problem's {@code reason} names the cause. */
    public static final String NODE_UNREADABLE = "node-unreadable";
    public static final String SERVICE = "/v1/service";
    public static final String PCS = "/v1/pacemaker/commands";
    public static final String SETUP_PROBE = "/v1/setup/probe";
    /** Setup's dry run on files ({@code io.tandem.node.SetupDryRun}). */
    public static final String SETUP_DRY_RUN = "/v1/setup/dry-run";
    /** POST one {@code io.tandem.node.SetupCommand} (typed, allow-listed): setup's apply, undo and dismantle. */
    public static final String SETUP_STEPS = "/v1/setup/steps";
    /** Previews of a pcs command: crm_simulate on a copy of the CIB ({@code io.tandem.node.NodeOperations.Simulation}). */
    public static final String PCS_SIMULATIONS = "/v1/pacemaker/simulations";
    /** POST a {@code io.tandem.node.GateChange}: the agent rewrites its node's gate chain. */
    public static final String GATE = "/v1/gate";
    public static final String CONFIG_MANIFEST = "/v1/config/manifest";
    public static final String CONFIG_FILE = "/v1/config/file";
    public static final String CONFIG_CHANGES = "/v1/config/changes";
    public static final String CONFIG_BACKUPS = "/v1/config/backups";
    /** POST with {@code ?keep=N}: removes the backups beyond the newest N; answers the removed ids. */
    public static final String CONFIG_BACKUPS_PRUNE = "/v1/config/backups/prune";

    /** Standard SSE resume header; its value is an event id as the agent wrote it. */
    public static final String LAST_EVENT_ID = "Last-Event-ID";

    /**
     * Event type sent first on a resumed stream when the requested id is no longer in the agent's replay
     * buffer (or belongs to an earlier agent process): the subscriber missed events and must re-read state.
     */
    public static final String REPLAY_GAP_EVENT = "agent.replay-gap";

    /** Access tokens start with this, so a leaked one is recognisable in logs and secret scanners. */
    public static final String TOKEN_PREFIX = "tagent_";

    private AgentProtocol() {
    }

    public static String problemType(String slug) {
        return PROBLEM_TYPE_PREFIX + slug;
    }
}
