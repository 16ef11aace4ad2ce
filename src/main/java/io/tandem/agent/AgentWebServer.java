package io.tandem.agent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;

import org.springframework.boot.web.error.ErrorPage;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.servlet.ConfigurableServletWebServerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTPS listener and the filters every request passes, outermost first: audit, rate limit, token,
 * body size. There is exactly one connector and it speaks TLS; a plain-HTTP request never reaches a handler.
 */
@Configuration(proxyBeanMethods = false)
class AgentWebServer {

    @Bean
    WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> httpsListener(AgentConfig config, AgentState state) {
        return factory -> {
            try {
                factory.setAddress(InetAddress.getByName(config.listen().address()));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("listen.address does not resolve: " + config.listen().address(), e);
            }
            factory.setPort(config.listen().port());
            // The password lives in this object only, not in the Environment, where it could be dumped.
            Ssl ssl = new Ssl();
            ssl.setEnabled(true);
            ssl.setKeyStore(state.keystore().toUri().toString());
            ssl.setKeyStoreType("PKCS12");
            ssl.setKeyStorePassword(state.keystorePassword());
            ssl.setKeyAlias(AgentState.KEY_ALIAS);
            ssl.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            factory.setSsl(ssl);
            factory.addErrorPages(new ErrorPage("/error"));
        };
    }

    @Bean
    FilterRegistrationBean<AuditFilter> auditFilter(AuditTrail trail, Clock clock) {
        return registration(new AuditFilter(trail, clock), 1);
    }

    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(AgentConfig config) {
        return registration(new RateLimitFilter(config.limits().maxRequestsPerSecond(), System::nanoTime), 2);
    }

    @Bean
    FilterRegistrationBean<TokenFilter> tokenFilter(AgentState state) {
        return registration(new TokenFilter(state.token()), 3);
    }

    @Bean
    FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(AgentConfig config) {
        return registration(new BodyLimitFilter(config.limits().maxUploadBytes()), 4);
    }

    private static <F extends jakarta.servlet.Filter> FilterRegistrationBean<F> registration(F filter, int order) {
        FilterRegistrationBean<F> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/*");
        registration.setOrder(order);
        return registration;
    }
}
