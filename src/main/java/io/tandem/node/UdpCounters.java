package io.tandem.node;

/**
 * The kernel's system-wide UDP counters (the {@code Udp:} pair in {@code /proc/net/snmp}, or the {@code Udp6*}
 * lines of {@code /proc/net/snmp6}), counted since boot. {@link #rcvbufErrors()} growing while NFO runs is
 * the flow data being lost before NFO ever sees it; {@link #noPorts()} growing means flows arrive for a port
 * nothing listens on.
 */
public record UdpCounters(long inDatagrams, long noPorts, long inErrors, long outDatagrams, long rcvbufErrors,
        long sndbufErrors, long inCsumErrors) {
}
