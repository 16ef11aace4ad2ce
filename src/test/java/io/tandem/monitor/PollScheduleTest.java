package io.tandem.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tandem.fleet.AccessKind;

class PollScheduleTest {

    private static final MonitorProperties DEFAULTS = new MonitorProperties(true, Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(20),
            Duration.ofSeconds(60), 16, Duration.ofDays(30), Duration.ofSeconds(15));

    @ParameterizedTest(name = "{0}, {1} failures, unsettled {2} -> {3}")
    @CsvSource(textBlock = """
            AGENT, 0, false, PT2S
            AGENT, 0, true,  PT2S
            SSH,   0, false, PT5S
            SSH,   0, true,  PT1S
            SSH,   1, true,  PT2S
            SSH,   3, false, PT40S
            SSH,   4, false, PT60S
            AGENT, 99, false, PT60S
            SSH,   -1, false, PT5S
            """)
    void theWaitFollowsTransportFailuresAndWhetherThePairIsUnsettled(AccessKind access, int failures, boolean unsettled,
                                                                      Duration expected) {
        assertThat(new PollSchedule(DEFAULTS).next(access, failures, unsettled)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "ssh every {0}, unsettled every {1} -> {2}")
    @CsvSource(textBlock = """
            PT5S,   PT1S, PT1S
            PT0.5S, PT1S, PT0.5S
            """)
    void anUnsettledPairIsNeverReadLessOftenThanASettledOne(Duration ssh, Duration unsettled, Duration expected) {
        MonitorProperties properties = new MonitorProperties(true, Duration.ofSeconds(2), ssh, unsettled,
                Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(60), 16, Duration.ofDays(30),
                Duration.ofSeconds(15));
        assertThat(new PollSchedule(properties).next(AccessKind.SSH, 0, true)).isEqualTo(expected);
    }
}
