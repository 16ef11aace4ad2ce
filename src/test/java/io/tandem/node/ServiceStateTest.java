package io.tandem.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceStateTest {

    @Test
    void readsARunningUnit() throws Exception {
        ServiceState state = ServiceStateParser.fromSystemctlShow("""
                MainPID=48211
                ExecMainStatus=0
                LoadState=loaded
                ActiveState=active
                SubState=running
                ActiveEnterTimestamp=Wed 2026-11-25 19:41:49 UTC
                UnitFileState=enabled
                """);

        assertThat(state.state()).isEqualTo(ActiveState.ACTIVE);
        assertThat(state.enabledAtBoot()).as("UnitFileState=enabled: systemd starts it at boot").isTrue();
        assertThat(state.running()).isTrue();
        assertThat(state.subState()).isEqualTo("running");
        assertThat(state.mainPid()).isEqualTo(48211);
        assertThat(state.since()).isEqualTo(Instant.parse("2026-11-25T19:41:49Z"));
        assertThat(state.unitMissing()).isFalse();
    }

    @Test
    void readsAFailedUnitThatNeverStartedAndAMissingUnit() throws Exception {
        ServiceState failed = ServiceStateParser.fromSystemctlShow("""
                MainPID=0
                ExecMainStatus=203
                LoadState=loaded
                ActiveState=failed
                SubState=failed
                ActiveEnterTimestamp=
                UnitFileState=disabled
                """);
        ServiceState missing = ServiceStateParser.fromSystemctlShow("""
                MainPID=0
                ExecMainStatus=0
                LoadState=not-found
                ActiveState=inactive
                SubState=dead
                ActiveEnterTimestamp=n/a
                """);

        assertThat(failed.state()).isEqualTo(ActiveState.FAILED);
        assertThat(failed.enabledAtBoot()).isFalse();
        assertThat(missing.unitFileState()).as("not asked or not printed: unknown, never guessed").isEmpty();
        assertThat(failed.execMainStatus()).isEqualTo(203);
        assertThat(failed.since()).isNull();
        assertThat(missing.state()).isEqualTo(ActiveState.INACTIVE);
        assertThat(missing.unitMissing()).isTrue();
    }

    @Test
    void keepsAnAmbiguousZoneAsTextInsteadOfGuessing() throws Exception {
        ServiceState state = ServiceStateParser.fromSystemctlShow(
                "ActiveState=activating\nSubState=auto-restart\nActiveEnterTimestamp=Wed 2026-11-25 20:41:49 CET\n");

        assertThat(state.state()).isEqualTo(ActiveState.ACTIVATING);
        assertThat(state.since()).isNull();
        assertThat(state.sinceText()).isEqualTo("Wed 2026-11-25 20:41:49 CET");
        assertThat(ServiceStateParser.timestamp("@1764099709")).isEqualTo(Instant.ofEpochSecond(1764099709));
        assertThat(ServiceStateParser.timestamp("Wed 2026-11-25 20:41:49 +0100"))
                .isEqualTo(Instant.parse("2026-11-25T19:41:49Z"));
    }

    @Test
    void refusesOutputThatIsNotSystemctlShow() {
        assertThatThrownBy(() -> ServiceStateParser.fromSystemctlShow("<html>"))
                .isInstanceOf(NodeAccessException.BadAnswer.class);
        assertThatThrownBy(() -> ServiceStateParser.fromSystemctlShow("ActiveState=active\nMainPID=-1; rm\n"))
                .isInstanceOf(NodeAccessException.BadAnswer.class).hasMessageContaining("MainPID");
        assertThatThrownBy(() -> ServiceStateParser.fromSystemctlShow("x".repeat(100_000)))
                .isInstanceOf(NodeAccessException.BadAnswer.class);
    }

    @Test
    void operatorStatusCommandsAnswerByLsbExitCode() {
        assertThat(ServiceStateParser.fromStatusExit(new CommandResult(0, "", "", false)).state())
                .isEqualTo(ActiveState.ACTIVE);
        assertThat(ServiceStateParser.fromStatusExit(new CommandResult(3, "", "", false)).state())
                .isEqualTo(ActiveState.INACTIVE);
        assertThat(ServiceStateParser.fromStatusExit(new CommandResult(1, "", "", false)).state())
                .isEqualTo(ActiveState.FAILED);
        assertThat(ServiceStateParser.fromStatusExit(new CommandResult(4, "", "", false)).state())
                .isEqualTo(ActiveState.UNKNOWN);
    }

    @Test
    void buildsSystemctlAndOperatorCommands() {
        ServiceControl unit = ServiceControl.systemd("nfo.service");
        ServiceControl custom = ServiceControl.commands(List.of("/opt/flowintegrator/bin/nfo", "start"),
                List.of("/opt/flowintegrator/bin/nfo", "stop"), List.of("/opt/flowintegrator/bin/nfo", "status"),
                null);

        assertThat(unit.showCommand()).containsExactly("systemctl", "show", "nfo.service", "-p",
                "LoadState,ActiveState,SubState,MainPID,ActiveEnterTimestamp,ExecMainStatus,UnitFileState");
        assertThat(unit.restartCommands()).containsExactly(List.of("systemctl", "restart", "nfo.service"));
        assertThat(custom.restartCommands()).containsExactly(custom.stop(), custom.start());
        assertThat(custom.showCommand()).isEqualTo(custom.status());
        assertThatThrownBy(() -> ServiceControl.systemd("--now")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServiceControl.systemd("nfo; reboot")).isInstanceOf(IllegalArgumentException.class);
    }
}
