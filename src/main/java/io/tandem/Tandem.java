package io.tandem;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;

import io.tandem.agent.AgentCommand;
import io.tandem.lab.exporter.ExportersCommand;
import io.tandem.lab.bench.AgentBench;
import io.tandem.lab.bench.CopyBench;
import io.tandem.lab.bench.SnapshotBench;
import io.tandem.lab.nfo.LabNfoCommand;
import io.tandem.lab.sink.SinkCommand;
import io.tandem.lab.bench.FuzzCommand;
import io.tandem.lab.bench.TemplateBench;
import io.tandem.netflow.cli.TemplatesCommand;

/**
 * Entry point of the single artifact. The first argument that is not an option names the role;
 * everything else (Spring options such as {@code --server.port=8081}) passes through to that role.
 */
public final class Tandem {

    /** Returned by a role that keeps running (a server); the JVM lives on. */
    static final int RUNNING = -1;

    /** A role or tool: takes the arguments after its words, returns an exit code or {@link #RUNNING}. */
    @FunctionalInterface
    interface Command {
        int run(List<String> args, PrintStream out, PrintStream err);
    }

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("console", Tandem::console);
        COMMANDS.put("agent", AgentCommand::run);
        COMMANDS.put("templates", TemplatesCommand::run);
        COMMANDS.put("lab exporters", ExportersCommand::run);
        COMMANDS.put("lab nfo", LabNfoCommand::run);
        COMMANDS.put("lab sink", SinkCommand::run);
        COMMANDS.put("bench templates", TemplateBench::run);
        COMMANDS.put("bench fuzz", FuzzCommand::run);
        COMMANDS.put("bench agent", AgentBench::run);
        COMMANDS.put("bench snapshot", SnapshotBench::run);
        COMMANDS.put("bench copy", CopyBench::run);
        COMMANDS.put("bench dashboard", io.tandem.bench.DashboardBench::run);
        COMMANDS.put("bench load", io.tandem.bench.LoadBench::run);
        COMMANDS.put("bench consoles", io.tandem.bench.ScaleOutBench::run);
        COMMANDS.put("bench consoles-member", io.tandem.bench.ScaleOutBench::member);
    }

    static final String USAGE = """
            usage: java -jar tandem.jar [ROLE] [OPTIONS]

            roles and tools:
              console                  the web console and REST API (default)
              agent init --state-dir DIR   create an agent's certificate, token and agent.yml on an NFO server
              agent --config FILE      run the agent (HTTPS API for the console); 'agent --help' for more
              templates FILE...        list the NetFlow v9/IPFIX templates in pcap, pcapng or raw payload files (JSON)
              lab exporters ...        send simulated NetFlow v9/IPFIX to collectors (--to HOST:PORT ...)
              lab nfo ...              a stand-in NFO node: NetFlow in, one syslog line per record out (--home DIR ...)
              lab sink ...             a SIEM stand-in counting syslog lines per node and second (--listen ADDR:PORT)
              bench templates          measure template tracking speed and allocation
              bench fuzz               mutate corpus packets against the decoder (--iterations N --seed S)
              bench agent [CALLS]      start an agent process; report its memory and /v1/health latency
              bench copy [--ssh ...]   the configuration copy against rsync -a --checksum: full, no change, one file changed
              bench dashboard          live dashboard: freshness, fleet overview render time, collector CPU
              bench load               browser sessions, event streams and API clients at once: latency, errors, throughput
              bench consoles           two consoles on one PostgreSQL: collector CPU each, overview, takeover after a kill

            Spring options pass through to the console, e.g. --server.port=8081 --tandem.data-dir=/var/lib/tandem
            """;

    private Tandem() {
    }

    public static void main(String[] args) {
        int exit = run(List.of(args), System.out, System.err);
        if (exit != RUNNING) {
            System.exit(exit);
        }
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Invocation invocation = Invocation.parse(args);
        if (invocation.help()) {
            out.print(USAGE);
            return 0;
        }
        Command command = COMMANDS.get(invocation.words());
        if (command == null) {
            err.println("tandem: unknown role '" + invocation.words() + "'");
            err.print(USAGE);
            return 2;
        }
        return command.run(invocation.rest(), out, err);
    }

    private static int console(List<String> args, PrintStream out, PrintStream err) {
        SpringApplication.run(ConsoleApplication.class, consoleArguments(args));
        return RUNNING;
    }

    /** {@code --demo} is the operator's word for {@code --tandem.demo.enabled=true}. */
    static String[] consoleArguments(List<String> args) {
        return args.stream().map(arg -> arg.equals("--demo") ? "--tandem.demo.enabled=true" : arg).toArray(String[]::new);
    }

    /**
     * The role words (one, or two for a family such as {@code lab exporters}) and the remaining
     * arguments. Options before the role word belong to the role too.
     */
    record Invocation(String words, List<String> rest, boolean help) {

        static Invocation parse(List<String> args) {
            List<String> rest = new ArrayList<>(args);
            if (rest.isEmpty() || rest.get(0).startsWith("-")) {
                boolean help = !rest.isEmpty() && (rest.get(0).equals("-h") || rest.get(0).equals("--help"));
                return new Invocation("console", List.copyOf(rest), help);
            }
            String first = rest.remove(0);
            if (first.equals("help")) {
                return new Invocation(first, List.of(), true);
            }
            if (!rest.isEmpty() && COMMANDS.containsKey(first + " " + rest.get(0))) {
                String second = rest.remove(0);
                return new Invocation(first + " " + second, List.copyOf(rest), false);
            }
            return new Invocation(first, List.copyOf(rest), false);
        }
    }
}
