package io.tandem.lab.sim;

import java.util.Arrays;
import java.util.Locale;

/** What an operator can break in the demo lab, by the id the demo UI and API use. */
public enum Fault {
    /** NFO's process dies (SIGKILL); Pacemaker's monitor notices about 2 s later and restarts it in place. */
    KILL_NFO,
    /** The whole node goes down: its tools stop answering and its NFO dies with it. */
    CRASH_NODE,
    /** The exporters stop sending templates to this node and its NFO loses the ones it had. */
    STOP_TEMPLATES,
    /** A configuration file changes under the node's NFO home; NFO reads it only at its next start. */
    CHANGE_CONFIG,
    /** The DRBD replication link breaks (Cold pairs only). */
    BREAK_DRBD,
    /** Someone opens the node's output gate by hand. */
    OPEN_GATE,
    /** Someone blocks the node's output gate by hand. */
    BLOCK_GATE;

    /** {@code kill-nfo}, {@code crash-node}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Fault of(String id) {
        return Arrays.stream(values()).filter(f -> f.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown fault '" + id + "'; known: "
                        + Arrays.stream(values()).map(Fault::id).toList()));
    }
}
