package io.tandem.agent;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** A started agent: its port and event publisher, and the way to stop it (tests, the lab, the bench). */
public final class RunningAgent implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    RunningAgent(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** The bound port; differs from the configured one only when that was 0 (tests). */
    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public AgentEvents events() {
        return context.getBean(AgentEvents.class);
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }
}
