package io.tandem.agent;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This server's own name, as the certificate and the health answer state it. */
final class LocalHost {

    private LocalHost() {
    }

    /**
     * The host name without a DNS round trip where possible; a server with broken name resolution must still
     * start its agent, so this falls back to the environment and finally to "localhost".
     */
    static String name() {
        String env = System.getenv("HOSTNAME");
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (name != null && !name.isBlank()) {
                return name;
            }
        } catch (UnknownHostException e) {
            // resolution is broken; use what the environment knows
        }
        return env == null || env.isBlank() ? "localhost" : env;
    }
}
