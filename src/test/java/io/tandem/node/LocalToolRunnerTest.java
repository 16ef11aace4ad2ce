package io.tandem.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalToolRunnerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Path script(String name, String body) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private LocalToolRunner runner(Map<String, Path> tools) {
        return new LocalToolRunner(LocalToolRunner.Settings.defaults().withToolPaths(tools));
    }

    @Test
    void passesEachArgumentVerbatimWithoutAShell() throws Exception {
        CommandResult result = runner(Map.of()).run(List.of("printf", "%s|", "$(id)", "a b", ";rm -rf /"), TIMEOUT);

        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdout()).isEqualTo("$(id)|a b|;rm -rf /|");
    }

    @Test
    void runsTheConfiguredPathForATool() throws Exception {
        Path fakeNft = script("nft", "echo \"recorded $*\"; echo warn >&2; exit 3");

        CommandResult result = runner(Map.of("nft", fakeNft)).run(List.of("nft", "-j", "list"), TIMEOUT);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("recorded -j list\n");
        assertThat(result.stderr()).isEqualTo("warn\n");
        assertThat(result.firstErrorLine()).isEqualTo("warn");
    }

    @Test
    void runsWithUtcAndTheCLocaleSoParsersSeeStableOutput() throws Exception {
        CommandResult result = runner(Map.of()).run(List.of("sh", "-c", "echo $TZ $LC_ALL"), TIMEOUT);

        assertThat(result.stdout()).isEqualTo("UTC C\n");
    }

    @Test
    void drainsLargeOutputOnBothStreamsAndCapsWhatItKeeps() throws Exception {
        Path noisy = script("noisy", "head -c 3000000 /dev/zero | tr '\\0' o; head -c 3000000 /dev/zero | tr '\\0' e >&2");
        LocalToolRunner capped = new LocalToolRunner(LocalToolRunner.Settings.defaults()
                .withToolPaths(Map.of("noisy", noisy)).withMaxOutputBytes(1000));

        CommandResult result = capped.run(List.of("noisy"), TIMEOUT);

        assertThat(result.succeeded()).isTrue();
        assertThat(result.truncated()).isTrue();
        assertThat(result.stdout()).hasSize(1000).matches("o+");
        assertThat(result.stderr()).hasSize(1000).matches("e+");
    }

    @Test
    void killsTheWholeProcessTreeOnTimeout() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Path hang = script("hang", "sleep 300 & echo $! > " + pidFile + "; wait");

        assertThatThrownBy(() -> runner(Map.of("hang", hang)).run(List.of("hang"), Duration.ofMillis(500)))
                .isInstanceOf(NodeAccessException.TimedOut.class).hasMessageContaining("killed");

        long child = Long.parseLong(Files.readString(pidFile).strip());
        // Bounded wait for the kill to land; a zombie that init never reaps would otherwise hang the build.
        ProcessHandle.of(child).ifPresent(handle -> handle.onExit().completeOnTimeout(handle, 30, TimeUnit.SECONDS)
                .join());
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void aMissingBinaryIsToolMissing() {
        assertThatThrownBy(() -> runner(Map.of()).run(List.of("no-such-tool-tandem"), TIMEOUT))
                .isInstanceOf(NodeAccessException.ToolMissing.class);
    }

    @Test
    void exit126AndSudoPasswordPromptsArePermissionDenied() throws Exception {
        Path denied = script("denied", "exit 126");
        Path sudo = script("sudo", "echo 'sudo: a password is required' >&2; exit 1");

        assertThatThrownBy(() -> runner(Map.of("denied", denied)).run(List.of("denied"), TIMEOUT))
                .isInstanceOf(NodeAccessException.PermissionDenied.class);
        LocalToolRunner withSudo = new LocalToolRunner(LocalToolRunner.Settings.defaults().withSudo(true)
                .withToolPaths(Map.of("sudo", sudo)));
        assertThatThrownBy(() -> withSudo.run(List.of("nft", "list", "ruleset"), TIMEOUT))
                .isInstanceOf(NodeAccessException.PermissionDenied.class)
                .hasMessageContaining("a password is required");
    }

    @Test
    void sudoPrefixIsNonInteractiveAndEndsOptionParsing() throws Exception {
        Path sudo = script("sudo", "printf '%s|' \"$@\"");
        LocalToolRunner withSudo = new LocalToolRunner(LocalToolRunner.Settings.defaults().withSudo(true)
                .withToolPaths(Map.of("sudo", sudo)));

        assertThat(withSudo.run(List.of("systemctl", "show", "nfo"), TIMEOUT).stdout())
                .isEqualTo("-n|--|systemctl|show|nfo|");
    }

    @Test
    void refusesArgumentsWithNulAndRelativeToolPaths() {
        assertThatThrownBy(() -> runner(Map.of()).run(List.of("echo", "a\0b"), TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LocalToolRunner.Settings.defaults().withToolPaths(Map.of("nft", Path.of("nft"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
