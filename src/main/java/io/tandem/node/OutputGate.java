package io.tandem.node;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The output gate convention (docs/adr/0002-output-gate-convention.md): Tandem owns the nftables table
 * {@code inet tandem} with one base chain {@code output} ({@code type filter hook output priority 0; policy
 * accept}). The gate is BLOCKED when the chain holds, per configured NFO output destination, the rule
 * {@code <ip|ip6> daddr <dest> <udp|tcp> dport <port> counter drop comment "tandem-gate"}; OPEN when the chain
 * holds none; ABSENT when there is no table. Nothing else belongs in the table: block and open rewrite the
 * chain completely, in one nft transaction, so the gate is never half-switched.
 *
 * <p>The commands are argvs for a {@link ToolRunner}: nft reads its arguments as one script, so no stdin and no
 * shell are needed. Every value in the script comes from a validated {@link GateDestination}.
 */
public final class OutputGate {

    public static final String FAMILY = "inet";
    public static final String TABLE = "tandem";
    public static final String CHAIN = "output";
    public static final String COMMENT = "tandem-gate";
    /**
     * The comment of a drop rule Tandem writes to hold a node's gate blocked for a handover while Pacemaker still runs
     * the gate there, followed by the hold's deadline in epoch seconds (ADR 0002, gate agent 1.2): until then the
     * agent's monitor reads the hold as "running", after it as an error that makes Pacemaker recover the gate.
     */
    public static final String HOLD_COMMENT_PREFIX = "tandem-hold until ";

    private OutputGate() {
    }

    /** {@code nft -j list table inet tandem}; read the answer with {@link #read(CommandResult)}. */
    public static List<String> listCommand() {
        return List.of("nft", "-j", "list", "table", FAMILY, TABLE);
    }

    public static List<String> blockCommand(List<GateDestination> destinations) {
        return List.of("nft", String.join("; ", blockStatements(destinations)));
    }

    /**
     * Blocks like {@link #blockCommand} with rules that say Tandem holds them until {@code until} (whole seconds):
     * the source of a make-before-break switchover, blocked right after the target opened, before Pacemaker moves.
     */
    public static List<String> holdCommand(List<GateDestination> destinations, Instant until) {
        return List.of("nft", String.join("; ", dropStatements(destinations, holdComment(until))));
    }

    /** The comment of a hold until {@code until}, truncated to the second as the agent compares it. */
    public static String holdComment(Instant until) {
        if (until == null || until.getEpochSecond() <= 0) {
            throw new IllegalArgumentException("a hold needs a deadline after the epoch");
        }
        return HOLD_COMMENT_PREFIX + until.getEpochSecond();
    }

    /** The deadline of a hold rule's comment, empty for any other comment. */
    public static Optional<Instant> holdDeadline(String comment) {
        if (comment == null || !comment.startsWith(HOLD_COMMENT_PREFIX)) {
            return Optional.empty();
        }
        String seconds = comment.substring(HOLD_COMMENT_PREFIX.length());
        if (!seconds.matches("[1-9][0-9]{0,11}")) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(seconds)));
    }

    public static List<String> openCommand() {
        return List.of("nft", String.join("; ", chainStatements()));
    }

    /** The block transaction as an {@code nft -f} file: for the setup plan, the docs and our OCF agent. */
    public static String blockScript(List<GateDestination> destinations) {
        return String.join("\n", blockStatements(destinations)) + "\n";
    }

    public static String openScript() {
        return String.join("\n", chainStatements()) + "\n";
    }

    private static List<String> blockStatements(List<GateDestination> destinations) {
        return dropStatements(destinations, COMMENT);
    }

    private static List<String> dropStatements(List<GateDestination> destinations, String comment) {
        if (destinations == null || destinations.isEmpty()) {
            throw new IllegalArgumentException("blocking needs at least one output destination");
        }
        List<String> statements = new ArrayList<>(chainStatements());
        destinations.stream().distinct().forEach(destination -> statements.add("add rule " + FAMILY + " " + TABLE
                + " " + CHAIN + " " + destination.nftMatch() + " counter drop comment \"" + comment + "\""));
        return statements;
    }

    /** {@code add} is idempotent for tables and chains, so this works whether or not the table exists yet. */
    private static List<String> chainStatements() {
        return List.of("add table " + FAMILY + " " + TABLE,
                "add chain " + FAMILY + " " + TABLE + " " + CHAIN
                        + " { type filter hook output priority 0; policy accept; }",
                "flush chain " + FAMILY + " " + TABLE + " " + CHAIN);
    }

    /**
     * Reads the answer to {@link #listCommand()}: nft exits 1 with "No such file or directory" when the table is
     * absent, which is a state, not an error.
     */
    public static GateState read(CommandResult result) throws NodeAccessException {
        if (!result.succeeded()) {
            String error = result.stderr() == null ? "" : result.stderr();
            if (error.contains("No such file or directory")) {
                return GateState.absent();
            }
            if (error.contains("Operation not permitted")) {
                throw new NodeAccessException.PermissionDenied("nft: " + result.firstErrorLine(), null);
            }
            throw new NodeAccessException.BadAnswer("nft exited " + result.exitCode() + ": "
                    + result.firstErrorLine(), null);
        }
        return NftJsonReader.read(result.stdout());
    }
}
