package io.tandem.netflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.tandem.lab.bench.Fuzzer;
import io.tandem.lab.bench.SeedPackets;
import org.junit.jupiter.api.Test;

/** 100,000+ seeded mutations per run: no unchecked exception, cache and counters stay consistent. */
class FuzzTest {

    @Test
    void mutatedPacketsNeverThrowAndKeepTheCacheConsistent() throws IOException {
        List<byte[]> seeds = new ArrayList<>(SeedPackets.fromCorpus(Corpus.NETFLOW));
        seeds.addAll(SeedPackets.fromSimulator()); // always present, so the run never depends on the corpus
        Fuzzer.Result result = Fuzzer.run(seeds, 120_000, 20261125L);
        assertThat(result.failures()).isEmpty();
        assertThat(result.iterations()).isEqualTo(120_000);
        // the mutations must really hurt: most packets fail, yet templates still get learned
        assertThat(result.packetsWithErrors()).isGreaterThan(10_000);
        assertThat(result.templatesInCache()).isPositive();
    }

    @Test
    void sameSeedGivesTheSameRun() {
        List<byte[]> seeds = SeedPackets.fromSimulator();
        assertThat(Fuzzer.run(seeds, 5_000, 3)).isEqualTo(Fuzzer.run(seeds, 5_000, 3));
    }
}
