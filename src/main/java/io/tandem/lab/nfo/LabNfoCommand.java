package io.tandem.lab.nfo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import io.tandem.lab.exporter.ExportersCommand;

/**
 * {@code lab nfo --home DIR --listen ADDR:PORT --output HOST:PORT[/udp|/tcp] [--status-port N] [--name NODE]}:
 * runs one lab NFO node until the process is stopped (SIGTERM stops it cleanly). The node name defaults to the
 * home directory's name. The gate is open: a separate process has no simulated firewall to share.
 */
public final class LabNfoCommand {

    static final String USAGE = "usage: lab nfo --home DIR --listen ADDR:PORT --output HOST:PORT[/udp|/tcp] "
            + "[--status-port N] [--name NODE]";
    private static final Set<String> OPTIONS = Set.of("--home", "--listen", "--output", "--status-port", "--name");

    private LabNfoCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        LabNfoConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "\n" + USAGE);
            return 2;
        }
        LabNfo nfo;
        try {
            nfo = LabNfo.start(config);
        } catch (IOException e) {
            err.println("lab nfo: cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            nfo.stop();
            stopped.countDown();
        }, "lab-nfo-shutdown"));
        out.println("lab nfo " + config.nodeName() + " listening on " + nfo.listenAddress() + ", output "
                + config.output() + ", config " + nfo.configuration().digest()
                + nfo.statusPort().map(p -> ", status on 127.0.0.1:" + p).orElse(""));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            nfo.stop();
        }
        return 0;
    }

    static LabNfoConfig parse(List<String> args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (!OPTIONS.contains(option) || i + 1 >= args.size()) {
                throw new IllegalArgumentException("unknown option or missing value: " + option);
            }
            values.put(option, args.get(++i));
        }
        for (String required : List.of("--home", "--listen", "--output")) {
            if (!values.containsKey(required)) {
                throw new IllegalArgumentException("missing " + required);
            }
        }
        Path home = Path.of(values.get("--home")).toAbsolutePath().normalize();
        String name = values.getOrDefault("--name", home.getFileName() == null ? "" : home.getFileName().toString());
        int statusPort = LabNfoConfig.NO_STATUS_PORT;
        if (values.containsKey("--status-port")) {
            try {
                statusPort = Integer.parseInt(values.get("--status-port"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--status-port must be a number");
            }
        }
        return new LabNfoConfig(name, home, ExportersCommand.destination(values.get("--listen")),
                LabNfoConfig.Output.parse(values.get("--output")), statusPort, OutputGateSim.opened(),
                Clock.systemUTC());
    }
}
