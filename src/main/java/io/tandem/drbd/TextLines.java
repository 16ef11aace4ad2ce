package io.tandem.drbd;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Line and {@code key:value} handling common to the DRBD text formats. */
final class TextLines {

    /** Far above any real node's output; a bound keeps a hostile peer from exhausting the console's memory. */
    static final int MAX_CHARS = 8 * 1024 * 1024;

    /**
     * {@code drbdadm status --color=always} and {@code events2 --color} wrap states in ANSI colour codes; transcripts
     * (drbd-utils' own tests among them) often show the escape character in {@code cat -v} notation as {@code ^[}.
     */
    private static final Pattern ANSI = Pattern.compile("(?:\u001B|\\^\\[)\\[[0-9;]*[A-Za-z]");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    record Pair(String key, String value) {
    }

    private TextLines() {
    }

    static List<String> lines(String text, String format) throws DrbdParseException {
        if (text == null) {
            throw new DrbdParseException(format + ": no input");
        }
        if (text.length() > MAX_CHARS) {
            throw new DrbdParseException(format + ": input of " + text.length() + " characters is over the limit of "
                    + MAX_CHARS);
        }
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\\R", -1)) {
            lines.add(ANSI.matcher(line).replaceAll("").stripTrailing());
        }
        return lines;
    }

    /** One line of a text format, parsed into the reader's state. */
    interface LineReader {
        void line(String line) throws DrbdParseException;
    }

    /** Feeds every line to the reader; a failure names the format and the line number. */
    static void readLines(String text, String format, LineReader reader) throws DrbdParseException {
        List<String> lines = lines(text, format);
        for (int i = 0; i < lines.size(); i++) {
            try {
                reader.line(lines.get(i));
            } catch (DrbdParseException e) {
                throw new DrbdParseException(format + ", line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
    }

    static String stripAnsi(String line) {
        return ANSI.matcher(line).replaceAll("");
    }

    /** Leading spaces, a tab counting as eight: the text formats nest objects by indentation. */
    static int indent(String line) {
        int width = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ') {
                width++;
            } else if (c == '\t') {
                width += 8;
            } else {
                break;
            }
        }
        return width;
    }

    static List<String> tokens(String line) {
        String trimmed = line.strip();
        return trimmed.isEmpty() ? List.of() : List.of(WHITESPACE.split(trimmed));
    }

    /** {@code key:value} split at the first colon ({@code local:ipv4:10.0.0.1:7789} keeps the rest); null if none. */
    static Pair pair(String token) {
        int colon = token.indexOf(':');
        return colon <= 0 ? null : new Pair(token.substring(0, colon), token.substring(colon + 1));
    }

    static void applyAll(StatusBuilder.Part part, List<String> tokens, int from) throws DrbdParseException {
        for (int i = from; i < tokens.size(); i++) {
            Pair pair = pair(tokens.get(i));
            if (pair != null) {
                part.set(pair.key(), pair.value());
            }
        }
    }

    /** The value of the first {@code key:} token, or null. */
    static String valueOf(List<String> tokens, String key) {
        for (String token : tokens) {
            Pair pair = pair(token);
            if (pair != null && pair.key().equals(key)) {
                return pair.value();
            }
        }
        return null;
    }
}
