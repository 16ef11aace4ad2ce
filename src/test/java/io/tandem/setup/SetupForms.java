package io.tandem.setup;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView;

/** A registered pair and setup forms for it, as the wizard and automation send them. */
final class SetupForms {

    static final String PASSWORD = "hunter2-Secret!";

    private SetupForms() {
    }

    static ClusterView pair(ClusterMode mode) {
        Instant at = Instant.parse("2026-12-06T10:00:00Z");
        return new ClusterView(UUID.fromString("00000000-0000-0000-0000-0000000000aa"), "siem-pair", mode, "", "nfo", "nfo-vip",
                "nfo-gate", mode == ClusterMode.COLD ? "r0" : null,
                List.of(node("nfo-a", "10.0.0.1"), node("nfo-b", "10.0.0.2")), List.of(), at, at, 1);
    }

    private static ClusterView.NodeView node(String name, String address) {
        return new ClusterView.NodeView(UUID.nameUUIDFromBytes(name.getBytes()), name, address, AccessKind.AGENT, "tandem",
                22, false, 7443, "/opt/flowintegrator", "nfo.service", List.of(), List.of(), List.of(9555), true, "SHA256:x");
    }

    static SetupForm hot() {
        return new SetupForm("HOT", "siem", "nfo-a", List.of("udp:10.0.0.9:514", "tcp:10.0.0.10:6514"), "10.0.0.100/24@eth0",
                PASSWORD, new SetupForm.Fencing(true, null, null), null);
    }

    /** Cold on a SAN LUN that is shared already: setup hands its mount to Pacemaker and builds no DRBD. */
    static SetupForm coldOnMount() {
        return new SetupForm("COLD", "siem", "nfo-a", List.of("udp:10.0.0.9:514"), "10.0.0.100/24", PASSWORD,
                new SetupForm.Fencing(true, null, null), null, "systemd",
                new SetupForm.ReplicatedMount("/dev/mapper/nfo-lun", "/srv/nfo", "xfs", "noatime"));
    }

    static SetupForm cold() {
        return new SetupForm("COLD", "siem", "nfo-b", List.of("udp:10.0.0.9:514"), "10.0.0.100/24", PASSWORD,
                new SetupForm.Fencing(null, "fence_ipmilan", Map.of("ip", "10.0.1.5", "username", "admin")),
                new SetupForm.Drbd("r0", "/dev/vdb1", "/srv/nfo", 7789));
    }
}
