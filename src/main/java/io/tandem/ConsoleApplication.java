package io.tandem;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The console role: web UI, REST API, fleet, identity, audit, on PostgreSQL.
 * The agent and lab roles have their own application classes and are kept out of this scan, as are the benches,
 * which start this application themselves.
 */
@SpringBootApplication
@ComponentScan(excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
        pattern = "io\\.tandem\\.(agent|lab|bench)\\..*"))
@EnableScheduling
public class ConsoleApplication {
}
