package io.tandem.agent.api;

/** The text/event-stream framing of one event (WHATWG HTML, "Server-sent events"). */
final class SseFormat {

    private SseFormat() {
    }

    /**
     * One event block. Every line of {@code data} gets its own {@code data:} line, so a newline inside can never
     * end the block early or inject a field; id and type are single-line by construction and checked anyway.
     */
    static String event(String id, String type, String data) {
        StringBuilder block = new StringBuilder(data.length() + 64);
        if (id != null) {
            block.append("id: ").append(singleLine(id)).append('\n');
        }
        block.append("event: ").append(singleLine(type)).append('\n');
        for (String line : data.split("\r\n|\r|\n", -1)) {
            block.append("data: ").append(line).append('\n');
        }
        return block.append('\n').toString();
    }

    private static String singleLine(String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("an SSE id or event name cannot contain a line break");
        }
        return value;
    }
}
