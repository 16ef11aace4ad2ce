package io.tandem.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tandem agent ...}: {@code agent init} creates an agent's state, {@code agent --config FILE} runs it.
 * A bad command line or configuration ends with one line on stderr and exit code 2, never a stack trace.
 */
public final class AgentCommand {

    /** Returned when the agent server was started and keeps the JVM alive. */
    public static final int RUNNING = -1;

    static final String USAGE = """
            usage: tandem agent init --state-dir DIR [--host NAME]... [--pkcs12 FILE --pkcs12-password-file FILE] [--force] [--sudo]
                                    [--nfo-home DIR] [--nfo-service-unit UNIT] [--flow-port N]... [--listen-port N]
                   tandem agent --config FILE [--port N]

              init        create the agent's TLS certificate (or import --pkcs12), access token and default agent.yml
                --host    a further DNS name or IP address for the certificate (repeatable)
                --force   replace an existing state (new certificate and token: re-pin the node in the console)
                --sudo    the agent runs as an unprivileged user: reach the tools through 'sudo -n' (the packages' unit)
                --nfo-home, --nfo-service-unit, --flow-port, --listen-port
                          write these into agent.yml instead of its defaults (the console's Install agent passes them)
              --config    run the agent with this agent.yml
              --port      listen on this port instead of listen.port
            """;

    private AgentCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        try {
            if (args.contains("-h") || args.contains("--help")) {
                out.print(USAGE);
                return 0;
            }
            if (!args.isEmpty() && args.get(0).equals("init")) {
                return init(Options.parse(args.subList(1, args.size())), out, err);
            }
            return serve(Options.parse(args), err);
        } catch (UsageException e) {
            err.println("agent: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
    }

    private static int init(Options options, PrintStream out, PrintStream err) throws UsageException {
        options.allowOnly("--state-dir", "--pkcs12", "--pkcs12-password-file", "--host", "--force", "--sudo",
                "--nfo-home", "--nfo-service-unit", "--flow-port", "--listen-port");
        List<Integer> flowPorts = new ArrayList<>();
        for (String port : options.all("--flow-port")) {
            flowPorts.add(parsePort("--flow-port", port));
        }
        String listenPort = options.value("--listen-port");
        AgentInit.Node node = new AgentInit.Node(options.value("--nfo-home"), options.value("--nfo-service-unit"), flowPorts,
                listenPort == null ? null : parsePort("--listen-port", listenPort));
        AgentInit.Request request = new AgentInit.Request(options.requiredPath("--state-dir"), options.path("--pkcs12"),
                options.path("--pkcs12-password-file"), options.all("--host"), options.flag("--force"), options.flag("--sudo"),
                node);
        try {
            AgentInit.Result result = new AgentInit(new SecureRandom(), Clock.systemUTC()).create(request);
            AgentInit.print(result, out);
            return 0;
        } catch (AgentInit.Refused e) {
            err.println("agent init: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("agent init: " + e.getMessage());
            return 2;
        } catch (IOException | GeneralSecurityException e) {
            err.println("agent init: failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }

    private static int serve(Options options, PrintStream err) throws UsageException {
        options.allowOnly("--config", "--port");
        Path file = options.requiredPath("--config");
        String portOption = options.value("--port");
        Integer port = portOption == null ? null : parsePort("--port", portOption);
        String fileName = file.getFileName().toString();
        AgentConfig config;
        AgentState state;
        try {
            config = AgentConfig.load(file);
            if (port != null) {
                config = config.withPort(port);
            }
            state = AgentState.load(config.stateDir());
        } catch (ConfigException e) {
            err.println(fileName + ": " + e.getMessage());
            return 2;
        }
        try {
            AgentApplication.start(config, state);
            return RUNNING;
        } catch (RuntimeException e) {
            // Spring has logged its failure analysis; this line is the summary an init script shows.
            err.println("agent: cannot start: " + rootMessage(e));
            return 1;
        }
    }

    private static int parsePort(String option, String text) throws UsageException {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " must be 1..65535, got " + ConfigReader.quote(text));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** {@code --name value} pairs and bare flags, each name checked against what the subcommand takes. */
    private record Options(List<String[]> pairs) {

        private static final List<String> FLAGS = List.of("--force", "--sudo");

        static Options parse(List<String> args) throws UsageException {
            List<String[]> pairs = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String name = args.get(i);
                if (!name.startsWith("--")) {
                    throw new UsageException("unexpected argument " + ConfigReader.quote(name));
                }
                int eq = name.indexOf('=');
                if (eq > 0) {
                    pairs.add(new String[] {name.substring(0, eq), name.substring(eq + 1)});
                } else if (FLAGS.contains(name)) {
                    pairs.add(new String[] {name, "true"});
                } else if (i + 1 < args.size()) {
                    pairs.add(new String[] {name, args.get(++i)});
                } else {
                    throw new UsageException(name + " needs a value");
                }
            }
            return new Options(pairs);
        }

        void allowOnly(String... names) throws UsageException {
            List<String> allowed = List.of(names);
            for (String[] pair : pairs) {
                if (!allowed.contains(pair[0])) {
                    throw new UsageException("unknown option " + ConfigReader.quote(pair[0]));
                }
            }
        }

        String value(String name) throws UsageException {
            List<String> values = all(name);
            if (values.size() > 1) {
                throw new UsageException(name + " given more than once");
            }
            return values.isEmpty() ? null : values.get(0);
        }

        List<String> all(String name) {
            return pairs.stream().filter(p -> p[0].equals(name)).map(p -> p[1]).toList();
        }

        boolean flag(String name) {
            return !all(name).isEmpty();
        }

        Path path(String name) throws UsageException {
            String value = value(name);
            return value == null ? null : Path.of(value);
        }

        Path requiredPath(String name) throws UsageException {
            Path path = path(name);
            if (path == null) {
                throw new UsageException(name + " is required");
            }
            return path;
        }
    }
}
