package io.tandem.agent.wire;

import java.util.Locale;
import java.util.Optional;

import io.tandem.node.config.ConfigRefusal;

/**
 * How a config-store refusal travels: the agent answers problem type {@code config-<reason>}, and the console turns
 * it back into the same {@link ConfigRefusal}, so a caller sees one typed refusal whichever transport it used.
 */
public final class ConfigProblems {

    private static final String PREFIX = "config-";

    private ConfigProblems() {
    }

    public static String slug(ConfigRefusal reason) {
        return PREFIX + reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The refusal a problem type names, or empty when it is not a config-store problem. */
    public static Optional<ConfigRefusal> refusal(String problemType) {
        if (problemType == null || !problemType.startsWith(AgentProtocol.PROBLEM_TYPE_PREFIX + PREFIX)) {
            return Optional.empty();
        }
        String name = problemType.substring((AgentProtocol.PROBLEM_TYPE_PREFIX + PREFIX).length())
                .toUpperCase(Locale.ROOT).replace('-', '_');
        for (ConfigRefusal reason : ConfigRefusal.values()) {
            if (reason.name().equals(name)) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }
}
