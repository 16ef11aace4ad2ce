package io.tandem.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.tandem.console.Rejected;
import io.tandem.fleet.ClusterMode;
import io.tandem.node.GateAgent;
import io.tandem.setup.SetupPlan.PlanStep;
import tools.jackson.databind.json.JsonMapper;

/** The plan as the wizard and the API show it: the recipe's commands, in order, on the right node, and no password. */
class SetupPlanTest {

    private static SetupPlan plan(SetupForm form, ClusterMode mode) {
        return SetupPlanner.plan(ValidSetup.of(form, SetupForms.pair(mode)), null);
    }

    @Test
    void hotPlanFollowsTheRecipeOnTheRightNodes() {
        SetupPlan plan = plan(SetupForms.hot(), ClusterMode.HOT);

        List<String> titles = plan.steps().stream().map(PlanStep::title).toList();
        assertThat(plan.steps().get(0).node()).isEqualTo("nfo-a");
        assertThat(plan.steps().get(0).commands()).containsExactly(
                "pcs host auth nfo-a addr=10.0.0.1 nfo-b addr=10.0.0.2 -u hacluster -p '<hacluster password>'");
        assertThat(plan.steps().get(1).commands()).containsExactly(
                "pcs cluster setup siem nfo-a addr=10.0.0.1 nfo-b addr=10.0.0.2 transport knet totem token=3000 --start --wait=120");
        assertThat(plan.steps().get(1).undo()).containsExactly("pcs cluster stop --all", "pcs cluster destroy --all");
        // the gate agent on both nodes, from the jar, at Pacemaker's path
        assertThat(plan.steps().subList(2, 4)).extracting(PlanStep::node).containsExactly("nfo-a", "nfo-b");
        assertThat(plan.steps().get(2).commands().get(0)).contains(GateAgent.INSTALLED_PATH).contains(GateAgent.version());
        // NFO handed to Pacemaker on both nodes, not also started by systemd at boot
        assertThat(plan.steps()).filteredOn(s -> s.title().startsWith("Hand nfo.service"))
                .extracting(s -> s.node() + ": " + s.commands()).containsExactly("nfo-a: [systemctl disable nfo.service]",
                        "nfo-b: [systemctl disable nfo.service]");
        assertThat(titles).contains("Run without fencing (acknowledged)");
        assertThat(plan.cibChanges()).contains(List.of("property", "set", "stonith-enabled=false"),
                List.of("resource", "create", "nfo", "systemd:nfo.service", "op", "monitor", "interval=10s", "timeout=20s", "clone"),
                List.of("resource", "create", "nfo-vip", "ocf:heartbeat:IPaddr2", "ip=10.0.0.100", "cidr_netmask=24", "nic=eth0",
                        "op", "monitor", "interval=10s", "timeout=20s"),
                List.of("resource", "create", "nfo-gate", "ocf:tandem:gate", "destinations=udp:10.0.0.9:514,tcp:10.0.0.10:6514",
                        "op", "monitor", "interval=10s", "timeout=20s"),
                List.of("constraint", "colocation", "add", "nfo-gate", "with", "nfo-vip", "INFINITY"),
                List.of("constraint", "location", "nfo-vip", "prefers", "nfo-a=50"));
        PlanStep resources = plan.steps().stream().filter(s -> s.title().startsWith("Create the resources")).findFirst().orElseThrow();
        assertThat(resources.commands().get(0)).isEqualTo("pcs cluster cib " + SetupPlanner.CIB_FILE);
        assertThat(resources.commands()).contains("pcs cluster cib-push " + SetupPlanner.CIB_FILE + " --config");
        assertThat(resources.undo()).contains("pcs resource delete nfo-gate --force");
        // Hot ends with the active's configuration copied to the passive, then Tandem's own verification
        assertThat(titles.get(titles.size() - 2)).startsWith("Copy nfo-a's configuration to nfo-b");
        assertThat(plan.steps().get(plan.steps().size() - 1).check()).contains("nfo-a ACTIVE, nfo-b PASSIVE_HOT");
        assertThat(plan.warnings()).anyMatch(w -> w.contains("without fencing"));
        assertThat(plan.drbdConfig()).isNull();
    }

