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

    /** Where the tests' embedded servers share their programs (a private directory, as in production). */
    public static final Path SHARED_BINARIES = Path.of("target", "test-data", "postgres-bin").toAbsolutePath();

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.containsProperty("tandem.monitor.enabled")) {
            // most tests register pairs at addresses nobody answers on; only monitor tests watch them
            environment.getPropertySources().addLast(new MapPropertySource("tandem-test-monitor",
                    Map.of("tandem.monitor.enabled", "false")));
        }
        if (!environment.containsProperty("tandem.embedded-db.binaries")) {
            // one private copy of the PostgreSQL programs for every test context instead of one per data directory
            environment.getPropertySources().addLast(new MapPropertySource("tandem-test-pg-binaries",
                    Map.of("tandem.embedded-db.binaries", SHARED_BINARIES.toString())));
        }
        if (environment.containsProperty("tandem.data-dir")) {
            return;
        }
        Path dir = Path.of("target", "test-data", UUID.randomUUID().toString()).toAbsolutePath();
        environment.getPropertySources().addLast(new MapPropertySource("tandem-test-data-dir",
                Map.of("tandem.data-dir", dir.toString())));
    }
}
