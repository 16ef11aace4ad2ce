package io.tandem.node;

import java.time.Instant;

/**
 * One snapshot of what is true on a node, as every adapter (agent, SSH) delivers it. The agent and the console
 * extend it (Pacemaker, DRBD, templates, manifest summary); each part is its own record so that growing this one
 * stays cheap.
 *
 * @param takenAt when the snapshot was completed, by the node's clock
 */
public record NodeFacts(HostFacts host, ServiceState service, UdpFacts udp, GateState gate, Instant takenAt) {
}
