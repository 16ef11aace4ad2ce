package io.tandem.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's systemd unit as the packages ship it ({@code tandem-agent.service} beside this class). It is the one
 * place the agent's JVM flags and environment are written down: the .deb and .rpm install the file, and
 * {@code bench agent} and the process tests start their agents with {@link #jvmOptions()} and {@link #environment()}
 * read from it, so a figure measured is a figure shipped.
 */
public record ServiceUnit(String text, Map<String, String> environment, List<String> jvmOptions) {

    public static final String RESOURCE = "tandem-agent.service";

    public ServiceUnit {
        environment = Map.copyOf(environment);
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** The unit inside this jar. */
    public static ServiceUnit shipped() {
        try (InputStream in = ServiceUnit.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the {@code Environment=} lines of the [Service] section; {@code JAVA_OPTS} is split into the JVM options
     * (no quoting inside it: systemd's {@code $JAVA_OPTS} splits on whitespace too).
     */
    static ServiceUnit parse(String text) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String line : text.lines().map(String::strip).toList()) {
            if (!line.startsWith("Environment=")) {
                continue;
            }
            String assignment = line.substring("Environment=".length());
            if (assignment.length() >= 2 && assignment.startsWith("\"") && assignment.endsWith("\"")) {
                assignment = assignment.substring(1, assignment.length() - 1);
            }
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("unit: Environment line without NAME=value: " + line);
            }
            environment.put(assignment.substring(0, eq), assignment.substring(eq + 1));
        }
        String javaOpts = environment.remove("JAVA_OPTS");
        if (javaOpts == null || javaOpts.isBlank()) {
            throw new IllegalArgumentException("unit: no Environment=\"JAVA_OPTS=...\" line");
        }
        List<String> options = new ArrayList<>(Arrays.asList(javaOpts.strip().split("\\s+")));
        return new ServiceUnit(text, environment, options);
    }
}
