package io.tandem.lab.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fuzz [--iterations N] [--seed S] [--corpus DIR]}: a long fuzz run of the decoder over
 * mutated corpus packets (simulator packets when the corpus directory is absent). Exit 0 when no
 * unchecked exception or inconsistency was found, 1 otherwise, 2 on bad usage.
 */
public final class FuzzCommand {

    static final Path DEFAULT_CORPUS = Path.of("..", "shared", "corpus", "netflow");

    private FuzzCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        long iterations = 1_000_000;
        long seed = 1;
        Path corpus = DEFAULT_CORPUS;
        try {
            for (int i = 0; i < args.size(); i++) {
                switch (args.get(i)) {
                    case "--iterations" -> iterations = Long.parseLong(args.get(++i));
                    case "--seed" -> seed = Long.parseLong(args.get(++i));
                    case "--corpus" -> corpus = Path.of(args.get(++i));
                    default -> throw new IllegalArgumentException("unknown option " + args.get(i));
                }
            }
            if (iterations < 1) {
                throw new IllegalArgumentException("--iterations must be positive");
            }
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            err.println(e.getMessage() + "\nusage: fuzz [--iterations N] [--seed S] [--corpus DIR]");
            return 2;
        }
        List<byte[]> seeds;
        try {
            seeds = new ArrayList<>(SeedPackets.fromCorpus(corpus));
        } catch (IOException e) {
            err.println("cannot read corpus " + corpus + ": " + e.getMessage());
            return 2;
        }
        String source = seeds.isEmpty() ? "simulator" : "corpus " + corpus;
        if (seeds.isEmpty()) {
            seeds.addAll(SeedPackets.fromSimulator());
        }
        Fuzzer.Result result = Fuzzer.run(seeds, iterations, seed);
        out.printf("fuzz: %d iterations over %d seed packets from %s, seed %d: %d packets with decode errors, "
                        + "%d templates cached, %d failures%n", result.iterations(), seeds.size(), source, seed,
                result.packetsWithErrors(), result.templatesInCache(), result.failures().size());
        result.failures().forEach(out::println);
        return result.passed() ? 0 : 1;
    }
}