    @Test
    void coldPlanReplicatesWithDrbdAndFormatsOnlyBehindATypedConfirmation() {
        SetupPlan plan = plan(SetupForms.cold(), ClusterMode.COLD);

        assertThat(plan.drbdConfig()).contains("resource r0 {", "disk /dev/vdb1;", "device /dev/drbd0 minor 0;",
                "on nfo-b {", "address 10.0.0.2:7789;");
        assertThat(plan.steps()).flatExtracting(PlanStep::commands).contains("drbdadm create-md --force r0", "drbdadm up r0",
                "drbdadm primary --force r0");
        PlanStep mkfs = plan.steps().stream().filter(s -> s.commands().contains("mkfs.ext4 -L nfo /dev/drbd0")).findFirst().orElseThrow();
        assertThat(mkfs.node()).isEqualTo("nfo-b");
        assertThat(mkfs.confirmation()).isEqualTo("format /dev/vdb1 on nfo-b");
        assertThat(plan.steps().stream().filter(s -> s.confirmation() != null)).containsExactly(mkfs);
        // the passive runs no NFO in Cold: disabled and stopped there
        assertThat(plan.steps()).filteredOn(s -> s.title().equals("Hand nfo.service on nfo-a to Pacemaker"))
                .flatExtracting(PlanStep::commands).containsExactly("systemctl disable nfo.service", "systemctl stop nfo.service");
        assertThat(plan.cibChanges()).contains(
                List.of("stonith", "create", "nfo-fence", "fence_ipmilan", "ip=10.0.1.5", "username=admin", "op", "monitor", "interval=60s"),
                List.of("constraint", "colocation", "add", "nfo-group", "with", "Promoted", "r0-clone", "INFINITY"),
                List.of("constraint", "order", "promote", "r0-clone", "then", "start", "nfo-group"),
                List.of("constraint", "location", "nfo-group", "prefers", "nfo-b=50"));
        assertThat(plan.cibChanges()).noneMatch(c -> c.contains("stonith-enabled=false"));
        assertThat(plan.cibChanges()).filteredOn(c -> c.contains("--group")).extracting(c -> c.get(2))
                .containsExactly("nfo-fs", "nfo-vip", "nfo", "nfo-gate");
        assertThat(plan.steps()).noneMatch(s -> s.title().startsWith("Copy"));
        assertThat(plan.warnings()).noneMatch(w -> w.contains("fencing"));
    }

    @Test
    void thePasswordAppearsNowhere() throws Exception {
        for (var form : List.of(SetupForms.hot(), SetupForms.cold())) {
            ClusterMode mode = ClusterMode.valueOf(form.mode());
            ValidSetup valid = ValidSetup.of(form, SetupForms.pair(mode));
            SetupPlan plan = SetupPlanner.plan(valid, null);
            String json = JsonMapper.builder().build().writeValueAsString(plan);
            assertThat(json).contains("pcs host auth").doesNotContain(SetupForms.PASSWORD);
            assertThat(plan.toString()).doesNotContain(SetupForms.PASSWORD);
            assertThat(valid.toString()).doesNotContain(SetupForms.PASSWORD);
            assertThat(form.toString()).doesNotContain(SetupForms.PASSWORD);
        }
    }

