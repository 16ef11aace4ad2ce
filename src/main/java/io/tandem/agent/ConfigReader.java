package io.tandem.agent;

import java.math.BigInteger;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads one YAML section (a map from SnakeYAML) into typed values, naming the full dotted key in every
 * complaint. Each section must be {@link #finish() finished} so that a misspelt key is an error, not a
 * silently ignored line.
 */
final class ConfigReader {

    private final Map<?, ?> values;
    private final String prefix;
    private final Set<String> read = new HashSet<>();

    ConfigReader(Map<?, ?> values, String prefix) {
        this.values = values == null ? Map.of() : values;
        this.prefix = prefix;
    }

    String key(String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    ConfigReader section(String name) throws ConfigException {
        Object value = raw(name);
        if (value == null) {
            return new ConfigReader(Map.of(), key(name));
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new ConfigException(key(name), "must be a section of 'key: value' lines, got " + describe(value));
        }
        return new ConfigReader(map, key(name));
    }

    String string(String name, String fallback, Pattern allowed, String allowedText) throws ConfigException {
        Object value = raw(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text)) {
            throw new ConfigException(key(name), "must be text, got " + describe(value));
        }
        if (!allowed.matcher(text).matches()) {
            throw new ConfigException(key(name), "must be " + allowedText + ", got " + quote(text));
        }
        return text;
    }

    long number(String name, long fallback, long min, long max) throws ConfigException {
        Object value = raw(name);
        if (value == null) {
            return fallback;
        }
        return checkNumber(key(name), value, min, max);
    }

    boolean bool(String name, boolean fallback) throws ConfigException {
        Object value = raw(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean b)) {
            throw new ConfigException(key(name), "must be true or false, got " + describe(value));
        }
        return b;
    }

    Path absolutePath(String name, Path fallback) throws ConfigException {
        Object value = raw(name);
        if (value == null) {
            return fallback;
        }
        return checkAbsolutePath(key(name), value);
    }

    List<Integer> ports(String name, List<Integer> fallback) throws ConfigException {
        List<?> items = list(name);
        if (items == null) {
            return fallback;
        }
        if (items.isEmpty()) {
            throw new ConfigException(key(name), "must list at least one port");
        }
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            ports.add((int) checkNumber(key(name) + "[" + i + "]", items.get(i), 1, 65535));
        }
        return List.copyOf(ports);
    }

    /** Globs relative to a root: never absolute, never climbing out of the root with "..". */
    List<String> relativeGlobs(String name, List<String> fallback) throws ConfigException {
        List<?> items = list(name);
        if (items == null) {
            return fallback;
        }
        List<String> globs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String itemKey = key(name) + "[" + i + "]";
            if (!(items.get(i) instanceof String glob) || glob.isBlank()) {
                throw new ConfigException(itemKey, "must be a glob such as 'server/etc/**', got " + describe(items.get(i)));
            }
            if (glob.startsWith("/") || glob.contains("\\") || List.of(glob.split("/")).contains("..")) {
                throw new ConfigException(itemKey, "must be relative to the root and stay inside it, got " + quote(glob));
            }
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + glob);
            } catch (PatternSyntaxException e) {
                throw new ConfigException(itemKey, "is not a valid glob (" + e.getDescription() + "), got " + quote(glob));
            }
            globs.add(glob);
        }
        return List.copyOf(globs);
    }

    Map<String, Path> pathsByName(String name, Map<String, Path> fallback, Pattern allowedNames) throws ConfigException {
        ConfigReader section = section(name);
        if (raw(name) == null) {
            return fallback;
        }
        Map<String, Path> paths = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : section.values.entrySet()) {
            String entryName = String.valueOf(entry.getKey());
            String entryKey = section.key(entryName);
            if (!allowedNames.matcher(entryName).matches()) {
                throw new ConfigException(entryKey, "is not a valid tool name (lowercase letters, digits, '_' or '-')");
            }
            paths.put(entryName, checkAbsolutePath(entryKey, entry.getValue()));
        }
        return Map.copyOf(paths);
    }

    /** Fails on the first key of this section that no reader asked for: a typo or a key from another version. */
    void finish() throws ConfigException {
        for (Object name : values.keySet()) {
            if (!read.contains(String.valueOf(name))) {
                throw new ConfigException(key(String.valueOf(name)), "unknown key");
            }
        }
    }

    private Object raw(String name) throws ConfigException {
        read.add(name);
        if (values.containsKey(name) && values.get(name) == null) {
            throw new ConfigException(key(name), "has no value; give one or remove the line to use the default");
        }
        return values.get(name);
    }

    private List<?> list(String name) throws ConfigException {
        Object value = raw(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> items)) {
            throw new ConfigException(key(name), "must be a list such as [a, b], got " + describe(value));
        }
        return items;
    }

    private static long checkNumber(String key, Object value, long min, long max) throws ConfigException {
        boolean whole = value instanceof Integer || value instanceof Long || value instanceof BigInteger;
        if (!whole) {
            throw new ConfigException(key, "must be a whole number, got " + describe(value));
        }
        BigInteger number = new BigInteger(value.toString());
        if (number.compareTo(BigInteger.valueOf(min)) < 0 || number.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new ConfigException(key, "must be " + min + ".." + max + ", got " + number);
        }
        return number.longValueExact();
    }

    private static Path checkAbsolutePath(String key, Object value) throws ConfigException {
        if (!(value instanceof String text) || text.isBlank()) {
            throw new ConfigException(key, "must be an absolute path, got " + describe(value));
        }
        try {
            Path path = Path.of(text);
            if (!path.isAbsolute()) {
                throw new ConfigException(key, "must be an absolute path, got " + quote(text));
            }
            return path.normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(key, "is not a valid path (" + e.getReason() + ")");
        }
    }

    static String describe(Object value) {
        if (value instanceof String text) {
            return "text " + quote(text);
        }
        if (value instanceof Map<?, ?>) {
            return "a section";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        return String.valueOf(value);
    }

    /** Quoted and cut short, so a hostile or binary value cannot flood or forge the one-line message. */
    static String quote(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
