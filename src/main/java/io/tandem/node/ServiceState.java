package io.tandem.node;

import java.time.Instant;

/**
 * The NFO service as the node's service manager reports it.
 *
 * @param loadState systemd's LoadState ({@code loaded}, {@code not-found}, {@code masked}, ...); a unit that does not
 *        exist is reported by systemd as inactive, so this is what tells "stopped" from "misconfigured"; empty for
 *        operator-configured status commands
 * @param state the active state; for operator-configured status commands only ACTIVE, INACTIVE, FAILED or UNKNOWN
 * @param subState systemd's SubState (e.g. {@code running}, {@code dead}, {@code auto-restart}); empty when unknown
 * @param mainPid the main process id, or 0 when none is running
 * @param since when the unit last became active, or null when it never did (or the time could not be read)
 * @param sinceText the timestamp exactly as printed, so an unreadable one is still visible to the operator
 * @param execMainStatus the exit status of the main process's last run (systemd's ExecMainStatus), or the status
 *        command's exit code for operator-configured services
 * @param unitFileState systemd's UnitFileState ({@code enabled}: the unit starts at boot, {@code disabled}, ...); empty
 *        when unknown (operator-configured status commands, an agent from before it was read)
 */
public record ServiceState(String loadState, ActiveState state, String subState, long mainPid, Instant since, String sinceText,
        int execMainStatus, String unitFileState) {

    public ServiceState {
        loadState = loadState == null ? "" : loadState;
        state = state == null ? ActiveState.UNKNOWN : state;
        subState = subState == null ? "" : subState;
        sinceText = sinceText == null ? "" : sinceText;
        unitFileState = unitFileState == null ? "" : unitFileState;
    }

    /** systemd starts the unit at boot (also when Pacemaker is meant to decide where it runs). */
    public boolean enabledAtBoot() {
        return unitFileState.equals("enabled") || unitFileState.equals("enabled-runtime");
    }

    /** systemd knows no such unit: the configured unit name is wrong (or NFO is not installed). */
    public boolean unitMissing() {
        return loadState.equals("not-found");
    }

    public boolean running() {
        return state == ActiveState.ACTIVE;
    }
}
