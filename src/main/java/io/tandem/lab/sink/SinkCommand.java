package io.tandem.lab.sink;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.tandem.lab.exporter.ExportersCommand;

/**
 * {@code lab sink --listen ADDR:PORT [--report FILE]}: runs a {@link SiemSink} until the process is stopped,
 * rewriting the JSON report every second (and once more at shutdown) when a report file is given.
 */
public final class SinkCommand {

    static final String USAGE = "usage: lab sink --listen ADDR:PORT [--report FILE]";

    private SinkCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        String listen = null;
        Path report = null;
        for (int i = 0; i < args.size(); i += 2) {
            if (i + 1 >= args.size()) {
                err.println("missing value for " + args.get(i) + "\n" + USAGE);
                return 2;
            }
            switch (args.get(i)) {
                case "--listen" -> listen = args.get(i + 1);
                case "--report" -> report = Path.of(args.get(i + 1));
                default -> {
                    err.println("unknown option: " + args.get(i) + "\n" + USAGE);
                    return 2;
                }
            }
        }
        if (listen == null) {
            err.println("missing --listen\n" + USAGE);
            return 2;
        }
        SiemSink sink;
        try {
            sink = SiemSink.start(ExportersCommand.destination(listen), Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (IOException e) {
            err.println("lab sink: cannot listen on " + listen + ": " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Path reportFile = report;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.countDown();
            sink.close();
            write(sink, reportFile, err);
        }, "lab-sink-shutdown"));
        out.println("lab sink listening on " + sink.udpAddress() + " (udp and tcp)");
        try {
            while (!stopped.await(1, TimeUnit.SECONDS)) {
                write(sink, reportFile, err);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void write(SiemSink sink, Path report, PrintStream err) {
        if (report == null) {
            return;
        }
        try {
            sink.writeReport(report);
        } catch (IOException e) {
            err.println("lab sink: cannot write " + report + ": " + e.getMessage());
        }
    }
}
