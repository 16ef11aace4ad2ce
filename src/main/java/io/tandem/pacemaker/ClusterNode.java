package io.tandem.pacemaker;

/**
 * One node as {@code crm_mon} reports it. {@code id} is the corosync node id (a number) for members and the
 * node name for remote and guest nodes.
 */
public record ClusterNode(
        String name,
        String id,
        boolean online,
        boolean standby,
        boolean standbyOnFail,
        boolean maintenance,
        boolean pending,
        boolean unclean,
        boolean shutdown,
        boolean expectedUp,
        boolean dc,
        int resourcesRunning,
        Type type) {

    public enum Type {
        MEMBER, REMOTE, PING, UNKNOWN;

        static Type of(String text) {
            if (text == null) {
                return UNKNOWN;
            }
            return switch (text.trim().toLowerCase()) {
                case "member" -> MEMBER;
                case "remote" -> REMOTE;
                case "ping" -> PING;
                default -> UNKNOWN;
            };
        }
    }

    /** Able to run resources right now: the usual meaning of "healthy" for a node in the console. */
    public boolean available() {
        return online && !standby && !maintenance && !unclean && !pending && !shutdown;
    }
}
