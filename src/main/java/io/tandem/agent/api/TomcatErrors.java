package io.tandem.agent.api;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.tandem.agent.wire.AgentProtocol;
import io.tandem.http.ProblemErrorReportValve;

/** Requests Tomcat refuses before the agent's filters (a malformed path) are answered as problem+json too. */
@Configuration(proxyBeanMethods = false)
class TomcatErrors {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> ProblemErrorReportValve.install(factory, path -> true,
                status -> AgentProtocol.problemType(ProblemTypes.slug(status)));
    }
}
