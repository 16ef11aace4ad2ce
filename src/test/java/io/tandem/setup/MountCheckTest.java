package io.tandem.setup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView;
import io.tandem.node.SetupProbe;
import io.tandem.setup.Checklist.Check;
import io.tandem.setup.Checklist.Status;

/**
 * Discovery's judgement of storage replicated already: mounted on the node that starts active, nowhere else, never by
 * fstab at boot; each failure with the fix (setup refuses to run past one, see SetupService).
 */
class MountCheckTest {

    private static final ClusterView.NodeView NODE = SetupForms.pair(ClusterMode.COLD).nodes().get(1);

    private static Check check(List<Check> checks, String id) {
        return checks.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError("no " + id + " in " + checks));
    }

    @Test
    void theActiveHasItMountedAndThePassiveNot() {
        List<Check> active = Discovery.mount(new SetupProbe.MountFacts("/dev/mapper/lun", "block special file", "/srv/nfo", true, "xfs",
                null), NODE, true);
        assertThat(active).extracting(Check::status).containsOnly(Status.PASS);
        assertThat(check(active, "mount-active").found()).contains("xfs");

        List<Check> passive = Discovery.mount(new SetupProbe.MountFacts("/dev/mapper/lun", "block special file", "/srv/nfo", false, null,
                null), NODE, false);
        assertThat(passive).extracting(Check::status).containsOnly(Status.PASS);
    }

    @Test
    void mountedOnBothAMissingSourceAndAnFstabMountFailWithTheFix() {
        List<Check> checks = Discovery.mount(new SetupProbe.MountFacts("/dev/mapper/lun", null, "/srv/nfo", true, "xfs",
                "/dev/mapper/lun /srv/nfo xfs defaults 0 2"), NODE, false);
        assertThat(check(checks, "mount-source").status()).isEqualTo(Status.FAIL);
        assertThat(check(checks, "mount-source").found()).contains("does not exist on " + NODE.name());
        assertThat(check(checks, "mount-passive").status()).isEqualTo(Status.FAIL);
        assertThat(check(checks, "mount-passive").fix()).contains("umount /srv/nfo on " + NODE.name());
        assertThat(check(checks, "mount-fstab").status()).isEqualTo(Status.FAIL);
        assertThat(check(checks, "mount-fstab").fix()).contains("noauto");
        // not mounted yet where NFO starts active: allowed (Pacemaker mounts it), said as a warning
        assertThat(check(Discovery.mount(new SetupProbe.MountFacts("/dev/mapper/lun", "block special file", "/srv/nfo", false, null,
                null), NODE, true), "mount-active").status()).isEqualTo(Status.WARN);
    }
}
