package io.tandem.identity;

import java.util.List;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.ExceptionMappingAuthenticationFailureHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.session.HttpSessionEventPublisher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Three filter chains. The REST API takes bearer tokens only (and HTTP Basic on exactly one
 * endpoint, to mint the first token); the actuator takes an ADMIN session or a token; the HTML UI
 * takes a form login session with CSRF protection, and never a token.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IdentityProperties.class)
class SecurityConfiguration {

    /** The one API endpoint where HTTP Basic is accepted. */
    static final RequestMatcher MINT_TOKEN = PathPatternRequestMatcher.withDefaults()
            .matcher(HttpMethod.POST, "/api/v1/tokens");

    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role("ADMIN").implies("OPERATOR")
                .role("OPERATOR").implies("VIEWER")
                .build();
    }

    /** bcrypt (by way of the delegating encoder), one check per core at a time: see {@link BoundedPasswordEncoder}. */
    @Bean
    PasswordEncoder passwordEncoder() {
        return BoundedPasswordEncoder.perCore(PasswordEncoderFactories.createDelegatingPasswordEncoder());
    }

    /** The sessions of this console, or of every console when they share the database (see {@link SharedSessions}). */
    @Bean
    SessionRegistry sessionRegistry(
            ObjectProvider<org.springframework.session.FindByIndexNameSessionRepository<? extends org.springframework.session.Session>> shared) {
        var repository = shared.getIfAvailable();
        return repository == null ? new SessionRegistryImpl()
                : new org.springframework.session.security.SpringSessionBackedSessionRegistry<>(repository);
    }

    /**
     * No observation of Spring Security's filters, authentications and authorizations: nothing reads them, and with
     * them on, every filter of every request is wrapped in one (management.observations.enable.spring.security only
     * stops them being recorded, the wrapping stays); {@code http.server.requests} is unaffected.
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    static HttpSessionEventPublisher httpSessionEventPublisher() {
        return new HttpSessionEventPublisher();
    }

    /** Passwords, from the login form and from HTTP Basic alike, checked only while the client's address is not locked out. */
    @Bean
    PasswordLogins passwordLogins(UserDetailsService users, PasswordEncoder encoder, LoginThrottle throttle,
                                  AuthenticationEventPublisher events) {
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(encoder);
        ProviderManager manager = new ProviderManager(List.of(new ThrottledAuthenticationProvider(provider, throttle)));
        manager.setAuthenticationEventPublisher(events);
        return new PasswordLogins(manager);
    }

    /** Not an AuthenticationManager bean, so that Spring Security's own global one is left alone. */
    record PasswordLogins(AuthenticationManager manager) {
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, TokenService tokens, PasswordLogins passwords) throws Exception {
        BasicAuthenticationFilter basic = new BasicAuthenticationFilter(passwords.manager(), apiEntryPoint()) {
            @Override
            protected boolean shouldNotFilter(HttpServletRequest request) {
                return !MINT_TOKEN.matches(request);
            }
        };
        basic.setSecurityContextRepository(new RequestAttributeSecurityContextRepository());

        http.securityMatcher("/api/**")
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .csrf(c -> c.disable()) // no cookies are honoured here: nothing for a forged request to ride on
                .requestCache(c -> c.disable())
                .anonymous(a -> a.disable())
                .addFilterBefore(new BearerTokenFilter(tokens), BasicAuthenticationFilter.class)
                .addFilterAt(basic, BasicAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(apiEntryPoint()).accessDeniedHandler(apiDenied()))
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/api/v1/users/**", "/api/v1/users", "/api/v1/audit/**", "/api/v1/audit").hasRole("ADMIN")
                        // file contents may hold secrets (SIEM credentials): operators only; the list of names is for all
                        .requestMatchers(HttpMethod.GET, "/api/v1/clusters/*/drift").hasRole("VIEWER")
                        .requestMatchers(HttpMethod.GET, "/api/v1/clusters/*/drift/**").hasRole("OPERATOR")
                        .requestMatchers(HttpMethod.GET, "/api/v1/clusters/**", "/api/v1/clusters").hasRole("VIEWER")
                        .requestMatchers(HttpMethod.POST, "/api/v1/clusters/*/operations").hasRole("OPERATOR")
                        .requestMatchers(HttpMethod.POST, "/api/v1/clusters/*/alerts/test", "/api/v1/clusters/*/alerts/mail/test").hasRole("OPERATOR")
                        .requestMatchers("/api/v1/clusters/**", "/api/v1/clusters").hasRole("ADMIN")
                        .requestMatchers("/api/v1/tokens/**", "/api/v1/tokens").hasRole("VIEWER")
                        .requestMatchers(HttpMethod.GET, "/api/v1/demo/**").hasRole("VIEWER")
                        .requestMatchers("/api/v1/demo/**").hasRole("OPERATOR")
                        .anyRequest().hasRole("VIEWER"));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain actuator(HttpSecurity http, TokenService tokens) throws Exception {
        http.securityMatcher("/actuator/**")
                .addFilterBefore(new BearerTokenFilter(tokens), AuthorizationFilter.class)
                .csrf(c -> c.disable())
                .requestCache(c -> c.disable())
                .exceptionHandling(e -> e.authenticationEntryPoint(apiEntryPoint()).accessDeniedHandler(apiDenied()))
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .anyRequest().hasAnyAuthority("ROLE_ADMIN", ApiTokenAuthentication.AUTHORITY));
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain ui(HttpSecurity http, SessionRegistry sessionRegistry, PasswordLogins passwords) throws Exception {
        http.authenticationManager(passwords.manager())
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/login", "/css/**", "/js/**", "/img/**", "/webjars/**", "/favicon.ico", "/error",
                                "/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html").permitAll()
                        .requestMatchers("/admin/**", "/audit", "/audit/**").hasRole("ADMIN")
                        .requestMatchers("/clusters/new", "/clusters/*/edit", "/clusters/*/delete", "/clusters/*/setup",
                                "/clusters/*/setup/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.POST, "/clusters/*/nodes/*/test").hasRole("OPERATOR")
                        .requestMatchers(HttpMethod.GET, "/clusters/*/drift/file").hasRole("OPERATOR")
                        .requestMatchers("/clusters/*/operations/new").hasRole("OPERATOR")
                        .requestMatchers(HttpMethod.POST, "/clusters/*/operations").hasRole("OPERATOR")
                        .requestMatchers(HttpMethod.POST, "/clusters/*/alerts/test", "/clusters/*/alerts/mail/test").hasRole("OPERATOR")
                        .requestMatchers(HttpMethod.POST, "/demo/**").hasRole("OPERATOR")
                        .requestMatchers(HttpMethod.POST, "/clusters", "/clusters/**").hasRole("ADMIN")
                        .anyRequest().hasRole("VIEWER"))
                .formLogin(f -> f.loginPage("/login").defaultSuccessUrl("/", false).failureHandler(loginFailures()))
                .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?logout"))
                .exceptionHandling(e -> e.authenticationEntryPoint(uiEntryPoint()))
                .sessionManagement(s -> s
                        .sessionFixation(f -> f.changeSessionId())
                        .maximumSessions(-1).sessionRegistry(sessionRegistry).expiredUrl("/login?expired"))
                .headers(h -> h
                        .contentSecurityPolicy(c -> c.policyDirectives(
                                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                        + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
                                        + "form-action 'self'; base-uri 'self'"))
                        .referrerPolicy(r -> r.policy(
                                org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .addFilterAfter(new MustChangePasswordFilter(), AuthorizationFilter.class);
        return http.build();
    }

    /** A wrong password (or a locked or disabled account) says so; a login refused because too many arrived at once says to retry. */
    private static AuthenticationFailureHandler loginFailures() {
        ExceptionMappingAuthenticationFailureHandler failures = new ExceptionMappingAuthenticationFailureHandler();
        failures.setExceptionMappings(java.util.Map.of(BoundedPasswordEncoder.Busy.class.getName(), "/login?busy"));
        failures.setDefaultFailureUrl("/login?error");
        return failures;
    }

    /** htmx requests get a redirect header instead of a login page swapped into a panel. */
    private static AuthenticationEntryPoint uiEntryPoint() {
        LoginUrlAuthenticationEntryPoint login = new LoginUrlAuthenticationEntryPoint("/login");
        return (request, response, exception) -> {
            if (request.getHeader("HX-Request") != null) {
                response.setHeader("HX-Redirect", "/login");
                response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            } else {
                login.commence(request, response, exception);
            }
        };
    }

    private static AuthenticationEntryPoint apiEntryPoint() {
        return (request, response, exception) -> {
            boolean mint = MINT_TOKEN.matches(request);
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, mint ? "Basic realm=\"tandem\"" : "Bearer");
            ProblemResponses.write(request, response, HttpServletResponse.SC_UNAUTHORIZED,
                    mint ? "bad-credentials" : "unauthenticated", "Authentication required",
                    mint ? "Send the username and password with HTTP Basic to mint a token."
                            : "Send 'Authorization: Bearer <token>'; a token is minted at POST /api/v1/tokens.");
        };
    }

    private static AccessDeniedHandler apiDenied() {
        return (request, response, exception) -> ProblemResponses.write(request, response,
                HttpServletResponse.SC_FORBIDDEN, "forbidden", "Forbidden", "Your role does not allow this request.");
    }
}
