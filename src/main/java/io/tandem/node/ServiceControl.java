package io.tandem.node;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How NFO is started, stopped and asked about on a node: a systemd unit (the usual case), or operator-configured
 * commands when NFO runs under something else (an init script, {@code nfo_ctl}). The commands are argument vectors
 * for a {@link ToolRunner}, never shell strings.
 *
 * @param unit the systemd unit, or null for operator-configured commands
 * @param start, stop, status operator-configured argvs (status: exit 0 = running); empty lists for a systemd unit
 * @param restart an optional operator-configured restart argv; when empty, restart is stop then start
 */
public record ServiceControl(String unit, List<String> start, List<String> stop, List<String> status,
        List<String> restart) {

    /** Unit names as systemd accepts them; a leading '-' would be read as an option. */
    private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9:_.@\\\\-]{1,255}");

    /** The properties {@link ServiceStateParser#fromSystemctlShow(String)} reads. */
    public static final String SHOW_PROPERTIES =
            "LoadState,ActiveState,SubState,MainPID,ActiveEnterTimestamp,ExecMainStatus,UnitFileState";

    public ServiceControl {
        start = List.copyOf(start);
        stop = List.copyOf(stop);
        status = List.copyOf(status);
        restart = List.copyOf(restart);
        if (unit != null) {
            if (!UNIT.matcher(unit).matches() || unit.startsWith("-")) {
                throw new IllegalArgumentException("not a systemd unit name: " + unit);
            }
            if (!start.isEmpty() || !stop.isEmpty() || !status.isEmpty() || !restart.isEmpty()) {
                throw new IllegalArgumentException("a systemd unit takes no custom commands");
            }
        } else if (start.isEmpty() || stop.isEmpty() || status.isEmpty()) {
            throw new IllegalArgumentException("custom service control needs start, stop and status commands");
        }
    }

    public static ServiceControl systemd(String unit) {
        return new ServiceControl(Objects.requireNonNull(unit, "unit"), List.of(), List.of(), List.of(), List.of());
    }

    public static ServiceControl commands(List<String> start, List<String> stop, List<String> status,
            List<String> restart) {
        return new ServiceControl(null, start, stop, status, restart == null ? List.of() : restart);
    }

    public boolean isSystemd() {
        return unit != null;
    }

    public List<String> startCommand() {
        return isSystemd() ? List.of("systemctl", "start", unit) : start;
    }

    public List<String> stopCommand() {
        return isSystemd() ? List.of("systemctl", "stop", unit) : stop;
    }

    /** The commands to run in order for a restart: one for systemd or a configured restart, else stop then start. */
    public List<List<String>> restartCommands() {
        if (isSystemd()) {
            return List.of(List.of("systemctl", "restart", unit));
        }
        return restart.isEmpty() ? List.of(stop, start) : List.of(restart);
    }

    /**
     * The state query: {@code systemctl show} for a unit (parse with {@link ServiceStateParser#fromSystemctlShow}),
     * else the configured status command (judge with {@link ServiceStateParser#fromStatusExit}).
     */
    public List<String> showCommand() {
        return isSystemd() ? List.of("systemctl", "show", unit, "-p", SHOW_PROPERTIES) : status;
    }
}
