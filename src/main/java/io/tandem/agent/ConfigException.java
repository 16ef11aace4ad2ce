package io.tandem.agent;

import java.io.Serial;

/**
 * A configuration file the agent cannot run with. The message is one line an operator can act on:
 * the key (dotted path) and what is wrong with it.
 */
public final class ConfigException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String key;

    ConfigException(String key, String problem) {
        super(key == null || key.isEmpty() ? problem : key + ": " + problem);
        this.key = key;
    }

    /** The dotted key the problem is about, or empty for the file as a whole. */
    public String key() {
        return key == null ? "" : key;
    }
}
