/**
 * How the console reaches NFO servers: the {@link io.tandem.access.NodeAccess} port with its agent and SSH adapters,
 * the node gateway ({@link io.tandem.access.NodeConnections}, which calls nodes outside any database transaction),
 * and node credentials encrypted at rest with the master key.
 */
package io.tandem.access;
