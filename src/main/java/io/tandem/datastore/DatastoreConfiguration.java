package io.tandem.datastore;

import java.nio.file.Path;


import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import com.zaxxer.hikari.HikariDataSource;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EmbeddedDatabaseProperties.class)
class DatastoreConfiguration {

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

    @Bean(destroyMethod = "close")
    @Conditional(NoExternalDatasource.class)
    HikariDataSource dataSource(EmbeddedDatabase database) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setPoolName("tandem-embedded");
        dataSource.setJdbcUrl(database.jdbcUrl());
        dataSource.setUsername(EmbeddedDatabase.USER);
        dataSource.setMaximumPoolSize(10);
        return dataSource;
    }

}
