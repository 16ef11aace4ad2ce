package io.tandem.console;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration {

    /** One clock for every rule that depends on time, so tests can reason about it. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
