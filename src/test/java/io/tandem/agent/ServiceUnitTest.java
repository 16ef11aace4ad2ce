package io.tandem.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The systemd unit the packages install is where the agent's JVM flags live; the bench and tests read it from there. */
class ServiceUnitTest {

    @Test
    void theShippedUnitRunsThePackagedJarAsItsOwnUserWithASmallJvm() {
        ServiceUnit unit = ServiceUnit.shipped();

        assertThat(unit.jvmOptions()).contains("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
                .allMatch(option -> option.startsWith("-X"));
        assertThat(unit.environment()).containsEntry("MALLOC_ARENA_MAX", "2");
        assertThat(unit.text()).contains(
                "ExecStart=/usr/bin/java $JAVA_OPTS -jar /usr/share/tandem-agent/tandem-agent.jar agent --config /var/lib/tandem-agent/agent.yml",
                "User=tandem-agent", "ConditionPathExists=/var/lib/tandem-agent/agent.yml",
                "ProtectSystem=strict", "ReadWritePaths=/var/lib/tandem-agent", "PrivateTmp=yes", "MemoryMax=", "CPUQuota=");
    }

    @Test
    void environmentLinesAreReadQuotedOrNotAndJavaOptsSplitOnWhitespace() {
        ServiceUnit unit = ServiceUnit.parse("""
                [Service]
                Environment=A=1
                Environment="JAVA_OPTS=-Xmx10m   -Xss256k"
                ExecStart=/usr/bin/java $JAVA_OPTS -jar x.jar
                """);

        assertThat(unit.jvmOptions()).containsExactly("-Xmx10m", "-Xss256k");
        assertThat(unit.environment()).containsExactly(java.util.Map.entry("A", "1"));
    }

    @Test
    void aUnitWithoutJavaOptsOrWithABrokenEnvironmentLineIsRefused() {
        assertThatThrownBy(() -> ServiceUnit.parse("[Service]\nExecStart=/usr/bin/java -jar x.jar\n"))
                .hasMessageContaining("JAVA_OPTS");
        assertThatThrownBy(() -> ServiceUnit.parse("[Service]\nEnvironment=novalue\n"))
                .hasMessageContaining("NAME=value");
    }
}
