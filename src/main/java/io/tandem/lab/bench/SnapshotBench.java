package io.tandem.lab.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.tandem.access.NodeAccess;
import io.tandem.access.NodeTarget;
import io.tandem.access.agent.AgentNodeAccess;
import io.tandem.access.ssh.SshConnections;
import io.tandem.access.ssh.SshNodeAccess;
import io.tandem.access.ssh.SshSettings;

/**
 * {@code bench snapshot}: the latency of a whole node snapshot through an adapter, as the monitor sees it.
 * <pre>
 * bench snapshot --agent HOST:PORT --token T --fingerprint sha256:HEX [--calls N]
 * bench snapshot --ssh HOST:PORT --user U --key FILE [--calls N]      (the host key is pinned on first contact)
 * </pre>
 */
public final class SnapshotBench {

    private SnapshotBench() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        String agent = option(args, "--agent");
        String ssh = option(args, "--ssh");
        int calls = Integer.parseInt(String.valueOf(optionOr(args, "--calls", "200")));
        if ((agent == null) == (ssh == null)) {
            err.println("usage: bench snapshot (--agent HOST:PORT --token T --fingerprint F | --ssh HOST:PORT --user U --key FILE) [--calls N]");
            return 2;
        }
        try (SshConnections connections = new SshConnections(SshSettings.defaults())) {
            NodeAccess access;
            NodeTarget target;
            if (agent != null) {
                String[] hostPort = agent.split(":");
                access = new AgentNodeAccess();
                target = target(NodeTarget.Transport.AGENT, hostPort[0], Integer.parseInt(hostPort[1]), null,
                        option(args, "--token"), option(args, "--fingerprint"));
            } else {
                String[] hostPort = ssh.split(":");
                access = new SshNodeAccess(connections, Clock.systemUTC());
                NodeTarget unpinned = target(NodeTarget.Transport.SSH, hostPort[0], Integer.parseInt(hostPort[1]),
                        option(args, "--user"), Files.readString(Path.of(option(args, "--key"))), null);
                target = target(NodeTarget.Transport.SSH, hostPort[0], Integer.parseInt(hostPort[1]), option(args, "--user"),
                        unpinned.credential(), access.presentedKey(unpinned).fingerprint());
            }
            access.snapshot(target); // connection set up outside the measurement
            long[] nanos = new long[calls];
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                access.snapshot(target);
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            out.printf("%s snapshot, %d calls: p50 %.1f ms, p95 %.1f ms, max %.1f ms%n", target.transport(), calls,
                    nanos[calls / 2] / 1e6, nanos[(int) (calls * 0.95)] / 1e6, nanos[calls - 1] / 1e6);
            return 0;
        } catch (Exception e) {
            err.println("bench snapshot: " + e.getMessage());
            return 1;
        }
    }

    private static NodeTarget target(NodeTarget.Transport transport, String host, int port, String user, String credential, String pin) {
        return new NodeTarget(UUID.randomUUID(), "bench", host, transport, user, port, port, credential, pin, false,
                "/opt/flowintegrator", "nfo.service", List.of("server/etc/**"), List.of(), Set.of(9555), false);
    }

    private static String option(List<String> args, String name) {
        int at = args.indexOf(name);
        return at >= 0 && at + 1 < args.size() ? args.get(at + 1) : null;
    }

    private static Object optionOr(List<String> args, String name, String fallback) {
        String value = option(args, name);
        return value == null ? fallback : value;
    }

}
