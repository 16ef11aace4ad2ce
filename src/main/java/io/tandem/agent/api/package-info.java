/**
 * The agent's HTTP endpoints under {@code /v1}: thin controllers over the agent's services. The node-facts
 * endpoints (snapshot, config manifest and files, staging, service, pacemaker, drbd) are added here.
 */
package io.tandem.agent.api;
