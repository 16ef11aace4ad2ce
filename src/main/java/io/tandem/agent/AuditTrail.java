package io.tandem.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.json.JsonMapper;

/**
 * The node-side record of every mutating call, one JSON object per line in {@code <state>/audit.jsonl}. It
 * stays on the node, so a compromised or mistaken console cannot erase what it did here.
 */
public final class AuditTrail {

    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

    /**
     * One audited request.
     *
     * @param token the id of the token used ({@code sha256:} and a hash prefix), null when none was accepted
     * @param status the HTTP status the agent answered
     * @param suppressed lines not written just before this one because unauthenticated calls and reads came faster
     *        than the audit's rate limit (0 normally)
     */
    public record Entry(Instant time, String client, String token, String method, String path, String query,
                        int status, long durationMillis, long suppressed) {
    }

    private final Path file;
    private final JsonMapper json;

    public AuditTrail(Path file, JsonMapper json) throws IOException {
        this.file = file;
        this.json = json;
        SecureFiles.touch(file);
    }

    /**
     * Appends one line. The file is opened per line so that log rotation (move + new file) needs no signal;
     * a failure is logged loudly but does not undo the call that already happened.
     */
    public synchronized void append(Entry entry) {
        byte[] line = (json.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            SecureFiles.touch(file);
            Files.write(file, line, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            log.error("AUDIT LOG NOT WRITTEN ({}): {}", file, new String(line, StandardCharsets.UTF_8).strip(), e);
        }
    }
}
