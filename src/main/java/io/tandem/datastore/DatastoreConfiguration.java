package io.tandem.datastore;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import com.zaxxer.hikari.HikariDataSource;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EmbeddedDatabaseProperties.class)
class DatastoreConfiguration {

    /** Flyway placeholder naming the console's role, to which db/migration/afterMigrate.sql grants its rights. */
    static final String CONSOLE_ROLE_PLACEHOLDER = "console_role";

    @Bean(destroyMethod = "close")
    DataDirectory dataDirectory(@Value("${tandem.data-dir:tandem-data}") Path dataDir) {
        return DataDirectory.open(dataDir);
    }

    /** Only when no {@code spring.datasource.url} is configured: then Boot's own DataSource is used. */
    @Bean(destroyMethod = "close")
    @Conditional(NoExternalDatasource.class)
    EmbeddedDatabase embeddedDatabase(DataDirectory dataDirectory, EmbeddedDatabaseProperties properties) {
        return EmbeddedDatabase.start(dataDirectory.resolve("pg"), properties);
    }

    /**
     * The console's pool logs in as the console's role. The {@code spring.datasource.hikari.*} settings
     * (timeouts) apply here as they do to an external server's pool.
     */
    @Bean(destroyMethod = "close")
    @Conditional(NoExternalDatasource.class)
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedDatabase database) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setPoolName("tandem-embedded");
        dataSource.setJdbcUrl(database.jdbcUrl());
        dataSource.setUsername(database.logins().console().user());
        dataSource.setPassword(database.logins().console().password());
        dataSource.setMaximumPoolSize(10);
        return dataSource;
    }

    /**
     * Flyway migrates as the schema owner: on the embedded server its own owner role; on an external one
     * {@code spring.flyway.user} when set (Boot builds that connection). Either way the console's role is
     * handed to the grants script after each migration.
     */
    @Bean
    FlywayConfigurationCustomizer migrateAsOwner(ObjectProvider<EmbeddedDatabase> embedded, Environment environment) {
        return configuration -> {
            EmbeddedDatabase database = embedded.getIfAvailable();
            String consoleRole;
            if (database != null) {
                DatabaseLogins.Login owner = database.logins().owner();
                configuration.dataSource(database.jdbcUrl(), owner.user(), owner.password());
                consoleRole = database.logins().console().user();
            } else {
                consoleRole = environment.getProperty("spring.datasource.username", "");
                if (configuration.getDataSource() instanceof HikariDataSource pool) {
                    // one role for both: still migrate outside the pool, free of the console's statement timeouts
                    configuration.dataSource(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
                }
            }
            Map<String, String> placeholders = new HashMap<>(configuration.getPlaceholders());
            placeholders.put(CONSOLE_ROLE_PLACEHOLDER, consoleRole);
            configuration.placeholders(placeholders);
        };
    }
}
