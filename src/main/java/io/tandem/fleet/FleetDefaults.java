package io.tandem.fleet;

import java.util.List;

/** Defaults for what an admin leaves out; NFO's own defaults where they are documented. */
public final class FleetDefaults {

    public static final String NFO_RESOURCE = "nfo";
    public static final String VIP_RESOURCE = "nfo-vip";
    public static final String GATE_RESOURCE = "nfo-gate";
    public static final String DRBD_RESOURCE = "nfo-config";
    public static final String SSH_USER = "tandem";
    public static final int SSH_PORT = 22;
    public static final int AGENT_PORT = 7443;
    public static final String NFO_HOME = "/opt/flowintegrator";
    /** NFO's unit name is not documented; operators set theirs. */
    public static final String SERVICE_UNIT = "nfo.service";
    public static final List<String> CONFIG_INCLUDES = List.of("server/etc/**", "tomcat/conf/*.xml");
    public static final List<String> CONFIG_EXCLUDES = List.of("**/*.log", "**/*.tmp", "**/*.pid", "**/*.lck");
    /** NFO's documented default flow input port. */
    public static final List<Integer> FLOW_PORTS = List.of(9555);

    private FleetDefaults() {
    }
}
