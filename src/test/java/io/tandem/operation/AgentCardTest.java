package io.tandem.operation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.tandem.fleet.AccessKind;
import io.tandem.monitor.AgentBuild;
import io.tandem.monitor.AgentBuild.Standing;

/** Which agent operations the node card offers an ADMIN, from how the node is read and what its agent says. */
class AgentCardTest {

    private static AgentCard card(AccessKind access, Standing standing, String version) {
        return AgentCard.of("nfo-a", access, new AgentBuild(standing, version, "0.2.0"));
    }

    @Test
    void aNodeReadOverSshIsOfferedInstall() {
        assertThat(card(AccessKind.SSH, Standing.NO_AGENT, null).offered()).containsExactly(OperationKind.INSTALL_AGENT);
    }

    @Test
    void anOlderOrUnreadableAgentIsOfferedUpgradeAndRemove() {
        assertThat(card(AccessKind.AGENT, Standing.OLDER, "0.1.0").offered())
                .containsExactly(OperationKind.UPGRADE_AGENT, OperationKind.REMOVE_AGENT);
        assertThat(card(AccessKind.AGENT, Standing.OLDER, null).offered()).contains(OperationKind.UPGRADE_AGENT);
        assertThat(card(AccessKind.AGENT, Standing.UNREADABLE, "1.0; rm").offered()).contains(OperationKind.UPGRADE_AGENT);
    }

    @Test
    void aCurrentUnreadOrUncomparedAgentIsOfferedRemoveOnly() {
        for (Standing standing : new Standing[] {Standing.UP_TO_DATE, Standing.NOT_READ, Standing.UNCOMPARED}) {
            assertThat(card(AccessKind.AGENT, standing, "0.2.0").offered()).as(standing.name())
                    .containsExactly(OperationKind.REMOVE_AGENT);
        }
    }

    @Test
    void everyOfferedOperationNeedsAnAdmin() {
        for (OperationKind kind : new OperationKind[] {OperationKind.INSTALL_AGENT, OperationKind.UPGRADE_AGENT, OperationKind.REMOVE_AGENT}) {
            assertThat(kind.requiredRole()).isEqualTo("ADMIN");
        }
    }
}
