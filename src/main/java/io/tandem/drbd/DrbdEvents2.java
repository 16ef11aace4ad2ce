package io.tandem.drbd;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A live view built from {@code drbdsetup events2 [--now] [--statistics]}: feed it lines as they arrive and take
 * a {@link #snapshot()} whenever the console wants one. Lines are {@code <verb> <object> name:<res> key:value...}
 * with verbs {@code exists} (initial state, ended by {@code exists -}), {@code create}, {@code change} and
 * {@code destroy}. Not thread-safe: one reader thread owns it.
 *
 * <p>Tolerated on purpose: a {@code --timestamps} prefix, {@code --color} escapes, {@code --diff} values
 * ({@code old->new}), and a change for an object not yet seen (DRBD may report it before its {@code exists}).
 * Of the helper notifications ({@code call}/{@code response}) only a call of the split-brain handlers matters; the
 * others, and {@code path} objects, carry no replication state and are skipped.
 */
public final class DrbdEvents2 {

    private static final String FORMAT = "drbdsetup events2";
    private static final Set<String> STATE_VERBS = Set.of("exists", "create", "change", "destroy");
    private static final Set<String> HELPER_VERBS = Set.of("call", "response");

    private final StatusBuilder status = new StatusBuilder();
    private boolean initialStateComplete;
    private long linesApplied;

    /**
     * Parses a whole transcript. Lines indented with whitespace continue the previous one, and a line of only
     * {@code ...} marks omitted events, as in documentation listings; the live stream never has either.
     */
    public static DrbdStatus parse(String text) throws DrbdParseException {
        DrbdEvents2 view = new DrbdEvents2();
        List<String> joined = joinContinuations(TextLines.lines(text, FORMAT));
        for (int i = 0; i < joined.size(); i++) {
            try {
                view.apply(joined.get(i));
            } catch (DrbdParseException e) {
                throw new DrbdParseException(FORMAT + ", event " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (view.linesApplied == 0) {
            throw new DrbdParseException(FORMAT + ": no events found");
        }
        return view.snapshot();
    }

    /**
     * Applies one line of the stream. A line rejected for a malformed value may have been applied in part; the
     * caller then restarts {@code events2 --now} rather than trust the view.
     */
    public void apply(String line) throws DrbdParseException {
        if (line == null || line.length() > 64 * 1024) {
            throw new DrbdParseException("missing or oversized events2 line");
        }
        List<String> tokens = withoutTimestamp(TextLines.tokens(TextLines.stripAnsi(line)));
        if (tokens.isEmpty()) {
            return;
        }
        String verb = tokens.get(0);
        if (HELPER_VERBS.contains(verb)) {
            helper(verb, tokens);
            linesApplied++;
            return;
        }
        if (!STATE_VERBS.contains(verb) || tokens.size() < 2) {
            throw new DrbdParseException("not an events2 line: '" + abbreviate(line) + "'");
        }
        if (tokens.get(1).equals("-")) {
            initialStateComplete = true;
            linesApplied++;
            return;
        }
        List<TextLines.Pair> pairs = pairs(tokens);
        String resourceName = value(pairs, "name");
        if (resourceName == null) {
            throw new DrbdParseException("event without name: '" + abbreviate(line) + "'");
        }
        if (verb.equals("destroy")) {
            destroy(tokens.get(1), resourceName, pairs);
        } else {
            update(tokens.get(1), resourceName, pairs);
        }
        linesApplied++;
    }

    /** DRBD calls the {@code split-brain} (or {@code initial-split-brain}) handler when it detects one. */
    private void helper(String verb, List<String> tokens) throws DrbdParseException {
        if (!verb.equals("call") || tokens.size() < 2) {
            return;
        }
        List<TextLines.Pair> pairs = pairs(tokens);
        String helper = value(pairs, "helper");
        String resourceName = value(pairs, "name");
        if (resourceName != null && helper != null && helper.endsWith("split-brain")) {
            status.resource(resourceName).connection(connectionKey(pairs)).reportSplitBrain();
        }
    }

    /** True once {@code exists -} was seen: before that the view may still be missing objects. */
    public boolean initialStateComplete() {
        return initialStateComplete;
    }

    public DrbdStatus snapshot() throws DrbdParseException {
        return status.build();
    }

    private void update(String object, String resourceName, List<TextLines.Pair> pairs) throws DrbdParseException {
        StatusBuilder.ResourceBuilder resource = status.resource(resourceName);
        StatusBuilder.Part target = switch (object) {
            case "resource" -> resource;
            case "device" -> resource.device(volume(pairs));
            case "connection" -> resource.connection(connectionKey(pairs));
            case "peer-device" -> resource.connection(connectionKey(pairs)).peerDevice(volume(pairs));
            default -> null; // "path" and future objects
        };
        if (target == null) {
            return;
        }
        for (TextLines.Pair pair : pairs) {
            if (!pair.key().equals("name")) {
                target.set(pair.key(), pair.value());
            }
        }
    }

    private void destroy(String object, String resourceName, List<TextLines.Pair> pairs) throws DrbdParseException {
        if (object.equals("resource")) {
            status.removeResource(resourceName);
            return;
        }
        if (status.existing(resourceName).isEmpty()) {
            return;
        }
        StatusBuilder.ResourceBuilder resource = status.resource(resourceName);
        switch (object) {
            case "device" -> resource.removeDevice(volume(pairs));
            case "connection" -> resource.removeConnection(connectionKey(pairs));
            case "peer-device" -> resource.connection(connectionKey(pairs)).removePeerDevice(volume(pairs));
            default -> {
            }
        }
    }

    /** Connections are named by {@code conn-name} when configured, else by the peer's node id. */
    private static String connectionKey(List<TextLines.Pair> pairs) throws DrbdParseException {
        String name = value(pairs, "conn-name");
        if (name != null) {
            return name;
        }
        String nodeId = value(pairs, "peer-node-id");
        if (nodeId == null) {
            throw new DrbdParseException("connection event without conn-name or peer-node-id");
        }
        return "node-" + nodeId;
    }

    private static int volume(List<TextLines.Pair> pairs) throws DrbdParseException {
        String volume = value(pairs, "volume");
        if (volume == null) {
            throw new DrbdParseException("device event without volume");
        }
        return StatusBuilder.volume(volume);
    }

    /** {@code --diff} prints {@code key:old->new}; the state is the new value. */
    private static List<TextLines.Pair> pairs(List<String> tokens) {
        List<TextLines.Pair> pairs = new ArrayList<>();
        for (String token : tokens.subList(2, tokens.size())) {
            TextLines.Pair pair = TextLines.pair(token);
            if (pair != null) {
                int arrow = pair.value().lastIndexOf("->");
                pairs.add(arrow < 0 ? pair : new TextLines.Pair(pair.key(), pair.value().substring(arrow + 2)));
            }
        }
        return pairs;
    }

    private static String value(List<TextLines.Pair> pairs, String key) {
        return pairs.stream().filter(p -> p.key().equals(key)).map(TextLines.Pair::value).findFirst().orElse(null);
    }

    /** {@code --timestamps} puts the time first; drop it when the second word is the verb. */
    private static List<String> withoutTimestamp(List<String> tokens) {
        boolean prefixed = tokens.size() > 1 && !isVerb(tokens.get(0)) && isVerb(tokens.get(1));
        return prefixed ? tokens.subList(1, tokens.size()) : tokens;
    }

    private static boolean isVerb(String word) {
        return STATE_VERBS.contains(word) || HELPER_VERBS.contains(word);
    }

    private static List<String> joinContinuations(List<String> lines) {
        List<String> joined = new ArrayList<>();
        for (String line : lines) {
            if (line.strip().equals("...")) {
                continue;
            }
            if (!line.isEmpty() && Character.isWhitespace(line.charAt(0)) && !joined.isEmpty()) {
                joined.set(joined.size() - 1, joined.get(joined.size() - 1) + " " + line.strip());
            } else if (!line.isBlank()) {
                joined.add(line);
            }
        }
        return joined;
    }

    private static String abbreviate(String line) {
        String cleaned = line.strip().replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 100 ? cleaned.substring(0, 100) + "..." : cleaned;
    }
}
