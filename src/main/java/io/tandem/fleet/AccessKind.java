package io.tandem.fleet;

public enum AccessKind {
    /** The Tandem agent on the node, over HTTPS with a bearer token. */
    AGENT,
    /** Agentless, over SSH with a private key. */
    SSH
}
