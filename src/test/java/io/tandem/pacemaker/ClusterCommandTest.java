package io.tandem.pacemaker;

import io.tandem.support.SharedCorpus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterCommandTest {

    private static final ClusterInventory CLUSTER = new ClusterInventory(
            Set.of("nfo", "vip", "drbd-clone", "nfo_group"), Set.of("nfo-a", "nfo-b.example.com"));

    @Test
    void argumentVectorsForEveryVerb() throws Exception {
        assertThat(ClusterCommand.parse("move", "nfo", "nfo-b.example.com", CLUSTER).argv())
                .containsExactly("pcs", "resource", "move", "nfo", "nfo-b.example.com");
        assertThat(ClusterCommand.parse("move", "nfo", null, CLUSTER).argv())
                .containsExactly("pcs", "resource", "move", "nfo");
        assertThat(ClusterCommand.parse("move-with-constraint", "nfo", "nfo-a", CLUSTER).argv())
                .containsExactly("pcs", "resource", "move-with-constraint", "nfo", "nfo-a");
        assertThat(ClusterCommand.parse("clear", "nfo", "", CLUSTER).argv())
                .containsExactly("pcs", "resource", "clear", "nfo");
        assertThat(ClusterCommand.parse("ban", "vip", "nfo-a", CLUSTER).argv())
                .containsExactly("pcs", "resource", "ban", "vip", "nfo-a");
        assertThat(ClusterCommand.parse("standby", null, "nfo-a", CLUSTER).argv())
                .containsExactly("pcs", "node", "standby", "nfo-a");
        assertThat(ClusterCommand.parse("unstandby", "", "nfo-a", CLUSTER).argv())
                .containsExactly("pcs", "node", "unstandby", "nfo-a");
        assertThat(ClusterCommand.parse("cleanup", "drbd-clone", "nfo-a", CLUSTER).argv())
                .containsExactly("pcs", "resource", "cleanup", "drbd-clone", "--node", "nfo-a");
        assertThat(ClusterCommand.parse("cleanup", "drbd-clone", null, CLUSTER).argv())
                .containsExactly("pcs", "resource", "cleanup", "drbd-clone");
        assertThat(ClusterCommand.parse("Restart", "nfo_group", null, CLUSTER)).isEqualTo(
                new ClusterCommand.Restart("nfo_group", null));
    }

    @Test
    void pacemakerControlsHaveTheirArgumentVectorsAndRefuseSurplusNames() throws Exception {
        assertThat(ClusterCommand.parse("enable", "vip", null, CLUSTER).argv()).containsExactly("pcs", "resource", "enable", "vip");
        assertThat(ClusterCommand.parse("disable", "vip", "", CLUSTER).argv()).containsExactly("pcs", "resource", "disable", "vip");
        assertThat(ClusterCommand.parse("maintenance-on", null, null, CLUSTER).argv())
                .containsExactly("pcs", "property", "set", "maintenance-mode=true");
        assertThat(ClusterCommand.parse("maintenance-off", "", "", CLUSTER).argv())
                .containsExactly("pcs", "property", "set", "maintenance-mode=false");
        assertRejected("disable", "vip", "nfo-a", CLUSTER, CommandRejectedException.Reason.UNEXPECTED_ARGUMENT);
        assertRejected("maintenance-on", "vip", null, CLUSTER, CommandRejectedException.Reason.UNEXPECTED_ARGUMENT);
        assertRejected("maintenance-on", null, "nfo-a", CLUSTER, CommandRejectedException.Reason.UNEXPECTED_ARGUMENT);
        assertRejected("enable", "no-such", null, CLUSTER, CommandRejectedException.Reason.UNKNOWN_RESOURCE);
        // cleanup and restart act on the live cluster: pcs refuses them with -f ("option '-f' is not supported")
        assertThat(new ClusterCommand.Cleanup("vip", null).editsCib()).isFalse();
        assertThat(new ClusterCommand.Disable("vip").editsCib()).isTrue();
        assertThat(new ClusterCommand.Standby("nfo-a").editsCib()).isTrue();
    }

    @Test
    void namesAreCheckedAgainstTheRealCluster() throws Exception {
        ClusterStatus status = CrmMonParser.parse(SharedCorpus.read("pacemaker/crm_mon-basic-output.xml"))
                .status().orElseThrow();
        ClusterInventory inventory = ClusterInventory.of(status);

        assertThat(ClusterCommand.parse("move", "promotable-clone", "cluster01", inventory).argv())
                .containsExactly("pcs", "resource", "move", "promotable-clone", "cluster01");
        assertThat(ClusterCommand.parse("cleanup", "mysql-group", null, inventory)).isNotNull();
        assertRejected("move", "no-such-resource", "cluster01", inventory, CommandRejectedException.Reason.UNKNOWN_RESOURCE);
        assertRejected("standby", null, "cluster99", inventory, CommandRejectedException.Reason.UNKNOWN_NODE);
    }

    @Test
    void unknownVerbsAndMissingOrSurplusArgumentsAreRejected() {
        assertRejected("delete", "nfo", null, CLUSTER, CommandRejectedException.Reason.UNKNOWN_VERB);
        assertRejected("", "nfo", null, CLUSTER, CommandRejectedException.Reason.UNKNOWN_VERB);
        assertRejected(null, "nfo", null, CLUSTER, CommandRejectedException.Reason.UNKNOWN_VERB);
        assertRejected("move;reboot", "nfo", null, CLUSTER, CommandRejectedException.Reason.UNKNOWN_VERB);
        assertRejected("move\u0000", "nfo", null, CLUSTER, CommandRejectedException.Reason.UNKNOWN_VERB);
        assertRejected("ban", "nfo", null, CLUSTER, CommandRejectedException.Reason.MISSING_ARGUMENT);
        assertRejected("move", null, "nfo-a", CLUSTER, CommandRejectedException.Reason.MISSING_ARGUMENT);
        // without a node it would be a ban of the current node that stays: only ever sent with where to go
        assertRejected("move-with-constraint", "nfo", null, CLUSTER, CommandRejectedException.Reason.MISSING_ARGUMENT);
        assertRejected("standby", "nfo", "nfo-a", CLUSTER, CommandRejectedException.Reason.UNEXPECTED_ARGUMENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nfo; reboot", "nfo && rm -rf /", "$(reboot)", "`id`", "nfo|nc evil 1", "--force",
            "-nfo", "nfo\nreboot", "nfo reboot", "nfo\treboot", "../../etc/passwd", "nfo>x", "nfo'", "nfo\"",
            "nfo:0", "*", "nfo\u0000", "nfо" /* Cyrillic o */, "1nfo", ".nfo"})
    void injectionAttemptsInResourceNamesAreRefused(String hostile) {
        assertRejected("move", hostile, null, CLUSTER, CommandRejectedException.Reason.INVALID_NAME);
        assertThatThrownBy(() -> new ClusterCommand.Move(hostile, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nfo-a; reboot", "--all", "-a", "$(id)", "nfo-a nfo-b", "node\r\n", "a/b", "~root", ""})
    void injectionAttemptsInNodeNamesAreRefused(String hostile) {
        assertThatThrownBy(() -> new ClusterCommand.Standby(hostile)).isInstanceOf(IllegalArgumentException.class);
        if (!hostile.isBlank()) {
            assertRejected("standby", null, hostile, CLUSTER, CommandRejectedException.Reason.INVALID_NAME);
            assertRejected("cleanup", "nfo", hostile, CLUSTER, CommandRejectedException.Reason.INVALID_NAME);
        }
    }

    @Test
    void overlongNamesAreRefused() {
        assertRejected("move", "r".repeat(300), null, CLUSTER, CommandRejectedException.Reason.INVALID_NAME);
    }

    @Test
    void rejectionMessagesDoNotEchoControlCharacters() {
        assertThatThrownBy(() -> ClusterCommand.parse("mo\u001b[31mve", "nfo", null, CLUSTER))
                .isInstanceOf(CommandRejectedException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u001b"));
    }

    private static void assertRejected(String verb, String resource, String node, ClusterInventory inventory,
                                       CommandRejectedException.Reason reason) {
        assertThatThrownBy(() -> ClusterCommand.parse(verb, resource, node, inventory))
                .isInstanceOfSatisfying(CommandRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
