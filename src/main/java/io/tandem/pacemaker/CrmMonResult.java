package io.tandem.pacemaker;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of reading {@code crm_mon} output: a cluster status, a cluster that is not running (crm_mon could
 * not connect), or crm_mon reporting an error of its own. Unreadable documents raise {@link PacemakerParseException}
 * instead, so these three are all things a monitor can show.
 */
public sealed interface CrmMonResult permits CrmMonResult.Running, CrmMonResult.NotRunning, CrmMonResult.ToolError {

    /** The cluster status, if there is one. */
    default Optional<ClusterStatus> status() {
        return Optional.empty();
    }

    /** XML format generation the document was written in; the monitor shows it next to version warnings. */
    enum Format { CURRENT, LEGACY }

    record Running(ClusterStatus clusterStatus, Format format) implements CrmMonResult {
        @Override
        public Optional<ClusterStatus> status() {
            return Optional.of(clusterStatus);
        }
    }

    /** {@code <crm-mon-disconnected>}: Pacemaker is not (yet) running on the node that was asked. */
    record NotRunning(String description, Optional<String> pacemakerdState) implements CrmMonResult {
    }

    /** {@code <status code="N">} with N != 0, e.g. 102 "Not connected"; {@code errors} are crm_mon's own lines. */
    record ToolError(int code, String message, List<String> errors) implements CrmMonResult {
        public ToolError {
            errors = List.copyOf(errors);
        }
    }
}
