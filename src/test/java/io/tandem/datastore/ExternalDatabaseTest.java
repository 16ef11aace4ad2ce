package io.tandem.datastore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.tandem.ConsoleApplication;

/**
 * With SPRING_DATASOURCE_URL the console uses that server and starts nothing embedded. The
 * "external" server here is a separate real PostgreSQL the test starts itself.
 */
@SpringBootTest(classes = ConsoleApplication.class)
class ExternalDatabaseTest {

    private static EmbeddedDatabase external;

    @DynamicPropertySource
    static void externalServer(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("tandem-external-pg");
        external = EmbeddedDatabase.start(dir.resolve("pg"), new EmbeddedDatabaseProperties(0, Duration.ofSeconds(60)));
        registry.add("spring.datasource.url", external::jdbcUrl);
        registry.add("spring.datasource.username", () -> EmbeddedDatabase.USER);
    }

    @AfterAll
    static void stop() {
        external.close();
    }

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataDirectory dataDirectory;

    @Test
    void theConfiguredServerHoldsTheSchemaAndNothingEmbeddedStarts() {
        assertThat(context.getBeansOfType(EmbeddedDatabase.class)).isEmpty();
        assertThat(dataDirectory.resolve("pg")).doesNotExist();
        assertThat(jdbc.queryForObject("select max(version) from flyway_schema_history", String.class)).isNotBlank();
        assertThat(jdbc.queryForObject("select inet_server_port()", Integer.class)).isEqualTo(external.port());
    }
}
