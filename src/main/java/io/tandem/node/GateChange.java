package io.tandem.node;

import java.time.Instant;
import java.util.List;

/**
 * A change of a node's output gate that Tandem makes itself, outside Pacemaker: during a make-before-break switchover
 * Tandem opens the target's gate, then holds the source's blocked until Pacemaker blocks it itself, and undoes both
 * when the handover did not happen. The argument vector is {@link OutputGate}'s one-transaction rewrite of the chain,
 * never a shell string.
 *
 * @param open true: no drop rules (output flows); false: one drop rule per destination
 * @param destinations the destinations to drop while blocked (empty when opening)
 * @param holdUntil for a block, when it is Tandem's hold of a gate Pacemaker runs: the hold's deadline (gate agent
 *        1.2 reads the hold as running until then); null for a plain block and for opening
 */
public record GateChange(boolean open, List<GateDestination> destinations, Instant holdUntil) {

    /** NFO has up to 16 outputs; a few more leave room for one output over both transports. */
    public static final int MAX_DESTINATIONS = 32;

    public GateChange {
        destinations = destinations == null ? List.of() : List.copyOf(destinations);
        if (open && !destinations.isEmpty()) {
            throw new IllegalArgumentException("opening the gate takes no destinations");
        }
        if (open && holdUntil != null) {
            throw new IllegalArgumentException("opening the gate takes no hold deadline");
        }
        if (!open && (destinations.isEmpty() || destinations.size() > MAX_DESTINATIONS)) {
            throw new IllegalArgumentException("blocking the gate needs 1 to " + MAX_DESTINATIONS + " destinations");
        }
        if (holdUntil != null) {
            OutputGate.holdComment(holdUntil); // refuses a deadline the rule comment cannot carry
        }
    }

    public static GateChange opening() {
        return new GateChange(true, List.of(), null);
    }

    public static GateChange blocking(List<GateDestination> destinations) {
        return new GateChange(false, destinations, null);
    }

    /** Blocked by Tandem for a handover until {@code until}, while Pacemaker still runs the gate on this node. */
    public static GateChange holding(List<GateDestination> destinations, Instant until) {
        return new GateChange(false, destinations, java.util.Objects.requireNonNull(until, "until"));
    }

    public List<String> argv() {
        return open ? OutputGate.openCommand()
                : holdUntil != null ? OutputGate.holdCommand(destinations, holdUntil)
                : OutputGate.blockCommand(destinations);
    }

    /** {@code open}, {@code block} or {@code hold}, as the agent's API and the audit logs name it. */
    public String verb() {
        return open ? "open" : holdUntil != null ? "hold" : "block";
    }
}
