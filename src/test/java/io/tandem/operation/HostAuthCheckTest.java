package io.tandem.operation;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.tandem.node.NodeOperations;
import io.tandem.node.SetupCommand;

/** pcs host auth's check reads where pcs 0.11 writes its per-node lines: stderr (found in the lab's first setup). */
class HostAuthCheckTest {

    private static final SetupCommand.HostAuth AUTH = new SetupCommand.HostAuth(
            List.of(new SetupCommand.Host("nfo-a", "10.77.1.1"), new SetupCommand.Host("nfo-b", "10.77.1.2")), "secret");

    @Test
    void bothNodesAuthorizedOnStderrPass() {
        assertThatCode(() -> SetupOperations.requireAuthorized(AUTH,
                new NodeOperations.Outcome(List.of("pcs"), 0, "", "nfo-a: Authorized\nnfo-b: Authorized\n"))).doesNotThrowAnyException();
    }

    @Test
    void aNodeNotReportedFailsTheStepNamingIt() {
        assertThatThrownBy(() -> SetupOperations.requireAuthorized(AUTH,
                new NodeOperations.Outcome(List.of("pcs"), 0, "", "nfo-a: Authorized\n")))
                .hasMessageContaining("did not report 'nfo-b: Authorized'");
    }
}
