package io.tandem.instances;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.UUID;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/** This console process: a new id at every start, so a restarted console is a new instance to the others. */
@Component
@EnableConfigurationProperties(InstanceProperties.class)
public class ConsoleInstance {

    private final UUID id = UUID.randomUUID();
    private final String name;
    private final boolean shared;

    ConsoleInstance(InstanceProperties properties) {
        this.name = properties.name().isBlank() ? defaultName() : properties.name();
        this.shared = properties.enabled();
    }

    public UUID id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** Whether other consoles share this one's database (tandem.instances.enabled). */
    public boolean shared() {
        return shared;
    }

    private static String defaultName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "console";
        }
        return host + "/" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
