package io.tandem.access.ssh;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

import io.tandem.access.NodeTarget;
import io.tandem.node.CommandResult;
import io.tandem.node.NodeAccessException;
import io.tandem.node.config.ConfigFile;
import io.tandem.node.config.ConfigRefusal;
import io.tandem.node.config.ConfigRefusedException;
import io.tandem.node.config.ConfigScope;

/**
 * NFO's configuration files on a node over SFTP, confined by the very rule the agent applies
 * ({@link ConfigScope#confine}), with SFTP {@code lstat} as its eyes: the agentless adapter refuses exactly what
 * the agent refuses, with the same {@link ConfigRefusal}.
 */
final class SshConfigFiles {

    /**
     * For sudo targets: the kinds of the path's components (from the home down, stopping at the first link or
     * oddity), then size, mode, mtime, the content in base64 and the real path, all NUL-separated, in one command.
     */
    private static final String READ_AS_ROOT = """
            cd -- "$1" 2>/dev/null || exit 3
            max=$2; f=$3; shift 3
            printf '%s\\0' "$(pwd -P)"
            for p do
              if [ -L "$p" ]; then k=L; elif [ -d "$p" ]; then k=D; elif [ -f "$p" ]; then k=F; elif [ -e "$p" ]; then k=O; else k=M; fi
              printf '%s\\0' "$k"
              case $k in L|O|M) exit 0;; esac
            done
            [ -f "$f" ] && [ ! -L "$f" ] || exit 0
            size=$(stat -c %s -- "$f") || exit 7
            stat --printf '%s\\0%a\\0%Y\\0' -- "$f" || exit 7
            [ "$size" -le "$max" ] || exit 0
            base64 -w0 -- "$f" || exit 7
            printf '\\0%s\\0' "$(readlink -f -- "$f")"
            """;
    private static final int NO_HOME = 3;

    private final SshFiles files;
    private final SshToolRunner runner;
    private final NodeTarget node;
    private final long maxBytes;

    SshConfigFiles(SshFiles files, SshToolRunner runner, NodeTarget node, long maxBytes) {
        this.files = files;
        this.runner = runner;
        this.node = node;
        this.maxBytes = maxBytes;
    }

    /** A refusal computed inside an SFTP session, thrown once the session is closed. */
    private record Refusable<T>(T value, ConfigRefusedException refused) {
        static <T> Refusable<T> of(T value) {
            return new Refusable<>(value, null);
        }

        static <T> Refusable<T> refused(ConfigRefusedException refused) {
            return new Refusable<>(null, refused);
        }

        T get() throws ConfigRefusedException {
            if (refused != null) {
                throw refused;
            }
            return value;
        }
    }

    /**
     * SFTP runs as the login user, who cannot read root-only configuration on a sudo target: there the same checks
     * are made on what one {@code sudo -n} command reports.
     */
    ConfigFile read(String relative) throws NodeAccessException, ConfigRefusedException {
        return node.sudo() ? readAsRoot(relative) : readOverSftp(relative);
    }

    private ConfigFile readAsRoot(String relative) throws NodeAccessException, ConfigRefusedException {
        ConfigScope scope = scope(node.nfoHome());
        List<String> prefixes = new ArrayList<>();
        scope.confine(relative, prefix -> { // the path's own rules first, nothing asked of the node yet
            prefixes.add(prefix);
            return ConfigScope.Kind.MISSING;
        });
        List<String> argv = new ArrayList<>(List.of("sh", "-c", READ_AS_ROOT, "tandem-read", node.nfoHome(),
                String.valueOf(maxBytes), relative));
        argv.addAll(prefixes);
        CommandResult result = runner.run(SshNodeAccess.stable(argv), new byte[0], files.timeout());
        if (result.exitCode() == NO_HOME) {
            throw new ConfigRefusedException(ConfigRefusal.NOT_FOUND, node.nfoHome(), "the NFO home does not exist");
        }
        if (!result.succeeded()) {
            throw new ConfigRefusedException(ConfigRefusal.IO_ERROR, relative, "reading failed (exit "
                    + result.exitCode() + "): " + result.firstErrorLine());
        }
        if (result.truncated()) {
            throw new ConfigRefusedException(ConfigRefusal.TOO_LARGE, relative,
                    "larger than an SSH command may answer (tandem.ssh.max-output-bytes)");
        }
        String[] fields = result.stdout().split("\0", -1);
        String realHome = fields[0];
        Map<String, ConfigScope.Kind> kinds = new HashMap<>();
        for (int i = 0; i < prefixes.size() && i + 1 < fields.length - 1; i++) {
            kinds.put(prefixes.get(i), switch (fields[i + 1]) {
                case "L" -> ConfigScope.Kind.SYMLINK;
                case "D" -> ConfigScope.Kind.DIRECTORY;
                case "F" -> ConfigScope.Kind.REGULAR_FILE;
                case "O" -> ConfigScope.Kind.OTHER;
                default -> ConfigScope.Kind.MISSING;
            });
        }
        scope.confine(relative, prefix -> kinds.getOrDefault(prefix, ConfigScope.Kind.MISSING));
        int at = 1 + prefixes.size();
        if (kinds.get(relative) != ConfigScope.Kind.REGULAR_FILE || fields.length < at + 3) {
            throw new ConfigRefusedException(ConfigRefusal.NOT_FOUND, relative, "no such file");
        }
        try {
            long size = Long.parseLong(fields[at]);
            if (size > maxBytes) {
                throw new ConfigRefusedException(ConfigRefusal.TOO_LARGE, relative, size + " bytes, limit " + maxBytes);
            }
            if (fields.length < at + 5) {
                throw new NodeAccessException.BadAnswer("reading " + relative + " on " + node.name()
                        + " stopped before the content", null);
            }
            byte[] bytes = Base64.getDecoder().decode(fields[at + 3]);
            if (bytes.length > maxBytes) {
                throw new ConfigRefusedException(ConfigRefusal.TOO_LARGE, relative, "grew beyond " + maxBytes);
            }
            if (!fields[at + 4].startsWith(realHome + "/")) {
                throw new ConfigRefusedException(ConfigRefusal.OUTSIDE_ROOTS, relative, "left the home");
            }
            return ConfigFile.of(relative, bytes, Integer.parseInt(fields[at + 1], 8),
                    Instant.ofEpochSecond(Long.parseLong(fields[at + 2])));
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new NodeAccessException.BadAnswer("reading " + relative + " on " + node.name()
                    + " gave an answer that is not a file listing", e);
        }
    }

