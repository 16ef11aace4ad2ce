package io.tandem.access.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.tandem.node.CommandResult;
import io.tandem.node.NodeAccessException;

/** Only the shell's and sudo's own signals turn a result into "could not run". */
class ToolFailuresTest {

    @Test
    void aToolSayingCommandNotFoundIsStillItsResult() {
        CommandResult result = new CommandResult(1, "", "crm_mon: command not found in history\n", false);

        assertThat(ToolFailures.of("crm_mon", result)).isEmpty();
    }

    @Test
    void sudoSayingCommandNotFoundIsToolMissing() {
        CommandResult result = new CommandResult(1, "", "sudo: drbdadm: command not found\n", false);

        assertThat(ToolFailures.of("drbdadm", result)).get().isInstanceOf(NodeAccessException.ToolMissing.class);
    }

    @Test
    void sudoNotAllowedIsPermissionDenied() {
        CommandResult result = new CommandResult(1, "",
                "Sorry, user nfo is not allowed to execute '/usr/sbin/pcs' as root on db1.\n", false);
        CommandResult sudoers = new CommandResult(1, "", "sudo: nfo is not in the sudoers file.\n", false);

        assertThat(ToolFailures.of("pcs", sudoers)).get().isInstanceOf(NodeAccessException.PermissionDenied.class);
        assertThat(ToolFailures.of("pcs", result)).get().isInstanceOf(NodeAccessException.PermissionDenied.class);
    }

    @Test
    void successIsNeverAFailure() {
        assertThat(ToolFailures.of("nft", new CommandResult(0, "", "Permission denied\n", false))).isEmpty();
    }
}
