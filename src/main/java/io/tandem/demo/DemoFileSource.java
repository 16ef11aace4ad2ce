package io.tandem.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.tandem.node.FileSource;
import io.tandem.node.GateAgent;
import io.tandem.node.NodeAccessException;

/**
 * A simulated node's files: its own host name, uptime and kernel, the gate agent; the UDP tables are this machine's,
 * where the lab NFO sockets really live.
 */
final class DemoFileSource implements FileSource {

    private final String hostname;
    private final Instant bootedAt;
    private final Clock clock;

    DemoFileSource(String hostname, Clock clock) {
        this.hostname = hostname;
        this.clock = clock;
        this.bootedAt = clock.instant();
    }

    @Override
    public Optional<String> read(String absolutePath) throws NodeAccessException {
        return switch (absolutePath) {
            case "/proc/sys/kernel/hostname" -> Optional.of(hostname + "\n");
            case "/proc/sys/kernel/osrelease" -> Optional.of("tandem-demo\n");
            case "/proc/uptime" -> {
                double seconds = Duration.between(bootedAt, clock.instant()).toMillis() / 1000.0;
                yield Optional.of(String.format(java.util.Locale.ROOT, "%.2f %.2f%n", seconds, seconds));
            }
            case "/proc/drbd" -> Optional.empty();
            // installed as setup installs it, so the pair's ocf:tandem:gate resources have their agent
            case GateAgent.INSTALLED_PATH -> Optional.of(GateAgent.script());
            default -> FileSource.local().read(absolutePath);
        };
    }
}
