/**
 * The agent's wire protocol, shared by the agent and the console's {@code AgentClient}: paths, headers,
 * problem types, the certificate fingerprint and the health body. Plain Java, no Spring.
 */
package io.tandem.agent.wire;
