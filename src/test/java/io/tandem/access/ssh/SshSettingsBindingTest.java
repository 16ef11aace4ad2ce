package io.tandem.access.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The console's SSH client comes from {@code tandem.ssh.*}, with the documented defaults. */
class SshSettingsBindingTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(SshConfiguration.class);

    @Test
    void defaultsApplyWhenNothingIsConfigured() {
        context.run(ctx -> assertThat(ctx.getBean(SshConnections.class).settings()).isEqualTo(SshSettings.defaults()));
    }

    @Test
    void propertiesOverrideTheDefaults() {
        context.withPropertyValues("tandem.ssh.command-timeout=7s", "tandem.ssh.max-output-bytes=4096",
                "tandem.ssh.idle-close=2m").run(ctx -> {
                    SshSettings settings = ctx.getBean(SshConnections.class).settings();
                    assertThat(settings.commandTimeout()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(settings.maxOutputBytes()).isEqualTo(4096);
                    assertThat(settings.idleClose()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
                });
    }

    @Test
    void aZeroTimeoutIsRefusedAtStartup() {
        context.withPropertyValues("tandem.ssh.connect-timeout=0s")
                .run(ctx -> assertThat(ctx).hasFailed());
    }
}
