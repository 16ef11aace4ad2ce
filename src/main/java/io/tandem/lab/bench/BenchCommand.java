package io.tandem.lab.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Function;

/**
 * What a bench command does with its arguments before and after measuring: bad options are refused with the usage
 * before anything starts (exit 2), a measurement that failed says why (exit 1).
 */
public final class BenchCommand {

    /** Measures and prints; throws when it could not. */
    @FunctionalInterface
    public interface Measurement<O> {
        void measure(O options, PrintStream out) throws Exception;
    }

    private BenchCommand() {
    }

    /** @param parse throws IllegalArgumentException naming the bad option */
    public static <O> int run(String name, String usage, List<String> args, Function<List<String>, O> parse,
                              Measurement<O> measurement, PrintStream out, PrintStream err) {
        O options;
        try {
            options = parse.apply(args);
        } catch (IllegalArgumentException e) {
            err.println("bench " + name + ": " + e.getMessage());
            err.println(usage);
            return 2;
        }
        try {
            measurement.measure(options, out);
            return 0;
        } catch (Exception e) {
            err.println("bench " + name + ": " + e);
            return 1;
        }
    }
}
