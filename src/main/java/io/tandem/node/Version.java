package io.tandem.node;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version as Tandem's builds and scripts declare them: dotted numbers with an optional qualifier ({@code 1.10},
 * {@code 0.1.0}, {@code 0.2.0-SNAPSHOT}). Text from a node is parsed, never trusted: anything else is no version.
 *
 * @param numbers the dotted parts, at most four
 * @param qualifier what follows the dash ({@code SNAPSHOT}, {@code rc1}), or null for a release
 */
public record Version(List<Integer> numbers, String qualifier) implements Comparable<Version> {

    /** What a build run from classes (tests, the IDE, the demo from source) reports: it has no version. */
    public static final String DEVELOPMENT = "development";

    private static final Pattern FORM = Pattern.compile("(\\d{1,6}(?:\\.\\d{1,6}){0,3})(?:-([A-Za-z0-9.]{1,32}))?");

    public Version {
        numbers = List.copyOf(numbers);
    }

    /** The version of this build (the jar's Implementation-Version), or {@link #DEVELOPMENT} when run from classes. */
    public static String ofThisBuild() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? DEVELOPMENT : version;
    }

    /** Empty for null, {@link #DEVELOPMENT} and anything that is not a version (a hostile node's text included). */
    public static Optional<Version> parse(String text) {
        if (text == null || text.length() > 64) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Version(Arrays.stream(m.group(1).split("\\.")).map(Integer::valueOf).toList(), m.group(2)));
    }

    /**
     * Numerically ({@code 1.10} after {@code 1.9}), a missing part counting 0; at equal numbers a release is newer than
     * a qualified build of it ({@code 0.1.0-SNAPSHOT} before {@code 0.1.0}). Two different qualifiers of the same
     * numbers compare equal: neither is known to be older.
     */
    @Override
    public int compareTo(Version other) {
        for (int i = 0; i < Math.max(numbers.size(), other.numbers.size()); i++) {
            int c = Integer.compare(part(i), other.part(i));
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(qualifier == null, other.qualifier == null);
    }

    public boolean olderThan(Version other) {
        return compareTo(other) < 0;
    }

    private int part(int i) {
        return i < numbers.size() ? numbers.get(i) : 0;
    }

    @Override
    public String toString() {
        return String.join(".", numbers.stream().map(String::valueOf).toList()) + (qualifier == null ? "" : "-" + qualifier);
    }
}
