/**
 * How the console reaches NFO servers: the node credentials, encrypted at rest with the master key
 * (the agent and SSH adapters behind one port arrive with node access).
 */
package io.tandem.access;
