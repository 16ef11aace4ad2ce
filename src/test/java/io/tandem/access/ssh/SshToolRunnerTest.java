package io.tandem.access.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tandem.node.CommandResult;
import io.tandem.node.NodeAccessException;

/** The exec side of the SSH adapter against a real SSH server running real /bin/sh commands. */
class SshToolRunnerTest {

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    @TempDir
    static Path work;

    static TestSshServer server;
    static SshConnections connections;
    static SshTarget target;

    @BeforeAll
    static void startServer() throws IOException {
        KeyPair client = TestKeys.ED25519.generate();
        server = TestSshServer.start(work.resolve("server"), client.getPublic());
        connections = new SshConnections(SshSettings.defaults().withMaxOutputBytes(1000));
        target = new SshTarget("127.0.0.1", server.port(), TestSshServer.USER, TestKeys.openSsh(client, null), null,
                TestKeys.fingerprint(server.hostKey()), false);
    }

    @AfterAll
    static void stopServer() throws IOException {
        connections.close();
        server.close();
    }

    @Test
    void hostileArgumentsArriveByteExactAndRunNothing() throws Exception {
        Path pwned = work.resolve("pwned");
        List<String> hostile = List.of(
                "$(touch " + pwned + ")", "`touch " + pwned + "`", "; touch " + pwned, "&& touch " + pwned,
                "| touch " + pwned, "it's", "\"double\"", "back\\slash", "line one\nline two", "  spaced  ",
                "", "*", "~", "$HOME", "${PATH}", "-n", "--", "unicode: żółć 東京 🚀", "tab\there", "'", "''", "\\'");
        List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(hostile);

        CommandResult result = connections.runner(target).run(argv, TEN_SECONDS);

        assertThat(result.exitCode()).isZero();
        assertThat(splitOnNul(result.stdout())).containsExactlyElementsOf(hostile);
        assertThat(pwned).doesNotExist();
    }

    @Test
    void everyArgumentIsSingleQuotedOnTheWire() throws Exception {
        connections.runner(target).run(List.of("echo", "it's", "a b"), TEN_SECONDS);

        assertThat(server.commands()).contains("'echo' 'it'\\''s' 'a b'");
    }

    @Test
    void nonZeroExitIsAResultWithItsOutput() throws Exception {
        CommandResult result = connections.runner(target)
                .run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), TEN_SECONDS);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(result.truncated()).isFalse();
    }

    @Test
    void missingProgramIsToolMissing() {
        assertThatThrownBy(() -> connections.runner(target).run(List.of("no-such-tool-tandem", "--version"), TEN_SECONDS))
                .isInstanceOf(NodeAccessException.ToolMissing.class)
                .hasMessageContaining("no-such-tool-tandem");
    }

    @Test
    void fileWithoutExecutePermissionIsPermissionDenied() throws Exception {
        Path notExecutable = Files.writeString(work.resolve("not-executable"), "#!/bin/sh\necho hi\n");

        assertThatThrownBy(() -> connections.runner(target).run(List.of(notExecutable.toString()), TEN_SECONDS))
                .isInstanceOf(NodeAccessException.PermissionDenied.class);
    }

    @Test
    void commandOutlivingItsTimeoutIsTimedOut() {
        assertThatThrownBy(() -> connections.runner(target).run(List.of("sleep", "30"), Duration.ofSeconds(1)))
                .isInstanceOf(NodeAccessException.TimedOut.class);
    }

    @Test
    void connectionStillServesAfterATimeout() throws Exception {
        assertThatThrownBy(() -> connections.runner(target).run(List.of("sleep", "30"), Duration.ofMillis(300)))
                .isInstanceOf(NodeAccessException.TimedOut.class);

        assertThat(connections.runner(target).run(List.of("echo", "still here"), TEN_SECONDS).stdout())
                .isEqualTo("still here\n");
    }

    @Test
    void outputBeyondTheCapIsCutAndMarked() throws Exception {
        CommandResult result = connections.runner(target)
                .run(List.of("sh", "-c", "head -c 200000 /dev/zero | tr '\\0' x; echo done >&2"), TEN_SECONDS);

        assertThat(result.exitCode()).isZero();
        assertThat(result.truncated()).isTrue();
        assertThat(result.stdout()).hasSize(1000).matches("x+");
        assertThat(result.stderr()).isEqualTo("done\n");
    }

    @Test
    void stdinIsFedThenClosed() throws Exception {
        byte[] input = "first line\nsecond 'line' $(nothing)\n".getBytes(StandardCharsets.UTF_8);

        CommandResult result = connections.runner(target).run(List.of("cat"), input, TEN_SECONDS);

        assertThat(result.stdout()).isEqualTo(new String(input, StandardCharsets.UTF_8));
    }

    @Test
    void commandWithoutStdinSeesEndOfFileAtOnce() throws Exception {
        assertThat(connections.runner(target).run(List.of("wc", "-c"), TEN_SECONDS).stdout().strip()).isEqualTo("0");
    }

    @Test
    void invalidBytesInOutputBecomeReplacementCharacters() throws Exception {
        CommandResult result = connections.runner(target).run(List.of("printf", "a\\377b"), TEN_SECONDS);

        assertThat(result.stdout()).isEqualTo("a\uFFFDb");
    }

    @Test
    void sudoTargetRunsTheSameArgvBehindSudoN() throws Exception {
        SshToolRunner sudo = connections.runner(target.withSudo(true));

        CommandResult result = sudo.run(List.of("printf", "%s|", "a b", "$(id)"), TEN_SECONDS);

        assertThat(result.stdout()).isEqualTo("a b|$(id)|");
        assertThat(splitOnNul(Files.readString(server.sudoLog()))).containsExactly("-n", "--", "printf", "%s|", "a b", "$(id)");
        assertThat(server.commands()).contains("'sudo' '-n' '--' 'printf' '%s|' 'a b' '$(id)'");
    }

    @Test
    void sudoMissingProgramIsToolMissing() {
        assertThatThrownBy(() -> connections.runner(target.withSudo(true)).run(List.of("no-such-tool-tandem"), TEN_SECONDS))
                .isInstanceOf(NodeAccessException.ToolMissing.class);
    }

    @Test
    void argvMustNameAProgramAndCarryNoNul() {
        assertThatThrownBy(() -> connections.runner(target).run(List.of(), TEN_SECONDS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> connections.runner(target).run(List.of("echo", "a\0b"), TEN_SECONDS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static List<String> splitOnNul(String text) {
        List<String> parts = new ArrayList<>(Arrays.asList(text.split("\0", -1)));
        assertThat(parts.remove(parts.size() - 1)).as("output ends with NUL").isEmpty();
        return parts;
    }
}
