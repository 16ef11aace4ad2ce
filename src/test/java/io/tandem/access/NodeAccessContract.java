package io.tandem.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.tandem.node.GateStatus;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeSnapshot;
import io.tandem.pacemaker.CrmMonResult;

/**
 * What every {@link NodeAccess} adapter must do, run against the fake, the real agent and a real
 * SSH server. The node behind each is a {@link RecordedNode}: a passive Hot node, NFO running,
 * output blocked, a leftover move constraint, no DRBD.
 */
public abstract class NodeAccessContract {

    /** A port where nothing listens in any of the set-ups. */
    public static final int CLOSED_PORT = 1;

    protected abstract NodeAccess access();

    /** The node as the fleet would describe it, with the given pin (null: not pinned). */
    protected abstract NodeTarget target(String pin);

    /** The fingerprint the node really presents. */
    protected abstract String nodeKey();

    protected static NodeTarget target(NodeTarget.Transport transport, String address, int port, String user,
                                       String credential, String pin) {
        return new NodeTarget(UUID.randomUUID(), "nfo-b", address, transport, user, port, port, credential, pin, false,
                "/opt/flowintegrator", "nfo.service", List.of("server/etc/**"), List.of(), Set.of(9555), false);
    }

    @Test
    void thePresentedKeyIsTheNodesOwnAndIsReadWithoutTrust() throws Exception {
        assertThat(access().presentedKey(target(null)).fingerprint()).isEqualTo(nodeKey());
    }

    @Test
    void anUnpinnedNodeIsRefusedWithTheKeyToConfirm() {
        assertThatThrownBy(() -> access().snapshot(target(null)))
                .isInstanceOfSatisfying(NodeAccessException.KeyRejected.class, rejected -> {
                    assertThat(rejected.notPinnedYet()).isTrue();
                    assertThat(rejected.presented()).isEqualTo(nodeKey());
                });
    }

    @Test
    void aChangedKeyIsRefusedLoudly() {
        String wrong = nodeKey().startsWith("sha256:") ? "sha256:" + "00".repeat(32) : "SHA256:" + "A".repeat(43);
        assertThatThrownBy(() -> access().snapshot(target(wrong)))
                .isInstanceOfSatisfying(NodeAccessException.KeyRejected.class, rejected -> {
                    assertThat(rejected.expected()).isEqualTo(wrong);
                    assertThat(rejected.presented()).isEqualTo(nodeKey());
                    assertThat(rejected.getMessage()).startsWith("KEY CHANGED");
                });
    }

    @Test
    void theSnapshotTellsWhatIsTrueOnTheNode() throws Exception {
        NodeSnapshot snapshot = access().snapshot(target(nodeKey()));
        assertThat(snapshot.host().hostname()).isNotBlank();
        assertThat(snapshot.service().running()).isTrue();
        assertThat(snapshot.service().mainPid()).isEqualTo(4242);
        assertThat(snapshot.gate().status()).isEqualTo(GateStatus.BLOCKED);
        assertThat(snapshot.gate().droppedPackets()).isPositive();
        CrmMonResult.Running pacemaker = (CrmMonResult.Running) snapshot.pacemaker().orElseThrow();
        assertThat(pacemaker.status().orElseThrow().nodes()).hasSize(2);
        assertThat(snapshot.cib().orElseThrow().leftoverMoves()).hasSize(1);
        assertThat(snapshot.drbd()).as("a Hot node has no DRBD, and that is no failure").isNull();
        assertThat(snapshot.failures()).isEmpty();
    }

    @Test
    void nothingListeningIsUnreachable() {
        NodeTarget closed = target(nodeKey());
        NodeTarget nowhere = new NodeTarget(closed.nodeId(), closed.name(), closed.address(), closed.transport(),
                closed.sshUser(), CLOSED_PORT, CLOSED_PORT, closed.credential(), closed.pinnedFingerprint(), false,
                closed.nfoHome(), closed.serviceUnit(), closed.configIncludes(), closed.configExcludes(),
                closed.flowPorts(), false);
        assertThatThrownBy(() -> access().snapshot(nowhere)).isInstanceOf(NodeAccessException.Unreachable.class);
    }
}
