package io.tandem.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Reads small system files ({@code /proc/...}) of a node: directly on the agent, or with {@code cat} through a
 * {@link ToolRunner} for the agentless adapter, so that both feed the same parsers.
 */
public interface FileSource {

    int MAX_BYTES = ProcNetUdp.MAX_INPUT_CHARS;

    /** The file's text, or empty when it does not exist (e.g. {@code /proc/net/snmp6} without IPv6). */
    Optional<String> read(String absolutePath) throws NodeAccessException;

    static FileSource local() {
        return path -> {
            try (InputStream in = Files.newInputStream(Path.of(path))) {
                byte[] bytes = in.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw new NodeAccessException.BadAnswer(path + " is larger than " + MAX_BYTES + " bytes", null);
                }
                return Optional.of(new String(bytes, StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (AccessDeniedException e) {
                throw new NodeAccessException.PermissionDenied("cannot read " + path, e);
            } catch (IOException e) {
                throw new NodeAccessException.BadAnswer("cannot read " + path + ": " + e.getMessage(), e);
            }
        };
    }

    static FileSource viaTool(ToolRunner runner, Duration timeout) {
        return path -> {
            CommandResult result = runner.run(List.of("cat", "--", path), timeout);
            if (result.succeeded() && !result.truncated()) {
                return Optional.of(result.stdout());
            }
            if (result.stderr().contains("No such file or directory")) {
                return Optional.empty();
            }
            throw new NodeAccessException.BadAnswer("cat " + path + ": "
                    + (result.truncated() ? "output truncated" : result.firstErrorLine()), null);
        };
    }
}