    @Test
    void badInputIsRefusedNamingEachField() {
        SetupForm bad = new SetupForm("COLD", "no spaces allowed", "nfo-c", List.of("udp:siem.example:514"), "10.0.0.300/24", "",
                new SetupForm.Fencing(null, null, null), new SetupForm.Drbd("r0", "vdb1", "/", 80));
        assertThatThrownBy(() -> ValidSetup.of(bad, SetupForms.pair(ClusterMode.COLD)))
                .isInstanceOfSatisfying(Rejected.class, r -> {
                    assertThat(r.kind()).isEqualTo(Rejected.Kind.INVALID);
                    assertThat(r.violations()).extracting(Rejected.Violation::field).containsExactly("clusterName", "activeNode",
                            "outputs[0]", "vip", "haclusterPassword", "fencing", "drbd.device", "drbd.mountPoint", "drbd.port");
                });
        // a form for the other mode (without the DRBD settings Cold needs), and a Cold pair without a VIP
        SetupForm hotOnCold = SetupForms.hot();
        assertThatThrownBy(() -> ValidSetup.of(hotOnCold, SetupForms.pair(ClusterMode.COLD)))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.violations()).extracting(Rejected.Violation::field)
                        .containsExactly("mode", "drbd"));
        SetupForm c = SetupForms.cold();
        SetupForm noVip = new SetupForm(c.mode(), c.clusterName(), c.activeNode(), c.outputs(), " ", c.haclusterPassword(), c.fencing(),
                c.drbd());
        assertThatThrownBy(() -> ValidSetup.of(noVip, SetupForms.pair(ClusterMode.COLD)))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.field()).isEqualTo("vip"));
        SetupForm both = new SetupForm("HOT", "siem", "nfo-a", List.of("udp:10.0.0.9:514"), null, "x",
                new SetupForm.Fencing(true, "fence_ipmilan", null), null);
        assertThatThrownBy(() -> ValidSetup.of(both, SetupForms.pair(ClusterMode.HOT)))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.field()).isEqualTo("fencing"));
    }

    @Test
    void coldOnStorageReplicatedAlreadyHandsItsMountToPacemakerAndBuildsNoDrbd() {
        SetupPlan plan = plan(SetupForms.coldOnMount(), ClusterMode.COLD);

        assertThat(plan.steps()).noneMatch(s -> String.join(" ", s.commands()).contains("drbdadm"));
        assertThat(plan.steps()).noneMatch(s -> s.confirmation() != null);
        assertThat(plan.drbdConfig()).isNull();
        assertThat(plan.steps()).filteredOn(s -> s.title().equals("Create the mount point /srv/nfo"))
                .extracting(PlanStep::node).containsExactly("nfo-b");
        assertThat(plan.cibChanges()).contains(
                List.of("resource", "create", "nfo-fs", "ocf:heartbeat:Filesystem", "device=/dev/mapper/nfo-lun", "directory=/srv/nfo",
                        "fstype=xfs", "options=noatime", "op", "monitor", "interval=20s", "--group", "nfo-group"),
                List.of("constraint", "location", "nfo-group", "prefers", "nfo-a=50"));
        assertThat(plan.cibChanges()).noneMatch(c -> c.contains("ocf:linbit:drbd") || c.contains("promote"));
        // the group, in the order Pacemaker starts it: the data first, the output last
        assertThat(plan.cibChanges()).filteredOn(c -> c.contains("nfo-group") && c.get(1).equals("create")).extracting(c -> c.get(2))
                .containsExactly("nfo-fs", "nfo-vip", "nfo", "nfo-gate");
        assertThat(plan.steps().get(plan.steps().size() - 1).check()).contains("nfo-a ACTIVE, nfo-b PASSIVE_COLD");
    }

    @Test
    void aReplicatedMountIsRefusedWhereItCannotBeMounted() {
        SetupForm c = SetupForms.coldOnMount();
        SetupForm bad = withMount(c, new SetupForm.ReplicatedMount("/srv/../etc", "/", "ext4;rm", "rw,$(x)"));
        assertThatThrownBy(() -> ValidSetup.of(bad, SetupForms.pair(ClusterMode.COLD)))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.violations()).extracting(Rejected.Violation::field)
                        .containsExactly("replicatedMount.device", "replicatedMount.mountPoint", "replicatedMount.fstype",
                                "replicatedMount.options"));
        // a directory is only mountable as a bind
        SetupForm directory = withMount(c, new SetupForm.ReplicatedMount("/srv/volume", "/srv/nfo", "none", null));
        assertThatThrownBy(() -> ValidSetup.of(directory, SetupForms.pair(ClusterMode.COLD)))
                .isInstanceOfSatisfying(Rejected.class, r -> {
                    assertThat(r.field()).isEqualTo("replicatedMount.device");
                    assertThat(r.getMessage()).contains("bind");
                });
        SetupForm bind = withMount(c, new SetupForm.ReplicatedMount("/srv/volume", "/srv/nfo", "none", "bind"));
        assertThat(ValidSetup.of(bind, SetupForms.pair(ClusterMode.COLD)).mount().bind()).isTrue();
        // both storage choices at once, and a mount for a Hot pair
        SetupForm both = new SetupForm(c.mode(), c.clusterName(), c.activeNode(), c.outputs(), c.vip(), c.haclusterPassword(),
                c.fencing(), SetupForms.cold().drbd(), null, c.replicatedMount());
        assertThatThrownBy(() -> ValidSetup.of(both, SetupForms.pair(ClusterMode.COLD)))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.field()).isEqualTo("replicatedMount"));
        SetupForm h = SetupForms.hot();
        SetupForm hotWithMount = new SetupForm(h.mode(), h.clusterName(), h.activeNode(), h.outputs(), h.vip(), h.haclusterPassword(),
                h.fencing(), null, null, c.replicatedMount());
        assertThatThrownBy(() -> ValidSetup.of(hotWithMount, SetupForms.pair(ClusterMode.HOT)))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.field()).isEqualTo("replicatedMount"));
    }

    /** The wizard's Cold storage choice: DRBD's fields or the mount's, never both, and neither for Hot. */
    @Test
    void theWizardsStorageChoiceBuildsOneOfDrbdAndTheMount() {
        io.tandem.setup.web.WizardForm mount = new io.tandem.setup.web.WizardForm("COLD", "siem", "nfo-a", "udp:10.0.0.9:514",
                "10.0.0.100/24", "pw", true, null, null, "r0", "/dev/vdb1", "/srv/nfo", 7789, "lsb", "mount", "/srv/volume",
                "/srv/nfo", "none", "bind");
        assertThat(mount.toSetupForm().drbd()).isNull();
        assertThat(mount.toSetupForm().replicatedMount()).isEqualTo(new SetupForm.ReplicatedMount("/srv/volume", "/srv/nfo", "none", "bind"));
        io.tandem.setup.web.WizardForm drbd = new io.tandem.setup.web.WizardForm("COLD", "siem", "nfo-a", "udp:10.0.0.9:514",
                "10.0.0.100/24", "pw", true, null, null, "r0", "/dev/vdb1", "/srv/nfo", 7789, "lsb", "drbd", "/srv/volume",
                "/srv/nfo", "none", " ");
        assertThat(drbd.toSetupForm().replicatedMount()).isNull();
        assertThat(drbd.toSetupForm().drbd()).isEqualTo(new SetupForm.Drbd("r0", "/dev/vdb1", "/srv/nfo", 7789));
        io.tandem.setup.web.WizardForm hot = new io.tandem.setup.web.WizardForm("HOT", "siem", "nfo-a", "udp:10.0.0.9:514",
                null, "pw", true, null, null, null, null, null, null, null, "mount", "/srv/volume", "/srv/nfo", "none", "bind");
        assertThat(hot.toSetupForm().replicatedMount()).isNull();
        assertThat(hot.toSetupForm().drbd()).isNull();
    }

    private static SetupForm withMount(SetupForm c, SetupForm.ReplicatedMount mount) {
        return new SetupForm(c.mode(), c.clusterName(), c.activeNode(), c.outputs(), c.vip(), c.haclusterPassword(), c.fencing(),
                null, c.nfoAgent(), mount);
    }

    /** Found reading the monitor: it asks drbdadm and Pacemaker about the pair's one DRBD name, so setup must use it. */
    @Test
    void theDrbdResourceIsThePairsRegisteredOneForDrbdadmAndPacemakerAlike() {
        SetupForm c = SetupForms.cold();
        SetupForm other = new SetupForm(c.mode(), c.clusterName(), c.activeNode(), c.outputs(), c.vip(), c.haclusterPassword(),
                c.fencing(), new SetupForm.Drbd("r1", "/dev/vdb1", "/srv/nfo", 7789));
        assertThatThrownBy(() -> ValidSetup.of(other, SetupForms.pair(ClusterMode.COLD)))
                .isInstanceOfSatisfying(Rejected.class, r -> {
                    assertThat(r.field()).isEqualTo("drbd.resource");
                    assertThat(r.violations().get(0).message()).contains("'r1'", "registered with DRBD resource 'r0'");
                });
        SetupForm unnamed = new SetupForm(c.mode(), c.clusterName(), c.activeNode(), c.outputs(), c.vip(), c.haclusterPassword(),
                c.fencing(), new SetupForm.Drbd(" ", "/dev/vdb1", "/srv/nfo", 7789));
        SetupPlan plan = SetupPlanner.plan(ValidSetup.of(unnamed, SetupForms.pair(ClusterMode.COLD)), null);
        assertThat(plan.drbdConfig()).contains("resource r0 {");
        assertThat(plan.cibChanges()).anyMatch(change -> change.size() > 4 && change.subList(0, 4).equals(List.of("resource", "create", "r0", "ocf:linbit:drbd"))
                && change.contains("drbd_resource=r0"));
    }

    @Test
    void anLsbAgentIsNamedByItsInitScriptAndASystemdOneByItsUnit() {
        // found in the lab's first setup: pcs refuses lsb:nfo.service ("not installed or does not provide valid metadata")
        assertThat(SetupPlanner.agentType("lsb", "nfo.service")).isEqualTo("nfo");
        assertThat(SetupPlanner.agentType("systemd", "nfo.service")).isEqualTo("nfo.service");
        assertThat(SetupPlanner.agentType("lsb", "nfo")).isEqualTo("nfo");
    }
}
