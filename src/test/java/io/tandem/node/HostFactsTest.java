package io.tandem.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HostFactsTest {

    @Test
    void readsTheProcFiles() throws Exception {
        Instant now = Instant.parse("2026-11-25T19:41:49Z");

        HostFacts host = HostFacts.parse("nfo-a\n", "352841.27 1379022.51\n", "6.1.0-27-amd64\n", now);

        assertThat(host).isEqualTo(new HostFacts("nfo-a", Duration.ofSeconds(352841, 270_000_000),
                "6.1.0-27-amd64", now));
    }

    @Test
    void refusesWhatIsNotOneShortLine() {
        Instant now = Instant.now();
        assertThatThrownBy(() -> HostFacts.parse("a\nb", "1.0 1.0", "6.1", now))
                .isInstanceOf(NodeAccessException.BadAnswer.class);
        assertThatThrownBy(() -> HostFacts.parse("nfo-a", "-5 1.0", "6.1", now))
                .isInstanceOf(NodeAccessException.BadAnswer.class).hasMessageContaining("uptime");
        assertThatThrownBy(() -> HostFacts.parse("nfo-a", "1.0 1.0", "\u001b[31m6.1", now))
                .isInstanceOf(NodeAccessException.BadAnswer.class);
    }
}
