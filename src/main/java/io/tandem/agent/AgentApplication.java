package io.tandem.agent;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.HttpEncodingAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;

import io.tandem.node.NodeFactsCollector;
import io.tandem.node.ServiceControl;
import io.tandem.node.SnapshotCollector;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent role's Spring application. Auto-configuration is an allow-list, not the console's full set minus
 * exclusions: the jar carries JPA, Flyway, Thymeleaf, Security, actuator and springdoc for the console, and
 * none of them may start here (an actuator or API docs endpoint on the agent port would be unauthenticated).
 * A starter added to the pom later stays off the agent until someone lists it here. See docs/adr/0003.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@ImportAutoConfiguration({
        PropertyPlaceholderAutoConfiguration.class,
        SslAutoConfiguration.class,
        TomcatServletWebServerAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class,
        HttpMessageConvertersAutoConfiguration.class,
        JacksonAutoConfiguration.class,
        HttpEncodingAutoConfiguration.class})
@Import(AgentWebServer.class)
// Only the endpoints are scanned; everything else is declared here, so nothing joins the agent by accident
// (not even a test's stand-in controller sitting in io.tandem.agent on the test class path).
@ComponentScan(basePackages = "io.tandem.agent.api")
public class AgentApplication {

    /**
     * Starts the agent. The operator's {@code agent.yml} is already read; Spring reads only the agent's own
     * {@code tandem-agent.yml} from the jar, never the console's {@code application.yml}, nor files from the
     * working directory.
     */
    public static RunningAgent start(AgentConfig config, AgentState state) {
        return start(config, state, null);
    }

    /**
     * Starts the agent over the given node backends instead of this machine's tools: the demo lab runs
     * real agents (HTTPS, token, the same endpoints) over simulated nodes.
     */
    public static RunningAgent start(AgentConfig config, AgentState state, NodeBackends backends) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(AgentApplication.class)
                .web(WebApplicationType.SERVLET)
                .properties(Map.of(
                        "spring.config.name", "tandem-agent",
                        "spring.config.location", "classpath:/"))
                .initializers(ctx -> {
                    ctx.getBeanFactory().registerSingleton("agentConfig", config);
                    ctx.getBeanFactory().registerSingleton("agentState", state);
                    ctx.getBeanFactory().registerSingleton("backendsOverride", new BackendsOverride(backends));
                })
                .registerShutdownHook(true)
                .run();
        return new RunningAgent(context);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    AgentEvents agentEvents(AgentConfig config, JsonMapper json, Clock clock) {
        return new AgentEvents(config.events(), json, clock);
    }

    /** Node backends given by the caller (the demo lab), or null for this machine's own. */
    record BackendsOverride(NodeBackends backends) {
    }

    /** Capture runs only over this machine's own backends; a simulated node brings its own templates. */
    @Bean(destroyMethod = "close")
    TemplateCapture templateCapture(AgentConfig config, AgentState state, BackendsOverride override, Clock clock) {
        AgentConfig.Capture none = new AgentConfig.Capture("none", "127.0.0.1", 1, config.capture().saveInterval());
        AgentConfig effective = override.backends() == null ? config
                : new AgentConfig(config.listen(), config.stateDir(), config.nfo(), config.tools(), config.limits(),
                        config.events(), none);
        return TemplateCapture.start(effective, state.dir(), clock);
    }

    @Bean
    NodeBackends nodeBackends(BackendsOverride override, AgentConfig config, TemplateCapture capture) {
        return override.backends() != null ? override.backends() : NodeBackends.local(config, capture);
    }

    /** The node's own tools, by the absolute paths in agent.yml, read with the same collector the SSH adapter uses. */
    @Bean
    SnapshotCollector snapshotCollector(AgentConfig config, NodeBackends backends, Clock clock) {
        Duration timeout = Duration.ofSeconds(10);
        return new SnapshotCollector(backends.tools(), backends.files(), clock, new SnapshotCollector.Settings(
                new NodeFactsCollector.Settings(ServiceControl.systemd(config.nfo().serviceUnit()),
                        Set.copyOf(config.nfo().flowInputPorts()), timeout),
                timeout, false), backends.templates());
    }

    @Bean(destroyMethod = "close")
    ChangeWatcher changeWatcher(AgentConfig config, SnapshotCollector collector, AgentEvents events) {
        return new ChangeWatcher(collector, events, config.events().watchInterval());
    }

    @Bean
    AgentHealth agentHealth(AgentState state, Clock clock) {
        return new AgentHealth(state, clock);
    }

    @Bean
    AuditTrail auditTrail(AgentState state, JsonMapper json) throws IOException {
        return new AuditTrail(state.auditLog(), json);
    }
}
