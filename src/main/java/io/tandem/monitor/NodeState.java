package io.tandem.monitor;

/**
 * A node's derived role with the facts it rests on, and Pacemaker's separate opinion of it.
 *
 * @param why the deciding facts in one line, e.g. "NFO active (running), gate BLOCKED"
 * @param pacemaker what Pacemaker believes about the node, or null when no node could report Pacemaker's view
 */
public record NodeState(String node, NodeRole role, String why, PacemakerOpinion pacemaker) {
}
