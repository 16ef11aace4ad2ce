package io.tandem.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The setup probe with this machine's real tools (pcs, corosync, curl, getent, stat, date). */
class SetupProbeTest {

    private static final String DEBIAN_SAMPLE = """
            totem {
            	version: 2
            	cluster_name: debian
            }
            nodelist {
            	node {
            		name: node1
            		nodeid: 1
            		ring0_addr: 127.0.0.1
            	}
            }
            """;

    @TempDir
    Path etc;

    /** The node's files: /etc/os-release and corosync.conf from the temp dir, the rest from this machine. */
    private FileSource files(String corosyncConf) throws Exception {
        Files.writeString(etc.resolve("os-release"), "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n");
        if (corosyncConf != null) {
            Files.writeString(etc.resolve("corosync.conf"), corosyncConf);
        }
        String osRelease = Files.readString(etc.resolve("os-release"));
        Optional<String> corosync = Optional.ofNullable(corosyncConf);
        return path -> switch (path) {
            case "/etc/os-release" -> Optional.of(osRelease);
            case "/etc/corosync/corosync.conf" -> corosync;
            default -> FileSource.local().read(path);
        };
    }

    @Test
    void readsTheToolsThePeerAndTheOutputsOfThisMachine() throws Exception {
        LocalToolRunner tools = new LocalToolRunner(LocalToolRunner.Settings.defaults()
                .withToolPaths(Map.of("pcs", Path.of("/nonexistent/pcs"))));
        try (ServerSocket siem = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             ServerSocket closed = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            int closedPort = closed.getLocalPort();
            closed.close();
            SetupProbe.Facts facts = new SetupProbe(tools, files(DEBIAN_SAMPLE), Duration.ofSeconds(10)).probe(new SetupProbe.Request(
                    "localhost", "127.0.0.1", List.of(new SetupProbe.Endpoint("127.0.0.1", siem.getLocalPort()),
                    new SetupProbe.Endpoint("127.0.0.1", closedPort)), "/dev/null"));

            assertThat(facts.os()).containsEntry("ID", "debian").containsEntry("VERSION_ID", "12");
            assertThat(facts.versions().get("pcs")).as("pcs pointed at a missing binary").isNull();
            assertThat(facts.versions().get("curl")).startsWith("curl ");
            assertThat(facts.corosyncNodes()).containsExactly("node1", "127.0.0.1");
            assertThat(facts.peerResolvesTo()).contains("localhost");
            assertThat(facts.outputs()).extracting(SetupProbe.Reach::port, SetupProbe.Reach::connected).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(siem.getLocalPort(), true), org.assertj.core.groups.Tuple.tuple(closedPort, false));
            assertThat(facts.outputs().get(1).detail()).startsWith("refused");
            assertThat(facts.drbd().deviceType()).isEqualTo("character special file");
            assertThat(facts.drbd().mountedAt()).isNull();
            assertThat(Duration.between(facts.clock(), Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
        }
    }

    @Test
    void anUnresolvableNameAndAMissingDeviceAreReportedAsSuch() throws Exception {
        SetupProbe.Facts facts = new SetupProbe(new LocalToolRunner(LocalToolRunner.Settings.defaults()), files(null), Duration.ofSeconds(10))
                .probe(new SetupProbe.Request("no-such-node.invalid", "127.0.0.1", List.of(), "/dev/tandem-no-such-disk"));
        assertThat(facts.peerResolvesTo()).isNull();
        assertThat(facts.corosyncNodes()).isEmpty();
        assertThat(facts.drbd().deviceType()).isNull();
    }

    @Test
    void namesThatCouldBeReadAsOptionsAreRefused() {
        assertThatThrownBy(() -> new SetupProbe.Request("-oProxyCommand=x", "10.0.0.2", List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SetupProbe.Request("nfo-b", "10.0.0.2", List.of(), "/dev/../etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SetupProbe.Endpoint("10.0.0.9", 70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SetupProbe.Request("nfo-b", "10.0.0.2", List.of(), null, "-c1000"))
                .as("a VIP that ping would read as an option").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SetupProbe.Request("nfo-b", "10.0.0.2", List.of(), null, "vip.example.com"))
                .as("a VIP is an address, not a name").isInstanceOf(IllegalArgumentException.class);
        for (String notAnAddress : List.of("cafe", "10.0.0.256", "1.2.3", "beef.dead")) {
            assertThatThrownBy(() -> new SetupProbe.Request("nfo-b", "10.0.0.2", List.of(), null, notAnAddress))
                    .as(notAnAddress).isInstanceOf(IllegalArgumentException.class);
        }
        for (String address : List.of("10.77.0.200", "2001:db8::10", "::1", "::ffff:10.0.0.1")) {
            assertThat(new SetupProbe.Request("nfo-b", "10.0.0.2", List.of(), null, address).vip()).isEqualTo(address);
        }
    }

    @Test
    void aVipThisMachineHasIsInUseAndAnAddressNothingAnswersAtIsNot() throws Exception {
        SetupProbe probe = new SetupProbe(new LocalToolRunner(LocalToolRunner.Settings.defaults()), files(null), Duration.ofSeconds(10));
        SetupProbe.VipFacts mine = probe.probe(new SetupProbe.Request("localhost", "127.0.0.1", List.of(), null, "127.0.0.1")).vip();
        assertThat(mine.heldHere()).as(mine.detail()).isTrue();
        assertThat(mine.inUse()).isTrue();
        assertThat(mine.detail()).contains("this node has it already");

        // TEST-NET-1 (RFC 5737): never assigned, so nothing answers (or, without a route, ping cannot try)
        SetupProbe.VipFacts free = probe.probe(new SetupProbe.Request("localhost", "127.0.0.1", List.of(), null, "192.0.2.77")).vip();
        assertThat(free.heldHere()).as(free.detail()).isFalse();
        assertThat(free.answers()).as(free.detail()).isNotEqualTo(Boolean.TRUE);
        assertThat(free.inUse()).isFalse();
        assertThat(probe.probe(new SetupProbe.Request("localhost", "127.0.0.1", List.of(), null)).vip())
                .as("no VIP asked about").isNull();
    }

    /** The replicated mount as this machine has it: /proc is mounted at /proc; fstab lines with noauto do not count. */
    @Test
    void readsAReplicatedMountFromTheMountTableAndFstab() throws Exception {
        String fstab = "# /srv/nfo is commented out\n/dev/sdz1 /srv/nfo-noauto xfs noauto,noatime 0 0\n/dev/sdz2  /srv/nfo  xfs  defaults 0 2\n";
        FileSource base = files(null);
        FileSource files = path -> path.equals("/etc/fstab") ? Optional.of(fstab) : base.read(path);
        LocalToolRunner tools = new LocalToolRunner(LocalToolRunner.Settings.defaults());
        SetupProbe probe = new SetupProbe(tools, files, Duration.ofSeconds(10));

        SetupProbe.MountFacts proc = probe.probe(new SetupProbe.Request("localhost", "127.0.0.1", List.of(), null, null, "/proc", "/proc")).mount();
        assertThat(proc.sourceType()).isEqualTo("directory");
        assertThat(proc.mounted()).isTrue();
        assertThat(proc.mountedFstype()).isEqualTo("proc");
        assertThat(proc.fstab()).isNull();

        SetupProbe.MountFacts boot = probe.probe(new SetupProbe.Request("localhost", "127.0.0.1", List.of(), null, null,
                etc.resolve("missing").toString(), "/srv/nfo")).mount();
        assertThat(boot.sourceType()).as("a source that is not there").isNull();
        assertThat(boot.mounted()).isFalse();
        assertThat(boot.fstab()).isEqualTo("/dev/sdz2  /srv/nfo  xfs  defaults 0 2");
        assertThat(probe.probe(new SetupProbe.Request("localhost", "127.0.0.1", List.of(), null, null, "/dev/sdz1", "/srv/nfo-noauto"))
                .mount().fstab()).as("noauto: Pacemaker alone mounts it").isNull();

        assertThatThrownBy(() -> new SetupProbe.Request("localhost", "127.0.0.1", List.of(), null, null, "/srv/../etc", "/srv/nfo"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SetupProbe.Request("localhost", "127.0.0.1", List.of(), null, null, "/dev/sdz1", null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
