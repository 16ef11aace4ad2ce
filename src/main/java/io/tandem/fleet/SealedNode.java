package io.tandem.fleet;

import java.util.UUID;

import io.tandem.access.NodeTarget;
import io.tandem.access.SecretCipher;

/**
 * A node's target for reads as the fleet was last read: everything but the credential, which stays sealed until a
 * read opens it (it is decrypted for that call only, as a lookup in the database would).
 *
 * @param target the target with no credential
 * @param sealed the sealed credential, or null when the node has none
 * @param owner what the credential was sealed for
 */
record SealedNode(UUID clusterId, NodeTarget target, byte[] sealed, String owner) {

    static SealedNode of(Cluster cluster, Node node) {
        return new SealedNode(cluster.id(), FleetNodeDirectory.target(cluster, node, null),
                node.hasCredential() ? node.sealedCredential() : null, FleetService.owner(node));
    }

    NodeTarget open(SecretCipher cipher) {
        return sealed == null ? target : target.withCredential(cipher.decrypt(sealed, owner));
    }
}
