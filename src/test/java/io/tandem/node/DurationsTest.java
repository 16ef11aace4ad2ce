package io.tandem.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Durations read as words an operator says, never ISO-8601 ("PT5S"). */
class DurationsTest {

    @ParameterizedTest(name = "{0} ms is {1}")
    @CsvSource({
            "500, 500 ms",
            "5000, 5 s",
            "1500, 1.5 s",
            "119000, 119 s",
            "150000, 2 min 30 s",
            "600000, 10 min",
            "11100000, 3 h 5 min",
            "7200000, 2 h",
            "187200000, 2 d 4 h"})
    void inWords(long millis, String words) {
        assertThat(Durations.words(Duration.ofMillis(millis))).isEqualTo(words).doesNotContain("PT");
    }
}
