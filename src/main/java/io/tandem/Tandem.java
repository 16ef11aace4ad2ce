package io.tandem;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringApplication;

/**
 * Entry point of the single artifact. The first argument that is not an option names the role;
 * everything else (Spring options such as {@code --server.port=8081}) passes through to that role.
 */
public final class Tandem {

    static final String USAGE = """
            usage: java -jar tandem.jar [ROLE] [OPTIONS]

            roles:
              console            the web console and REST API (default)
                                 --demo starts the demo lab beside it
              agent              the agent on an NFO server: 'agent init --state-dir DIR', then
                                 'agent --config DIR/agent.yml' (see 'agent --help')
            Spring options pass through, e.g. --server.port=8081 --tandem.data-dir=/var/lib/tandem
            """;

    private Tandem() {
    }

    public static void main(String[] args) {
        int exit = run(List.of(args), System.out, System.err);
        if (exit != RUNNING) {
            System.exit(exit);
        }
    }

    /** Returned when the role keeps running (a server); the JVM lives on. */
    static final int RUNNING = -1;

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Invocation invocation = Invocation.parse(args);
        return switch (invocation.role()) {
            case "console" -> {
                SpringApplication.run(ConsoleApplication.class, invocation.rest().toArray(String[]::new));
                yield RUNNING;
            }
            case "agent" -> io.tandem.agent.AgentCommand.run(invocation.rest(), out, err);
            case "help", "-h", "--help" -> {
                out.print(USAGE);
                yield 0;
            }
            default -> {
                err.println("tandem: unknown role '" + invocation.role() + "'");
                err.print(USAGE);
                yield 2;
            }
        };
    }

    /** The role word and the arguments that follow it, options before the role included. */
    record Invocation(String role, List<String> rest) {
        static Invocation parse(List<String> args) {
            List<String> rest = new ArrayList<>(args);
            for (int i = 0; i < rest.size(); i++) {
                String arg = rest.get(i);
                if (arg.equals("-h") || arg.equals("--help")) {
                    return new Invocation("help", List.of());
                }
                if (!arg.startsWith("-")) {
                    rest.remove(i);
                    return new Invocation(arg, List.copyOf(rest));
                }
            }
            return new Invocation("console", List.copyOf(rest));
        }
    }
}
