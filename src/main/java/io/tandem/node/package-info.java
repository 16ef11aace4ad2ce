/**
 * What is true on one NFO server, and the lowest layer of talking to it: the facts model ({@link
 * io.tandem.node.NodeFacts}), the parsers of the node's own tools and {@code /proc} files, the output gate
 * convention ({@link io.tandem.node.OutputGate}, ADR 0002), {@link io.tandem.node.ToolRunner} (local or over SSH)
 * and the sealed {@link io.tandem.node.NodeAccessException} family. Configuration files live in
 * {@code io.tandem.node.config}. Plain Java: used by agent and console.
 */
package io.tandem.node;
