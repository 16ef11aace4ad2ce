package io.tandem.console;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

import io.tandem.http.ProblemErrorReportValve;

/**
 * Requests Tomcat refuses before Spring sees them (an encoded '/', a NUL, a backslash in the path): problem+json for
 * the REST API, Tomcat's plain page (no server name, no report) for everything else.
 */
@Configuration(proxyBeanMethods = false)
class TomcatErrors {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> ProblemErrorReportValve.install(factory, path -> path.startsWith("/api/"),
                status -> ApiProblems.TYPE_PREFIX + ApiProblems.slug(HttpStatus.valueOf(status)));
    }
}
