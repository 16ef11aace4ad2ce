package io.tandem.node;

import java.util.List;

/**
 * A change of a node's output gate that Tandem makes itself, outside Pacemaker: during a make-before-break switchover
 * Tandem opens the target's gate before Pacemaker closes the source's, and blocks it again when the handover did not
 * happen. The argument vector is {@link OutputGate}'s one-transaction rewrite of the chain, never a shell string.
 *
 * @param open true: no drop rules (output flows); false: one drop rule per destination
 * @param destinations the destinations to drop while blocked (empty when opening)
 */
public record GateChange(boolean open, List<GateDestination> destinations) {

    /** NFO has up to 16 outputs; a few more leave room for one output over both transports. */
    public static final int MAX_DESTINATIONS = 32;

    public GateChange {
        destinations = destinations == null ? List.of() : List.copyOf(destinations);
        if (open && !destinations.isEmpty()) {
            throw new IllegalArgumentException("opening the gate takes no destinations");
        }
        if (!open && (destinations.isEmpty() || destinations.size() > MAX_DESTINATIONS)) {
            throw new IllegalArgumentException("blocking the gate needs 1 to " + MAX_DESTINATIONS + " destinations");
        }
    }

    public static GateChange opening() {
        return new GateChange(true, List.of());
    }

    public static GateChange blocking(List<GateDestination> destinations) {
        return new GateChange(false, destinations);
    }

    public List<String> argv() {
        return open ? OutputGate.openCommand() : OutputGate.blockCommand(destinations);
    }

    /** {@code open} or {@code block}, as the agent's API and the audit logs name it. */
    public String verb() {
        return open ? "open" : "block";
    }
}
