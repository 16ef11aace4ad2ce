package io.tandem.lab.exporter;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code lab exporters --to HOST:PORT[,HOST:PORT] --exporters N --templates M --version 9|10
 * --template-interval S --rate RECORDS_PER_S [--duration S]}: a thin wrapper over
 * {@link ExporterSimulator}. Runs until the duration ends or the thread is interrupted.
 */
public final class ExportersCommand {

    static final String USAGE = "usage: lab exporters --to HOST:PORT[,HOST:PORT] --exporters N --templates M "
            + "--version 9|10 --template-interval S --rate RECORDS_PER_S [--duration S]";
    private static final Set<String> OPTIONS = Set.of("--to", "--exporters", "--templates", "--version",
            "--template-interval", "--rate", "--duration");

    private ExportersCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        ExporterSimulator.Config config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "\n" + USAGE);
            return 2;
        }
        try (ExporterSimulator simulator = new ExporterSimulator(config, Clock.systemUTC())) {
            simulator.start();
            out.println("sending to " + config.destinations() + " from " + config.exporters() + " exporters");
            try {
                simulator.awaitEnd();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            simulator.close();
            ExporterSimulator.Counters c = simulator.counters();
            out.println("packets=" + c.packets() + " templatePackets=" + c.templatePackets() + " dataRecords="
                    + c.dataRecords() + " sendErrors=" + c.sendErrors());
            return 0;
        } catch (IOException e) {
            err.println("cannot open a UDP socket: " + e.getMessage());
            return 2;
        }
    }

    static ExporterSimulator.Config parse(List<String> args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (!OPTIONS.contains(option) || i + 1 >= args.size()) {
                throw new IllegalArgumentException("unknown option or missing value: " + option);
            }
            values.put(option, args.get(++i));
        }
        for (String required : List.of("--to", "--exporters", "--templates", "--version", "--template-interval", "--rate")) {
            if (!values.containsKey(required)) {
                throw new IllegalArgumentException("missing " + required);
            }
        }
        List<InetSocketAddress> destinations = new ArrayList<>();
        for (String to : values.get("--to").split(",")) {
            destinations.add(destination(to.trim()));
        }
        Duration duration = values.containsKey("--duration") ? Duration.ofSeconds(number(values, "--duration")) : null;
        return new ExporterSimulator.Config(destinations, (int) number(values, "--exporters"),
                (int) number(values, "--templates"), (int) number(values, "--version"),
                Duration.ofSeconds(number(values, "--template-interval")), (int) number(values, "--rate"), duration);
    }

    /** HOST:PORT or [IPv6]:PORT. */
    public static InetSocketAddress destination(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("destination must be HOST:PORT: " + text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + text);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range in " + text);
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve " + host);
        }
        return address;
    }

    private static long number(Map<String, String> values, String option) {
        try {
            long n = Long.parseLong(values.get(option));
            if (n < 0 || n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(option + " out of range");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number");
        }
    }
}
