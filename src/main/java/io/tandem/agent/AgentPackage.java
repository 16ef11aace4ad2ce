package io.tandem.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The agent as it is installed on an NFO server, whether by the .deb/.rpm or by the console over SSH (Install agent):
 * the same paths and the same files (the unit, the sudoers drop-in and the setup script beside this class, which the
 * packages take from the same place), so the two ways cannot drift apart.
 */
public final class AgentPackage {

    public static final String USER = "tandem-agent";
    public static final String HOME = "/usr/share/tandem-agent";
    public static final String JAR = HOME + "/tandem-agent.jar";
    public static final String SETUP_SCRIPT = HOME + "/agent-setup.sh";
    public static final String UNIT_NAME = "tandem-agent.service";
    public static final String UNIT = "/usr/lib/systemd/system/" + UNIT_NAME;
    public static final String SUDOERS = "/etc/sudoers.d/tandem-agent";
    public static final String STATE_DIR = "/var/lib/tandem-agent";
    public static final String CONFIG = STATE_DIR + "/" + AgentState.CONFIG;
    /** The JVM the unit starts ({@code ExecStart=/usr/bin/java ...}). */
    public static final String JAVA = "/usr/bin/java";

    private AgentPackage() {
    }

    /** The Spring Boot executable jar this JVM was started from ({@code java -jar tandem.jar}), if any. */
    public static java.util.Optional<java.nio.file.Path> executableJar() {
        String classPath = System.getProperty("java.class.path", "");
        if (classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar")) {
            return java.util.Optional.empty();
        }
        java.nio.file.Path jar = java.nio.file.Path.of(classPath).toAbsolutePath();
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            return file.getEntry("BOOT-INF/classes/") != null ? java.util.Optional.of(jar) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * The jar an NFO server gets: {@code tandem-agent.jar} beside the running console jar (the build makes it; it is
     * what the packages carry), else the console jar itself (it runs the agent role too); empty when this JVM runs from
     * classes (tests, an IDE), where there is no jar to send.
     */
    public static java.util.Optional<java.nio.file.Path> agentJar() {
        return executableJar().map(self -> {
            java.nio.file.Path agentJar = self.resolveSibling("tandem-agent.jar");
            return java.nio.file.Files.isRegularFile(agentJar) ? agentJar : self;
        });
    }

    /** The systemd unit's text, byte for byte what the packages install. */
    public static String unit() {
        return ServiceUnit.shipped().text();
    }

    /** The sudoers drop-in's text, byte for byte what the packages install. */
    public static String sudoers() {
        return resource("tandem-agent.sudoers");
    }

    /** The shell functions the packages' postinst runs ({@code tandem_agent_setup}: user and state directory). */
    public static String setupScript() {
        return resource("agent-setup.sh");
    }

    private static String resource(String name) {
        try (InputStream in = AgentPackage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The two machine-readable lines {@code agent init} prints last ({@code token=...}, {@code fingerprint=...}), so
     * whoever ran it (the console over SSH, {@code bench agent}) takes the secrets without a person copying them.
     */
    public record InitOutput(String token, String fingerprint) {

        public static InitOutput parse(String stdout) {
            List<String> lines = stdout == null ? List.of() : stdout.strip().lines().toList();
            if (lines.size() < 2 || !lines.get(lines.size() - 2).startsWith("token=")
                    || !lines.get(lines.size() - 1).startsWith("fingerprint=")) {
                throw new IllegalArgumentException("agent init did not end with its token= and fingerprint= lines");
            }
            String token = lines.get(lines.size() - 2).substring("token=".length()).strip();
            String fingerprint = lines.get(lines.size() - 1).substring("fingerprint=".length()).strip();
            if (token.isEmpty() || fingerprint.isEmpty()) {
                throw new IllegalArgumentException("agent init printed an empty token or fingerprint");
            }
            return new InitOutput(token, fingerprint);
        }

        @Override
        public String toString() {
            return "InitOutput[fingerprint=" + fingerprint + "]"; // never the token
        }
    }
}
