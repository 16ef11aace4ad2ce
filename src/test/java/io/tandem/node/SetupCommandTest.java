package io.tandem.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

/**
 * The node side of setup's apply: only the typed, allow-listed commands exist, every value is checked as the command is
 * built (also from JSON, as the agent reads it), and what runs is an argument vector in which an attacker's text stays
 * one inert argument.
 */
class SetupCommandTest {

    private static final List<SetupCommand.Host> PAIR = List.of(new SetupCommand.Host("nfo-a", "10.0.0.1"),
            new SetupCommand.Host("nfo-b", "10.0.0.2"));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void injectionAttemptsInNamesAddressesAndPathsAreRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> new SetupCommand.Host("nfo-a; reboot", "10.0.0.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SetupCommand.Host("nfo-a", "$(reboot)")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SetupCommand.Host("-f", "10.0.0.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SetupCommand.ClusterSetup("x`id`", PAIR, 3000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SetupCommand.HostDeauth(List.of("nfo-a", "nfo-b\nreboot"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SetupCommand.Drbd(SetupCommand.Drbd.Verb.UP, "r0 --config=/tmp/x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SetupCommand.DrbdFile("../../etc/cron.d/x", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SetupCommand.MountPoint("/etc", true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SetupCommand.MountPoint("/srv/nfo/../../etc", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SetupCommand.Mkfs("/dev/drbd0/../../sda", "/dev/vdb1", "format /dev/vdb1 on nfo-a"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pcsTakesOnlySetupsCibVerbsAndNoOptionThatChangesWhatItActsOn() {
        assertThatThrownBy(() -> new SetupCommand.Pcs(List.of("cluster", "destroy", "--all"))).hasMessageContaining("not a CIB change");
        assertThatThrownBy(() -> new SetupCommand.Pcs(List.of("resource", "create", "x", "ocf:heartbeat:anything", "-f", "/etc/passwd")))
                .hasMessageContaining("argument refused");
        assertThatThrownBy(() -> new SetupCommand.Pcs(List.of("property", "set", "--debug", "a=b"))).hasMessageContaining("argument refused");
        assertThatThrownBy(() -> new SetupCommand.Pcs(List.of("resource", "create", "x", "--force", "y")))
                .hasMessageContaining("argument refused"); // --force only where setup removes what it made
        assertThatThrownBy(() -> new SetupCommand.Pcs(List.of("property", "set", "a=b\nc"))).hasMessageContaining("argument refused");
        assertThatThrownBy(() -> new SetupCommand.CibPush(List.of(List.of("resource", "create", "x", "y"),
                List.of("cluster", "cib-push", "/tmp/evil.xml")))).hasMessageContaining("not a CIB change");
        assertThat(new SetupCommand.Pcs(List.of("resource", "delete", "nfo-gate", "--force")).describe())
                .isEqualTo("pcs resource delete nfo-gate --force");
    }

    @Test
    void formattingNeedsThePhraseTheUserTypedForThatDevice() {
        assertThatThrownBy(() -> new SetupCommand.Mkfs("/dev/drbd0", "/dev/vdb1", null)).hasMessageContaining("typed confirmation");
        assertThatThrownBy(() -> new SetupCommand.Mkfs("/dev/drbd0", "/dev/vdb1", "format /dev/vdb2 on nfo-a"))
                .hasMessageContaining("typed confirmation");
        assertThat(SetupSteps.argv(new SetupCommand.Mkfs("/dev/drbd0", "/dev/vdb1", "format /dev/vdb1 on nfo-a"), node()))
                .containsExactly("mkfs.ext4", "-F", "-L", "nfo", "/dev/drbd0");
    }

    @Test
    void aPasswordWithShellCharactersIsOneInertArgumentAndNeverShown() throws Exception {
        String password = "x'; reboot; $(id) `id` \"";
        SetupCommand.HostAuth auth = new SetupCommand.HostAuth(PAIR, password);
        List<String> argv = SetupSteps.argv(auth, node());
        assertThat(argv).containsExactly("pcs", "host", "auth", "nfo-a", "addr=10.0.0.1", "nfo-b", "addr=10.0.0.2", "-u", "hacluster",
                "-p", password);
        assertThat(SetupSteps.shown(argv)).doesNotContain(password).contains(SetupSteps.PASSWORD_SHOWN);
        assertThat(auth.toString()).doesNotContain(password);
        assertThat(auth.describe()).doesNotContain(password);
        assertThatThrownBy(() -> new SetupCommand.HostAuth(PAIR, "pw\nroot")).isInstanceOf(IllegalArgumentException.class);

        List<List<String>> ran = new ArrayList<>();
        NodeOperations.Outcome outcome = SetupSteps.run(recording(ran, 0), null, node(), auth, Duration.ofSeconds(1));
        assertThat(ran.get(0)).contains(password); // what the node's runner gets, as one argument
        assertThat(outcome.argv()).doesNotContain(password);
    }

    @Test
    void aRefusalThatQuotesTheCommandLineComesBackWithoutThePassword() throws Exception {
        String password = "Secret-hunter2";
        SetupCommand.HostAuth auth = new SetupCommand.HostAuth(PAIR, password);
        assertThatThrownBy(() -> SetupSteps.run((argv, timeout) -> {
            throw new NodeAccessException.PermissionDenied("sudo: Sorry, user tandem-agent is not allowed to execute '"
                    + String.join(" ", argv) + "' as root", null);
        }, null, node(), auth, Duration.ofSeconds(1))).isInstanceOf(NodeAccessException.PermissionDenied.class)
                .hasMessageNotContaining(password).hasMessageContaining(SetupSteps.PASSWORD_SHOWN);
        NodeOperations.Outcome outcome = SetupSteps.run((argv, timeout) -> new CommandResult(1, "",
                "Error: " + String.join(" ", argv), false), null, node(), auth, Duration.ofSeconds(1));
        assertThat(outcome.stderr()).doesNotContain(password);
    }

    @Test
    void nfosUnitIsTheNodesOwnNeverOneFromTheRequest() {
        assertThat(SetupSteps.argv(new SetupCommand.NfoUnit(SetupCommand.NfoUnit.Action.DISABLE), node()))
                .containsExactly("systemctl", "disable", "nfo.service");
        assertThatThrownBy(() -> SetupSteps.argv(new SetupCommand.NfoUnit(SetupCommand.NfoUnit.Action.STOP),
                new SetupSteps.Node("--now nfo"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theAgentReadsOnlyTheTypedCommandsFromJson() throws Exception {
        String auth = JSON.writeValueAsString(new SetupCommand.HostAuth(PAIR, "pw"));
        assertThat(auth).contains("\"type\":\"host-auth\"");
        assertThat(JSON.readValue(auth, SetupCommand.class)).isInstanceOf(SetupCommand.HostAuth.class);
        assertThat(JSON.readValue("{\"type\":\"pcs\",\"args\":[\"property\",\"set\",\"stonith-enabled=false\"]}", SetupCommand.class))
                .isEqualTo(new SetupCommand.Pcs(List.of("property", "set", "stonith-enabled=false")));
        assertThatThrownBy(() -> JSON.readValue("{\"type\":\"shell\",\"command\":\"rm -rf /\"}", SetupCommand.class))
                .isInstanceOf(Exception.class);
        assertThatThrownBy(() -> JSON.readValue("{\"type\":\"pcs\",\"args\":[\"cluster\",\"destroy\",\"--all\"]}", SetupCommand.class))
                .isInstanceOf(Exception.class);
        assertThatThrownBy(() -> JSON.readValue("{\"type\":\"cluster-setup\",\"name\":\"a;b\",\"hosts\":[],\"tokenMs\":3000}",
                SetupCommand.class)).isInstanceOf(Exception.class);
    }

    @Test
    void theResourcesArePushedInOneTransactionAndAFailedEditLeavesTheLiveCibAlone() throws Exception {
        SetupCommand.CibPush push = new SetupCommand.CibPush(List.of(List.of("resource", "defaults", "update", "resource-stickiness=100"),
                List.of("resource", "create", "nfo", "systemd:nfo", "clone")));
        List<List<String>> ran = new ArrayList<>();
        assertThat(SetupSteps.run(recording(ran, 0), null, node(), push, Duration.ofSeconds(1)).succeeded()).isTrue();
        assertThat(ran).extracting(a -> String.join(" ", a)).containsExactly(
                "pcs cluster cib " + SetupSteps.CIB_FILE,
                "pcs -f " + SetupSteps.CIB_FILE + " resource defaults update resource-stickiness=100",
                "pcs -f " + SetupSteps.CIB_FILE + " resource create nfo systemd:nfo clone",
                "pcs cluster cib-push " + SetupSteps.CIB_FILE + " --config",
                "rm -f -- " + SetupSteps.CIB_FILE);

        List<List<String>> failing = new ArrayList<>();
        NodeOperations.Outcome outcome = SetupSteps.run((argv, timeout) -> {
            failing.add(argv);
            return new CommandResult(argv.contains("create") ? 1 : 0, "", "Error: Agent 'systemd:nfo' is not installed", false);
        }, null, node(), push, Duration.ofSeconds(1));
        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.stderr()).contains("is not installed");
        assertThat(failing).noneMatch(a -> a.contains("cib-push"));
        assertThat(failing.get(failing.size() - 1)).containsExactly("rm", "-f", "--", SetupSteps.CIB_FILE);
    }

    @Test
    void theGateAgentIsInstalledFromTheConsolesOwnCopy() throws Exception {
        List<String> installed = new ArrayList<>();
        NodeOperations.Outcome outcome = SetupSteps.run(recording(new ArrayList<>(), 0), (content, mode, path, timeout) -> {
            installed.add(mode + " " + path + " " + new String(content, java.nio.charset.StandardCharsets.UTF_8).contains(
                    "# tandem-gate-version: " + GateAgent.version()));
            return new CommandResult(0, "", "", false);
        }, node(), new SetupCommand.GateAgentFile(true), Duration.ofSeconds(1));
        assertThat(outcome.succeeded()).isTrue();
        assertThat(installed).containsExactly("0755 " + GateAgent.INSTALLED_PATH + " true");
    }

    private static SetupSteps.Node node() {
        return new SetupSteps.Node("nfo.service");
    }

    private static ToolRunner recording(List<List<String>> ran, int exit) {
        return (argv, timeout) -> {
            ran.add(List.copyOf(argv));
            return new CommandResult(exit, "", "", false);
        };
    }
}
