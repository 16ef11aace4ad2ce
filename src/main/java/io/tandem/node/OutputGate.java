package io.tandem.node;

import java.util.ArrayList;
import java.util.List;

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

    private OutputGate() {
    }

    /** {@code nft -j list table inet tandem}; read the answer with {@link #read(CommandResult)}. */
    public static List<String> listCommand() {
        return List.of("nft", "-j", "list", "table", FAMILY, TABLE);
    }

    public static List<String> blockCommand(List<GateDestination> destinations) {
        return List.of("nft", String.join("; ", blockStatements(destinations)));
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
        if (destinations == null || destinations.isEmpty()) {
            throw new IllegalArgumentException("blocking needs at least one output destination");
        }
        List<String> statements = new ArrayList<>(chainStatements());
        destinations.stream().distinct().forEach(destination -> statements.add("add rule " + FAMILY + " " + TABLE
                + " " + CHAIN + " " + destination.nftMatch() + " counter drop comment \"" + COMMENT + "\""));
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
