package io.tandem.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.tandem.access.HostProbe;
import io.tandem.agent.AgentPackage;
import io.tandem.operation.Preflight.Check;
import io.tandem.operation.Preflight.Verdict;

/** The install's preflight, judged from what the node answered to the probe (answers as a real node prints them). */
class AgentInstallPreflightTest {

    private static final long JAR = 31_000_000;

    private static final String READY = """
            uid=0
            nfo-home=yes
            unit-LoadState=loaded
            unit-ActiveState=active
            java=openjdk version "17.0.13" 2024-10-15
            disk-usr=5000000
            disk-var=5000000
            tool=sudo
            tool=visudo
            tool=useradd
            tool=sha256sum
            os=ubuntu debian
            """;

    @Test
    void aReadyNodePassesAndShowsWhatAgentYmlWillSay() {
        List<Check> checks = checks(READY);

        assertThat(checks).extracting(Check::verdict).containsOnly(Verdict.PASS);
        assertThat(checks).extracting(Check::label)
                .contains("Java 17 at /usr/bin/java", "agent.yml: NFO home /opt/flowintegrator, unit nfo.service, flow ports [2055, 9995]");
    }

    @Test
    void noJavaBlocksWithTheCommandThatInstallsIt() {
        Check java = blocking(checks(READY.replace("java=openjdk version \"17.0.13\" 2024-10-15", "java=sh: 1: /usr/bin/java: not found")));

        assertThat(java.label()).isEqualTo("No Java runtime at /usr/bin/java on nfo-a");
        assertThat(java.detail()).contains("apt-get install -y openjdk-17-jre-headless");

        Check rhel = blocking(checks(READY.replace("java=openjdk version \"17.0.13\" 2024-10-15", "java=")
                .replace("os=ubuntu debian", "os=rocky rhel centos fedora")));
        assertThat(rhel.detail()).contains("dnf install -y java-17-openjdk-headless");
    }

    @Test
    void anOldJavaBlocks() {
        Check java = blocking(checks(READY.replace("openjdk version \"17.0.13\"", "java version \"1.8.0_392\"")));

        assertThat(java.label()).isEqualTo("Java 8 at /usr/bin/java is older than 17");
    }

    @Test
    void notRootBlocks() {
        assertThat(blocking(checks(READY.replace("uid=0", "uid=1000"))).label())
                .isEqualTo("Commands on nfo-a do not run as root (uid 1000)");
    }

    @Test
    void anAgentAlreadyThereBlocks() {
        Check present = blocking(checks(READY + "present=" + AgentPackage.JAR + "\npresent=user tandem-agent\n"));

        assertThat(present.label()).isEqualTo("An agent is installed on nfo-a already");
        assertThat(present.detail()).contains(AgentPackage.JAR, "user tandem-agent");
    }

    @Test
    void tooLittleSpaceForTheUploadAndTheJarBlocks() {
        assertThat(blocking(checks(READY.replace("disk-usr=5000000", "disk-usr=40000"))).label())
                .isEqualTo("Only 39 MiB free in /usr/share on nfo-a");
    }

    @Test
    void missingToolsBlock() {
        assertThat(blocking(checks(READY.replace("tool=visudo\n", "").replace("tool=sudo\n", ""))).label())
                .isEqualTo("nfo-a lacks sudo, visudo");
    }

    @Test
    void aWrongHomeOrUnitWarnsButDoesNotBlock() {
        List<Check> checks = checks(READY.replace("nfo-home=yes", "nfo-home=no").replace("unit-LoadState=loaded", "unit-LoadState=not-found"));

        assertThat(checks).filteredOn(c -> c.verdict() == Verdict.WARN).extracting(Check::label)
                .containsExactly("/opt/flowintegrator does not exist on nfo-a", "nfo.service is not a unit on nfo-a");
        assertThat(checks).noneMatch(c -> c.verdict() == Verdict.BLOCK);
    }

    private static List<Check> checks(String probe) {
        return AgentInstalls.installChecks(HostProbe.parse(probe), "nfo-a", "/opt/flowintegrator", "nfo.service",
                Set.of(9995, 2055), JAR);
    }

    private static Check blocking(List<Check> checks) {
        List<Check> blocking = checks.stream().filter(c -> c.verdict() == Verdict.BLOCK).toList();
        assertThat(blocking).hasSize(1);
        return blocking.get(0);
    }
}
