/**
 * The console's client of the Tandem agent: HTTPS with the agent's certificate pinned by fingerprint, a bearer
 * token, explicit timeouts, the event stream, and every failure as a {@link io.tandem.node.NodeAccessException}.
 */
package io.tandem.access.agent;
