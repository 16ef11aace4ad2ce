package io.tandem.support;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives every application context started by the tests its own data directory (and so its own
 * embedded PostgreSQL) under target/test-data, unless the test names one itself.
 */
public class FreshDataDirectory implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.containsProperty("tandem.monitor.enabled")) {
            // most tests register pairs at addresses nobody answers on; only monitor tests watch them
            environment.getPropertySources().addLast(new MapPropertySource("tandem-test-monitor",
                    Map.of("tandem.monitor.enabled", "false")));
        }
        if (environment.containsProperty("tandem.data-dir")) {
            return;
        }
        Path dir = Path.of("target", "test-data", UUID.randomUUID().toString()).toAbsolutePath();
        environment.getPropertySources().addLast(new MapPropertySource("tandem-test-data-dir",
                Map.of("tandem.data-dir", dir.toString())));
    }
}
