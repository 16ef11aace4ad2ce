package io.tandem.node.config;

import java.io.Serial;

/** The config store did not do what was asked; {@link #reason()} says why, {@link #path()} where (may be null). */
public final class ConfigRefusedException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    private final ConfigRefusal reason;
    private final String path;

    public ConfigRefusedException(ConfigRefusal reason, String path, String message) {
        this(reason, path, message, null);
    }

    public ConfigRefusedException(ConfigRefusal reason, String path, String message, Throwable cause) {
        super(reason + (path == null ? "" : " " + path) + ": " + message, cause);
        this.reason = reason;
        this.path = path;
    }

    public ConfigRefusal reason() {
        return reason;
    }

    public String path() {
        return path;
    }
}
