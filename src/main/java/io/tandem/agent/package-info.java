/**
 * The agent role: an HTTPS server on each NFO server that tells the console what is true there. This
 * package owns the process (init, config, start), its security (TLS identity, token, limits, audit) and events.
 */
package io.tandem.agent;
