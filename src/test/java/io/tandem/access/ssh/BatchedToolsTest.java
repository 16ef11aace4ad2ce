package io.tandem.access.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tandem.node.CommandResult;
import io.tandem.node.NodeAccessException;
import io.tandem.node.ToolRunner;

/** The batch script run by a real /bin/sh: framing, quoting, exit codes and what is left to single commands. */
class BatchedToolsTest {

    @TempDir
    Path work;

    private String runScript(List<List<String>> commands) throws Exception {
        Path script = work.resolve("batch.sh");
        Files.writeString(script, BatchedTools.script(commands, Duration.ofSeconds(5)));
        Process process = new ProcessBuilder("/bin/sh", script.toString()).redirectErrorStream(false).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor()).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void eachCommandKeepsItsOwnOutputErrorsAndExitCodeAndHostileWordsStayWords() throws Exception {
        Path marker = work.resolve("pwned");
        List<String> hostile = List.of("printf", "%s", "$(touch " + marker + ")'; touch " + marker + " #");
        List<String> failing = List.of("sh", "-c", "echo oops >&2; exit 3");
        List<String> missing = List.of("no-such-tool-here");
        List<List<String>> commands = List.of(List.of("echo", "hello"), hostile, failing, missing);

        var results = BatchedTools.parse(runScript(commands), commands);

        assertThat(results.get(commands.get(0))).isEqualTo(new CommandResult(0, "hello\n", "", false));
        assertThat(results.get(hostile).stdout()).isEqualTo(hostile.get(2));
        assertThat(marker).doesNotExist();
        assertThat(results.get(failing)).isEqualTo(new CommandResult(3, "", "oops\n", false));
        assertThat(results.get(missing).exitCode()).isEqualTo(127);
    }

    @Test
    void framesThatDoNotAddUpAreNotTrusted() throws Exception {
        List<List<String>> commands = List.of(List.of("printf", "a\\0b"), List.of("echo", "x"));
        assertThat(BatchedTools.parse(runScript(commands), commands)).isNull();
    }

    @Test
    void aFetchedMissingToolIsToolMissingAndAnythingNotFetchedRunsOnItsOwn() throws Exception {
        List<String> asked = List.of("crm_mon", "--as-xml");
        ToolRunner single = (argv, timeout) -> new CommandResult(0, "single " + argv, "", false);
        BatchedTools tools = BatchedTools.learning(single, "node");
        assertThat(tools.run(asked, Duration.ofSeconds(1)).stdout()).isEqualTo("single " + asked);
        assertThat(tools.asked()).containsExactly(asked);

        List<List<String>> commands = List.of(List.of("no-such-tool-here"), List.of("echo", "fine"));
        BatchedTools batched = new BatchedTools(single, BatchedTools.parse(runScript(commands), commands), "node");
        assertThatThrownBy(() -> batched.run(commands.get(0), Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(NodeAccessException.ToolMissing.class,
                        e -> assertThat(e.getMessage()).contains("no-such-tool-here").doesNotContain("timeout"));
        assertThat(batched.run(commands.get(1), Duration.ofSeconds(1)).stdout()).isEqualTo("fine\n");
    }
}
