package io.tandem.access.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class SseReaderTest {

    record Seen(String id, String type, String data) {
    }

    @Test
    void readsIdsTypesMultiLineDataAndCommentsWhateverTheLineEnds() throws Exception {
        String stream = ": hello\n\n"
                + "id: b-1\nevent: service.state\ndata: {\"a\":1}\n\n"
                + "id: b-2\r\nevent: gate.changed\r\ndata: line one\r\ndata:line two\r\n\r\n"
                + "data: no id, default type\r\r"
                + ": heartbeat\n\n"
                + "id: b-3\n\n"                        // an id alone moves the resume point but is no event
                + "id: b-4\ndata: unfinished";         // cut off: discarded

        AtomicInteger activity = new AtomicInteger();
        List<Seen> seen = new ArrayList<>();
        SseReader reader = new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), 1024,
                activity::incrementAndGet);
        reader.run((id, type, data) -> seen.add(new Seen(id, type, data)));

        assertThat(seen).containsExactly(
                new Seen("b-1", "service.state", "{\"a\":1}"),
                new Seen("b-2", "gate.changed", "line one\nline two"),
                new Seen(null, "message", "no id, default type"));
        assertThat(reader.lastEventId()).isEqualTo("b-4");
        assertThat(activity.get()).isGreaterThan(10);
    }

    @Test
    void anEndlessLineIsRefusedInsteadOfBuffered() {
        byte[] endless = "data: ".concat("x".repeat(5000)).getBytes(StandardCharsets.UTF_8);
        SseReader reader = new SseReader(new ByteArrayInputStream(endless), 1024, () -> { });

        assertThatThrownBy(() -> reader.run((id, type, data) -> { })).isInstanceOf(SseReader.TooLarge.class);
    }
}
