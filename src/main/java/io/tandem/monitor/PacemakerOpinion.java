package io.tandem.monitor;

/**
 * What Pacemaker believes about one node, kept apart from the node's own facts so that the two can disagree.
 *
 * @param reportedBy the node whose {@code crm_mon} this came from
 * @param member the node is in Pacemaker's node list
 * @param nfoStarted Pacemaker has the NFO resource (or an instance of its clone) started there
 * @param vipHere the floating IP is there
 * @param gateStarted the gate resource is started there, i.e. Pacemaker means that node's output to be open
 * @param drbdPromoted the DRBD resource is Promoted there (false when Pacemaker manages no such resource)
 */
public record PacemakerOpinion(String reportedBy, boolean member, boolean online, boolean standby, boolean maintenance,
        boolean nfoStarted, boolean vipHere, boolean gateStarted, boolean drbdPromoted) {
}
