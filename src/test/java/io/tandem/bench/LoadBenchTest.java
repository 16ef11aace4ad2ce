package io.tandem.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class LoadBenchTest {

    @Test
    void optionsGivenReplaceTheDefaultsAndTheRestStay() {
        assertThat(LoadBench.parse(List.of())).isEqualTo(new LoadBench.Options(200, 20, 100, 60, 4));
        assertThat(LoadBench.parse(List.of("--api-clients", "5", "--seconds", "30")))
                .isEqualTo(new LoadBench.Options(200, 5, 100, 30, 4));
    }

    @Test
    void badOptionsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> LoadBench.parse(List.of("--pairs", "-3"))).hasMessageContaining("--pairs takes a number from 1 to 100000, got '-3'");
        assertThatThrownBy(() -> LoadBench.parse(List.of("--sessions", "200", "--trials"))).hasMessageContaining("unknown option or missing value: --trials");
        assertThatThrownBy(() -> LoadBench.parse(List.of("--seconds"))).hasMessageContaining("missing value: --seconds");
    }
}
