package io.tandem.access.agent;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;

/**
 * Parses a {@code text/event-stream} (WHATWG HTML, "Server-sent events"): {@code id}, {@code event} and
 * {@code data} fields, multi-line data, comments, any of CRLF, LF or CR as line end. Lines and events are
 * bounded, so a broken stream cannot make the console buffer without end.
 */
final class SseReader {

    /** Receives each complete event. */
    interface Sink {
        /**
         * @param id the id given in this event's block, or null when the block had none
         * @param type the {@code event} field, "message" when absent (the SSE default)
         */
        void event(String id, String type, String data) throws IOException;
    }

    /** Thrown when a line or an event exceeds the bound. */
    static final class TooLarge extends IOException {
        TooLarge(int limit) {
            super("event stream line or event larger than " + limit + " bytes");
        }
    }

    private final PushbackInputStream in;
    private final int maxEventBytes;
    private final Runnable onActivity;
    private String lastEventId;

    SseReader(InputStream in, int maxEventBytes, Runnable onActivity) {
        this.in = new PushbackInputStream(new BufferedInputStream(in), 1);
        this.maxEventBytes = maxEventBytes;
        this.onActivity = onActivity;
    }

    /** The stream's last event id so far (what a reconnect sends as {@code Last-Event-ID}). */
    String lastEventId() {
        return lastEventId;
    }

    void lastEventId(String id) {
        this.lastEventId = id;
    }

    /** Reads until the stream ends; an unfinished last event is discarded, as the standard says. */
    void run(Sink sink) throws IOException {
        StringBuilder data = new StringBuilder();
        String type = null;
        String blockId = null;
        String line;
        while ((line = readLine()) != null) {
            onActivity.run();
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    data.setLength(data.length() - 1); // the newline after the last data line
                    sink.event(blockId, type == null ? "message" : type, data.toString());
                }
                data.setLength(0);
                type = null;
                blockId = null;
                continue;
            }
            if (line.charAt(0) == ':') {
                continue; // comment: the agent's heartbeat
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> type = value;
                case "data" -> {
                    data.append(value).append('\n');
                    if (data.length() > maxEventBytes) {
                        throw new TooLarge(maxEventBytes);
                    }
                }
                case "id" -> {
                    if (value.indexOf('\0') < 0) {
                        blockId = value;
                        lastEventId = value;
                    }
                }
                default -> {
                    // "retry" and unknown fields are ignored: reconnecting is the caller's policy
                }
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\r') {
                int next = in.read();
                if (next >= 0 && next != '\n') {
                    in.unread(next);
                }
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() >= maxEventBytes) {
                throw new TooLarge(maxEventBytes);
            }
            line.write(b);
        }
        return null;
    }
}
