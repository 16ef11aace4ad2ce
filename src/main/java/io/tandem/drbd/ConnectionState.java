package io.tandem.drbd;

/**
 * DRBD connection states (DRBD 9 names, plus 8.4's {@code WFConnection} / {@code WFReportParams}).
 * {@code UNKNOWN} is an unrecognised word.
 */
public enum ConnectionState {
    STANDALONE, DISCONNECTING, UNCONNECTED, TIMEOUT, BROKEN_PIPE, NETWORK_FAILURE, PROTOCOL_ERROR, TEAR_DOWN,
    CONNECTING, CONNECTED, WF_CONNECTION, WF_REPORT_PARAMS, UNKNOWN;

    public static ConnectionState of(String text) {
        return States.lookup(ConnectionState.class, text, UNKNOWN);
    }
}
