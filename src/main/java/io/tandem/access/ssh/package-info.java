/**
 * Agentless access to an NFO server over SSH (Apache MINA SSHD client): pinned host keys, one reused
 * connection per node, quoted exec of the node's own tools and safe SFTP file transfer.
 */
package io.tandem.access.ssh;
