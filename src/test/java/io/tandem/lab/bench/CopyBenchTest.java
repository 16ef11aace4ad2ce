package io.tandem.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class CopyBenchTest {

    @Test
    void optionsGivenReplaceTheDefaultsAndSshNeedsItsUserAndKey() {
        assertThat(CopyBench.Options.parse(List.of())).isEqualTo(new CopyBench.Options(200, 5, null));
        assertThat(CopyBench.Options.parse(List.of("--repeat", "3", "--ssh", "127.0.0.1:2222", "--user", "root", "--key", "/k")))
                .isEqualTo(new CopyBench.Options(200, 3, new CopyBench.Options.Ssh("127.0.0.1", 2222, "root", Path.of("/k"))));
    }

    @Test
    void badOptionsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> CopyBench.Options.parse(List.of("--files", "5"))).hasMessage("--files takes a number from 20 to 10000, got '5'");
        assertThatThrownBy(() -> CopyBench.Options.parse(List.of("--ssh", "127.0.0.1"))).hasMessageContaining("--ssh takes HOST:PORT");
        assertThatThrownBy(() -> CopyBench.Options.parse(List.of("--ssh", "127.0.0.1:22", "--user", "root")))
                .hasMessage("--ssh needs --user and --key");
        assertThatThrownBy(() -> CopyBench.Options.parse(List.of("--key", "/k"))).hasMessage("--user and --key go with --ssh HOST:PORT");
        assertThatThrownBy(() -> CopyBench.Options.parse(List.of("--repeat"))).hasMessage("unknown option or missing value: --repeat");
    }

    @Test
    void rsyncsOwnByteCountIsReadFromItsStatistics() {
        String stats = """
                Total file size: 3,680,512 bytes
                Total bytes sent: 3,721,004
                Total bytes received: 3,840
                """;
        assertThat(CopyBench.RsyncCopy.statBytes(stats)).isEqualTo(3_724_844);
    }
}