    private ConfigFile readOverSftp(String relative) throws NodeAccessException, ConfigRefusedException {
        return files.<Refusable<ConfigFile>>withSftp("reading a configuration file", sftp -> {
            try {
                String home = realHome(sftp);
                scope(home).confine(relative, prefix -> kind(sftp, home + "/" + prefix));
                String path = home + "/" + relative;
                Attributes attributes = lstat(sftp, path);
                if (attributes == null) {
                    throw new ConfigRefusedException(ConfigRefusal.NOT_FOUND, relative, "no such file");
                }
                if (attributes.getSize() > maxBytes) {
                    throw new ConfigRefusedException(ConfigRefusal.TOO_LARGE, relative,
                            attributes.getSize() + " bytes, limit " + maxBytes);
                }
                byte[] bytes;
                try (CloseableHandle handle = sftp.open(path, OpenMode.Read)) {
                    bytes = SshFiles.readUpTo(sftp, handle, maxBytes);
                }
                if (bytes.length > maxBytes) {
                    throw new ConfigRefusedException(ConfigRefusal.TOO_LARGE, relative, "grew beyond " + maxBytes);
                }
                // The components were checked before opening; re-check that nothing was swapped for a link meanwhile.
                if (!sftp.canonicalPath(path).startsWith(home + "/")) {
                    throw new ConfigRefusedException(ConfigRefusal.OUTSIDE_ROOTS, relative, "left the home");
                }
                Instant modified = attributes.getModifyTime() == null ? null : attributes.getModifyTime().toInstant();
                return Refusable.of(ConfigFile.of(relative, bytes, attributes.getPermissions(), modified));
            } catch (ConfigRefusedException refused) {
                return Refusable.refused(refused);
            }
        }).get();
    }

    /** Work that confines paths with SFTP {@code lstat} as its eyes, inside one SFTP session. */
    @FunctionalInterface
    interface Confined<T> {
        T apply(ConfigScope.Inspector<IOException> lstat) throws IOException, ConfigRefusedException;
    }

    /** Runs {@code work} with an inspector of the paths below {@code home} (not resolved: the shell follows it too). */
    <T> T withInspector(String home, Confined<T> work) throws NodeAccessException, ConfigRefusedException {
        return files.<Refusable<T>>withSftp("checking configuration paths", sftp -> {
            try {
                return Refusable.of(work.apply(prefix -> kind(sftp, home + "/" + prefix)));
            } catch (ConfigRefusedException refused) {
                return Refusable.refused(refused);
            }
        }).get();
    }

    /** The home as the node resolves it, so a symlinked {@code /opt/flowintegrator} works as it does for the agent. */
    private String realHome(SftpClient sftp) throws IOException, ConfigRefusedException {
        String home = node.nfoHome();
        if (home == null || !home.startsWith("/")) {
            throw new ConfigRefusedException(ConfigRefusal.INVALID_REQUEST, home,
                    "the node's NFO home must be an absolute path");
        }
        try {
            String real = sftp.canonicalPath(home);
            return real.endsWith("/") ? real.substring(0, real.length() - 1) : real;
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                throw new ConfigRefusedException(ConfigRefusal.NOT_FOUND, home, "the NFO home does not exist", e);
            }
            throw e;
        }
    }

    ConfigScope scope(String realHome) throws ConfigRefusedException {
        if (realHome == null || !realHome.startsWith("/")) {
            throw new ConfigRefusedException(ConfigRefusal.INVALID_REQUEST, realHome,
                    "the node's NFO home must be an absolute path");
        }
        try {
            return new ConfigScope(Path.of(realHome), node.configIncludes(), node.configExcludes(),
                    ConfigScope.DEFAULT_MAX_FILES, maxBytes);
        } catch (IllegalArgumentException e) {
            throw new ConfigRefusedException(ConfigRefusal.INVALID_REQUEST, null,
                    "the node's configuration globs are not usable: " + e.getMessage(), e);
        }
    }

    private static ConfigScope.Kind kind(SftpClient sftp, String path) throws IOException {
        Attributes attributes = lstat(sftp, path);
        if (attributes == null) {
            return ConfigScope.Kind.MISSING;
        }
        return attributes.isSymbolicLink() ? ConfigScope.Kind.SYMLINK
                : attributes.isDirectory() ? ConfigScope.Kind.DIRECTORY
                : attributes.isRegularFile() ? ConfigScope.Kind.REGULAR_FILE
                : ConfigScope.Kind.OTHER;
    }

    /** @return null when nothing is there; a link is described, never followed */
    private static Attributes lstat(SftpClient sftp, String path) throws IOException {
        try {
            return sftp.lstat(path);
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return null;
            }
            throw e;
        }
    }
}
