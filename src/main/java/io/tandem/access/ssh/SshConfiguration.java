package io.tandem.access.ssh;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The console's one SSH client, bound to {@code tandem.ssh.*} and closed with the context. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SshSettings.class)
class SshConfiguration {

    @Bean(destroyMethod = "close")
    SshConnections sshConnections(SshSettings settings) {
        return new SshConnections(settings);
    }
}
