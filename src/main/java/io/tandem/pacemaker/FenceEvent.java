package io.tandem.pacemaker;

/**
 * One entry of the fencing history: who was fenced, how, and whether it worked. Legacy XML calls the outcome
 * {@code state}, the current API {@code status}; both land in {@code status}.
 */
public record FenceEvent(
        String target,
        String action,
        String status,
        String origin,
        String delegate,
        String client,
        String completed,
        String exitReason) {

    public boolean succeeded() {
        return "success".equalsIgnoreCase(status);
    }
}
