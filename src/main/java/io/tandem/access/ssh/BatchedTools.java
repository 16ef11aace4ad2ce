package io.tandem.access.ssh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tandem.node.CommandResult;
import io.tandem.node.NodeAccessException;
import io.tandem.node.ToolRunner;

/**
 * A snapshot's read-only commands in one round trip. The commands are those the collector itself asked for on the
 * node's previous snapshot (so the list follows its fallbacks, e.g. {@code crm_mon --as-xml} on old Pacemaker, and
 * holds nothing it did not produce); one remote script runs them in order, each under {@code timeout}, and the
 * collector is then answered from the results, parsed by the same parsers as before. A command it asks for that was
 * not fetched runs on its own, as it would without batching. Each answer is judged like a single command's
 * ({@link ToolFailures}), so a missing tool is still {@code ToolMissing} for its part only.
 */
final class BatchedTools implements ToolRunner {

    /** The most commands one batch runs; a snapshot needs about a dozen. */
    static final int MAX_COMMANDS = 64;
    /** What {@code timeout} exits with when it had to stop the command. */
    private static final int TIMED_OUT = 124;

    private final ToolRunner single;
    private final Map<List<String>, CommandResult> fetched;
    private final List<List<String>> asked = Collections.synchronizedList(new ArrayList<>());
    private final String where;

    BatchedTools(ToolRunner single, Map<List<String>, CommandResult> fetched, String where) {
        this.single = single;
        this.fetched = fetched;
        this.where = where;
    }

    /** Nothing fetched in advance: every command runs on its own and is remembered for the next time. */
    static BatchedTools learning(ToolRunner single, String where) {
        return new BatchedTools(single, Map.of(), where);
    }

    /**
     * Runs {@code commands} in one script on {@code remote} (the batch as a whole within {@code batchTimeout}, each
     * command within {@code perCommand}). When the batch cannot be read (an output held a NUL, or the output cap cut
     * it), nothing is fetched and every command runs on its own; connection failures are thrown.
     */
    static BatchedTools prefetch(SshToolRunner remote, ToolRunner single, List<List<String>> commands,
            Duration perCommand, Duration batchTimeout) throws NodeAccessException {
        String where = remote.target().address();
        List<String> argv = SshNodeAccess.stable(List.of("sh", "-c", script(commands, perCommand), "tandem-snapshot"));
        CommandResult batch;
        try {
            batch = remote.run(argv, new byte[0], batchTimeout);
        } catch (NodeAccessException.ToolMissing | NodeAccessException.PermissionDenied | NodeAccessException.BadAnswer e) {
            return learning(single, where); // e.g. sudo refused the shell: let each part report its own failure
        }
        Map<List<String>, CommandResult> results = batch.succeeded() && !batch.truncated()
                ? parse(batch.stdout(), commands) : null;
        return new BatchedTools(single, results == null ? Map.of() : results, where);
    }

    @Override
    public CommandResult run(List<String> argv, Duration timeout) throws NodeAccessException {
        asked.add(List.copyOf(argv));
        CommandResult result = fetched.get(argv);
        if (result == null) {
            return single.run(argv, timeout);
        }
        if (result.exitCode() == TIMED_OUT) {
            throw new NodeAccessException.TimedOut(argv.get(0) + " on " + where + " did not finish in time", null);
        }
        var failure = ToolFailures.of(argv.get(0), result);
        if (failure.isPresent()) {
            throw failure.get();
        }
        return result;
    }

    /** The commands the collector asked for, in order: what to fetch next time. */
    List<List<String>> asked() {
        synchronized (asked) {
            return asked.stream().distinct().limit(MAX_COMMANDS).toList();
        }
    }

    /**
     * Every word is single-quoted by {@link ShellCommand#quote}, as a single command's would be; the outputs are
     * framed as {@code stdout NUL stderr NUL exit NUL} per command.
     */
    static String script(List<List<String>> commands, Duration perCommand) {
        long seconds = Math.max(1, perCommand.toSeconds());
        // stdout goes straight out and stderr is copied only when there is any: few processes besides the tools
        StringBuilder script = new StringBuilder("""
                t=$(mktemp) || exit 70
                trap 'rm -f -- "$t"' EXIT
                if command -v timeout >/dev/null 2>&1; then T="timeout -k 1 %d"; else T=; fi
                run() {
                  # a missing program is reported by the shell itself, not by timeout
                  if command -v "$1" >/dev/null 2>&1; then $T "$@"; else "$@"; fi 2>"$t" </dev/null
                  r=$?
                  printf '\\0'; if [ -s "$t" ]; then cat -- "$t"; fi; printf '\\0%%s\\0' "$r"
                }
                """.formatted(seconds));
        for (List<String> command : commands) {
            script.append("run");
            command.forEach(word -> script.append(' ').append(ShellCommand.quote(word)));
            script.append('\n');
        }
        return script.toString();
    }

    /** @return null when the frames do not add up (a NUL inside an output) */
    static Map<List<String>, CommandResult> parse(String stdout, List<List<String>> commands) {
        String[] fields = stdout.split("\0", -1);
        if (fields.length != commands.size() * 3 + 1 || !fields[fields.length - 1].isEmpty()) {
            return null;
        }
        Map<List<String>, CommandResult> results = new HashMap<>();
        for (int i = 0; i < commands.size(); i++) {
            int exit;
            try {
                exit = Integer.parseInt(fields[i * 3 + 2]);
            } catch (NumberFormatException e) {
                return null;
            }
            results.put(commands.get(i), new CommandResult(exit, fields[i * 3], fields[i * 3 + 1], false));
        }
        return results;
    }
}
