package io.tandem.operation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An operation as the UI and the API show it, with its journal of steps. */
public record OperationView(UUID id, UUID clusterId, OperationKind kind, String node, Status status, String requestedBy,
        Instant createdAt, Instant finishedAt, String summary, List<StepView> steps) {

    public enum Status { RUNNING, SUCCEEDED, FAILED, INTERRUPTED }

    public enum StepStatus { PENDING, RUNNING, DONE, FAILED, SKIPPED }

    public record StepView(int position, String name, StepStatus status, Instant startedAt, Instant finishedAt,
            String detail) {

        /** Seconds the step took, or has taken so far; null before it started. */
        public Double seconds(Instant now) {
            if (startedAt == null) {
                return null;
            }
            return Duration.between(startedAt, finishedAt == null ? now : finishedAt).toMillis() / 1000.0;
        }
    }

    public OperationView {
        steps = List.copyOf(steps);
    }

    public boolean running() {
        return status == Status.RUNNING;
    }

    /** Finished steps out of all, for the progress bar. */
    public int percentDone() {
        if (steps.isEmpty()) {
            return status == Status.RUNNING ? 0 : 100;
        }
        long done = steps.stream().filter(s -> s.status() == StepStatus.DONE || s.status() == StepStatus.SKIPPED).count();
        return (int) (100 * done / steps.size());
    }
}
