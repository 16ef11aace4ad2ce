/**
 * What is true on one NFO server, and the lowest layer of talking to it: the facts model, the
 * parsers of the node's own tools, {@link io.tandem.node.ToolRunner} (local or over SSH) and the
 * sealed {@link io.tandem.node.NodeAccessException} family. Plain Java: used by agent and console.
 */
package io.tandem.node;
